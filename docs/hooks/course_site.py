"""mkdocs hook: the parts of the site derived from `course.toml`.

- the "Modules" navigation section, one page per module and the list of every item;
- each lesson notebook that exists, executed and exported with `marimo export html`
  (cached by content; a failing lesson fails the build), served with marimo's own
  frontend assets from the installed package, so the pages work offline and on Pages;
- `<!-- measured: SLUG | PHRASE -->` in a page becomes the sentence of that lesson's
  rendered output that starts with PHRASE (a figure the lesson measured when rendered).
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import marimo
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from grading.catalog import Course, Item, Module

log = logging.getLogger("mkdocs.hooks.course_site")

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("COURSE_SITE_CACHE", ROOT / ".cache" / "site"))
MARIMO_STATIC = Path(marimo.__file__).parent / "_static"
MARIMO_CDN = f"https://cdn.jsdelivr.net/npm/@marimo-team/frontend@{marimo.__version__}/dist/"
ASSETS = "_marimo/"
STILLS = "docs/assets/explainers"  # still images of the explainers (docs/hooks/stills.py)  # where marimo's frontend goes on the site
# Inputs that change what a lesson prints: its own source, the locked versions, the data.
CACHE_INPUTS = ("uv.lock", "data/MANIFEST")
WIDGET = re.compile(r"\bmo\.ui\.(slider|range_slider|dropdown|radio|number|switch|checkbox|multiselect)\(")
HEADING = re.compile(r"^\s*(#{1,3}) (.+?)\s*$", re.M)
MEASURED = re.compile(r"<!-- measured: (\S+) \| (.+?) -->")
KIND_TITLES = {"exercise": "Exercise", "challenge": "Checkpoint challenge", "quiz": "Quiz", "exam": "Practical exam",
               "capstone": "Capstone"}


def course() -> Course:
    return Course.load(ROOT)


def lessons() -> list[Module]:
    """Modules whose lesson notebook exists: new lessons appear on the site by themselves."""
    return [m for m in course().module if (ROOT / m.lesson).is_file()]


# ---- rendering -------------------------------------------------------------------------------


def cache_key(module: Module) -> str:
    digest = hashlib.sha256(marimo.__version__.encode())
    for rel in (module.lesson, *CACHE_INPUTS):
        path = ROOT / rel
        digest.update(rel.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"") + b"\0")
    return digest.hexdigest()[:16]


def render(module: Module) -> Path:
    """The lesson exported to HTML with its outputs; reused while its inputs are unchanged."""
    out = CACHE / f"{module.slug}-{cache_key(module)}.html"
    if out.is_file():
        return out
    CACHE.mkdir(parents=True, exist_ok=True)
    raw = out.with_suffix(".tmp")
    log.info("rendering %s (not cached)", module.lesson)
    proc = subprocess.run([sys.executable, "-m", "marimo", "export", "html", "--no-sandbox", module.lesson, "-o", str(raw), "-f"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raw.unlink(missing_ok=True)
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        raise PluginError(f"lesson {module.lesson} failed to run (marimo export exit {proc.returncode}):\n{tail}")
    text = raw.read_text(encoding="utf-8")
    if MARIMO_CDN not in text:
        raise PluginError(f"marimo {marimo.__version__}'s export no longer loads its frontend from {MARIMO_CDN}: update the hook")
    # lessons/NAME.html sits one folder below the site root, beside _marimo/
    out.write_text(text.replace(MARIMO_CDN, f"../{ASSETS}"), encoding="utf-8")
    raw.unlink()
    for stale in CACHE.glob(f"{module.slug}-*.html"):
        if stale != out:
            stale.unlink()
    return out


def measured_sentence(rendered: str, phrase: str) -> str | None:
    """The paragraph of the lesson's output that starts with `phrase`, as plain text."""
    start = rendered.find(phrase)
    while start != -1:
        ends = [e for e in (rendered.find(f"\\u003C/{tag}\\u003E", start) for tag in ("p", "span")) if e != -1]
        end = min(ends, default=-1)
        chunk = rendered[start:end]
        if end != -1 and "{" not in chunk:  # the output, not the f-string in the code
            try:
                text = json.loads(f'"{chunk}"')
            except json.JSONDecodeError:
                text = chunk
            return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())
        start = rendered.find(phrase, start + 1)
    return None


# ---- generated pages --------------------------------------------------------------------------


def explainer_heading(module: Module) -> str | None:
    """The heading of the lesson section that holds its first interactive widget."""
    source = (ROOT / module.lesson).read_text(encoding="utf-8")
    match = WIDGET.search(source)
    if not match:
        return None
    headings = HEADING.findall(source[: match.start()])
    return headings[-1][1] if headings else None


def item_row(item: Item, module_page: str | None) -> str:
    module = f"[{item.module}]({module_page})" if module_page else (str(item.module) if item.module else "all")
    status = "ready" if item.status == "ready" else "being built"
    return (f"| `{item.id}` | {item.title} | {KIND_TITLES[item.kind]} | {module} | {item.minutes} | "
            f"{item.points:g} | {status} | `{item.path}` |")


TABLE_HEAD = "| id | title | kind | module | minutes | points | status | file |\n|---|---|---|---|---|---|---|---|"


def items_page(c: Course) -> str:
    hours = sum(i.minutes for i in c.item) / 60
    rows = "\n".join(item_row(i, f"{c.modules[i.module].slug}.md" if i.module else None) for i in c.item)
    modules = "\n".join(f"{m.number}. [{m.title}]({m.slug}.md)" for m in c.module)
    return f"""# Modules and items

The course has {len(c.module)} modules and {len(c.item)} gradable items (about {hours:.0f} hours of work in
total, by the estimates below). This page and every module page are generated from `course.toml`,
the course's single table of contents, when the site is built.

{modules}

Check any item locally with `uv run course check ID`; `uv run course list` prints the same list.

{TABLE_HEAD}
{rows}
"""


def module_page(c: Course, module: Module, rendered: bool) -> str:
    items = [i for i in c.item if i.module == module.number]
    rows = "\n".join(item_row(i, None) for i in items)
    parts = [f"# Module {module.number} · {module.title}\n"]
    if rendered:
        heading = explainer_heading(module)
        still = ROOT / STILLS / f"{module.slug}.png"
        parts.append("## Start with the interactive explainer\n" if heading else "## Explainer\n")
        if heading:
            parts.append(f"The lesson's explainer is in the section **{heading}**: a control you move and a "
                         "computation on the course data that reruns as you move it.\n")
        else:
            parts.append("This lesson has no interactive control yet; its demonstrations are computed on the course "
                         "data and shown below. See [visual explanations](../explainers.md).\n")
        if still.is_file():
            parts.append(f"![The explainer of module {module.number}, as rendered when this site was built]"
                         f"(../assets/explainers/{module.slug}.png)\n")
        parts.append(
            "The page below is a static rendering: it shows every output, but its controls do not move. "
            "To use the explainer live, open the lesson in marimo from your copy of the course:\n\n"
            f"```bash\nuv run marimo run {module.lesson}     # the lesson as an app\n"
            f"uv run marimo edit {module.lesson}    # with the code, to change it\n```\n")
        parts.append(f"## The lesson\n\n[Open the lesson full screen](../lessons/{module.slug}.html){{ .md-button }} "
                     f"(rendered from `{module.lesson}` with all its outputs)\n\n"
                     f'<iframe class="lesson-frame" src="../../lessons/{module.slug}.html" '
                     f'title="Module {module.number} lesson" loading="lazy"></iframe>\n')
    else:
        parts.append(f"!!! note \"Lesson in progress\"\n    The lesson notebook `{module.lesson}` is being written. "
                     "It appears here, rendered with its outputs, as soon as it is in the repository.\n")
    parts.append(f"## Items\n\n{TABLE_HEAD}\n{rows}\n" if items else "## Items\n\nNone yet.\n")
    parts.append("See [all modules and items](index.md), the [cheat sheets](../cheatsheets/index.md) and the "
                 "[debugging guide](../debugging.md).\n")
    return "\n".join(parts)


def explainers_page(c: Course) -> str:
    rendered = {m.slug for m in lessons()}
    rows = []
    for m in c.module:
        page = f"[{m.number} · {m.title}](modules/{m.slug}.md)"
        if m.slug not in rendered:
            rows.append(f"| {page} | the lesson is being written | |")
            continue
        heading = explainer_heading(m)
        if heading is None:
            rows.append(f"| {page} | no interactive control in the lesson yet (its demos are computed, not steered) | |")
            continue
        still = "yes" if (ROOT / STILLS / f"{m.slug}.png").is_file() else "not captured yet"
        rows.append(f"| {page} | **{heading}** | {still} |")
    table = "\n".join(rows)
    return f"""# Visual explanations

The course plan promised videos of the key concepts. We cannot make honest videos here, so
each module leads with something better suited to a course you run yourself: an
**interactive explainer** in its lesson, a control you move (a data size, a slider) that
reruns a real computation on the course data. Each module page opens with a still image of
it and how to open it live (`uv run marimo run <lesson>`); on this site the lessons are
static renderings, so their controls do not move.

Which explainers exist today (derived from the lesson notebooks when this site was built: a
lesson's explainer is the section that holds its first `mo.ui` control):

| module | explainer | still image |
|---|---|---|
{table}

Still images are captured from the rendered lessons with Chromium:
`uv run python docs/hooks/stills.py` (after `uv run mkdocs build`).
"""


# ---- mkdocs events ----------------------------------------------------------------------------


def on_config(config):
    """Expand the `Modules: modules/index.md` nav entry into one page per module."""
    c = course()
    section = ["modules/index.md"] + [{f"{m.number} · {m.title}": f"modules/{m.slug}.md"} for m in c.module]
    nav = config.get("nav") or []
    for i, entry in enumerate(nav):
        if isinstance(entry, dict) and entry.get("Modules") == "modules/index.md":
            nav[i] = {"Modules": section}
            break
    else:
        raise PluginError("mkdocs.yml's nav needs the entry `- Modules: modules/index.md` (the hook expands it)")
    return config


def on_files(files: Files, config) -> Files:
    c = course()
    files.append(File.generated(config, "modules/index.md", content=items_page(c)))
    files.append(File.generated(config, "explainers.md", content=explainers_page(c)))
    rendered = {m.slug for m in lessons()}
    for module in c.module:
        files.append(File.generated(config, f"modules/{module.slug}.md", content=module_page(c, module, module.slug in rendered)))
    for module in lessons():
        files.append(File.generated(config, f"lessons/{module.slug}.html", abs_src_path=str(render(module))))
    for path in sorted(MARIMO_STATIC.rglob("*")):
        rel = path.relative_to(MARIMO_STATIC).as_posix()
        if path.is_file() and not rel.endswith((".md", "index.html")):
            files.append(File.generated(config, ASSETS + rel, abs_src_path=str(path)))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    def quote(match: re.Match) -> str:
        slug, phrase = match.group(1), match.group(2)
        module = next((m for m in lessons() if m.slug == slug), None)
        if module is None:
            raise PluginError(f"{page.file.src_uri}: <!-- measured: {slug} --> names no rendered lesson")
        sentence = measured_sentence(render(module).read_text(encoding="utf-8"), phrase)
        if sentence is None:
            raise PluginError(f"{page.file.src_uri}: the rendered lesson {slug} has no output starting {phrase!r}")
        link = os.path.relpath(f"modules/{slug}.md", os.path.dirname(page.file.src_uri) or ".")
        return (f"> {sentence}\n>\n> — measured by the [module {module.number} lesson]({link}) when this site was built, "
                "on the build machine; open the lesson to measure on yours.")

    return MEASURED.sub(quote, markdown)
