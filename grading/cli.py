"""The `course` command. Exit codes (DESIGN.md section 6): 0 passed / done, 1 not passed,
2 bad usage or unknown id, 3 grader fault."""

from __future__ import annotations

import gc
import os
import secrets
import sys
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from grading.catalog import Course, Item

EXIT_PASSED, EXIT_FAILED, EXIT_USAGE, EXIT_FAULT = 0, 1, 2, 3

app = typer.Typer(add_completion=False, no_args_is_help=True, help="The ML engineering onboarding course: list, check, verify, release.")
data_app = typer.Typer(no_args_is_help=True, help="Course datasets.")
quiz_app = typer.Typer(no_args_is_help=True, help="The quiz bank.")
exam_app = typer.Typer(no_args_is_help=True, help="The timed practical exams.")
app.add_typer(data_app, name="data")
app.add_typer(quiz_app, name="quiz")
app.add_typer(exam_app, name="exam")
console = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def _course() -> Course:
    try:
        return Course.load()
    except FileNotFoundError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(EXIT_USAGE) from None


def _item(course: Course, item_id: str) -> Item:
    if item_id not in course.items:
        err.print(f"[red]Unknown item id {item_id!r}.[/red] Valid ids:")
        err.print("  " + "  ".join(course.items))
        raise typer.Exit(EXIT_USAGE)
    return course.items[item_id]


@contextmanager
def _no_workflow_commands():
    """In GitHub Actions, stop learner text we print from being read as workflow commands."""
    if os.environ.get("GITHUB_ACTIONS") != "true":
        yield
        return
    token = secrets.token_hex(16)
    print(f"::stop-commands::{token}", flush=True)
    try:
        yield
    finally:
        print(f"::{token}::", flush=True)


@app.command("list")
def list_items() -> None:
    """Every item of the course, with its status and your last result where known."""
    course = _course()
    from grading.progress import last_results

    results = last_results(course)
    table = Table(title=course.course.title)
    for col in ("id", "title", "kind", "minutes", "status", "your result"):
        table.add_column(col)
    for item in course.item:
        r = results.get(item.id)
        mine = f"{r.status} {r.score:g}/{r.max_score:g}" if r else ""
        status = "[green]ready[/green]" if item.status == "ready" else "[dim]planned[/dim]"
        table.add_row(item.id, item.title, item.kind, str(item.minutes), status, mine)
    console.print(table)


@app.command()
def check(
    item_id: Annotated[str, typer.Argument(metavar="ID", help="item id, e.g. 1.1")],
    submission: Annotated[Path | None, typer.Option(help="grade this file instead of the item's notebook")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the JSON report here")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or md")] = "text",
) -> None:
    """Grade one item and print feedback."""
    if fmt not in ("text", "md"):
        err.print("[red]--format must be text or md[/red]")
        raise typer.Exit(EXIT_USAGE)
    course = _course()
    item = _item(course, item_id)
    from grading.run import grade_safely

    with console.status(f"Grading {item.id}…", spinner="dots") as status:
        report, fault = grade_safely(course, item, submission, progress=lambda m: status.update(f"Grading {item.id}: {m}…"))
    if json_out:
        report.write(json_out)
    from grading.progress import record

    if submission is None:
        record(course, report)
    with _no_workflow_commands():
        if fmt == "md":
            from grading.render import to_markdown

            sys.stdout.write(to_markdown(report))
        else:
            from grading.render import to_terminal

            to_terminal(report, console)
    if fault == "planned":
        raise typer.Exit(EXIT_USAGE)
    if fault == "busy":
        raise typer.Exit(EXIT_FAULT)
    if fault:
        err.print("[dim]grader traceback (for the course maintainers):[/dim]")
        err.print(fault, markup=False)
        raise typer.Exit(EXIT_FAULT)
    _exit_now(EXIT_PASSED if report.passed else EXIT_FAILED)


@app.command()
def verify(
    item_ids: Annotated[list[str] | None, typer.Argument(metavar="[ID]...")] = None,
    quick: Annotated[bool, typer.Option("--quick", help="grade one wrong and one valid case per item (all are still built)")] = False,
) -> None:
    """Maintainers: solutions pass, stubs score ~0, known-wrong submissions are rejected."""
    course = _course()
    items = [_item(course, i) for i in item_ids] if item_ids else [i for i in course.item if i.status == "ready"]
    from grading.verify import verify_item

    table = Table(title="course verify")
    for col in ("item", "case", "ok", "detail", "s"):
        table.add_column(col)
    all_ok = True
    for item in items:
        with console.status(f"Verifying {item.id}…"):
            try:
                outcomes = verify_item(course, item, quick=quick)
            except Exception:  # noqa: BLE001 - report a broken item, go on with the next
                err.print(f"[red]{item.id}: the grader failed[/red]\n{traceback.format_exc()}")
                all_ok = False
                continue
        for o in outcomes:
            all_ok &= o.ok
            table.add_row(o.item, o.case, "[green]yes[/green]" if o.ok else "[red]NO[/red]", o.detail, f"{o.seconds:.1f}")
    console.print(table)
    raise typer.Exit(0 if all_ok else EXIT_FAILED)


@app.command()
def case(
    item_id: Annotated[str, typer.Argument(metavar="ID")],
    name: Annotated[str, typer.Argument(metavar="KIND/NAME", help="e.g. wrong/isna_only (no suffix needed)")],
    from_file: Annotated[Path | None, typer.Option("--from", help="an edited copy of the solution: store what differs as the case's patch")] = None,
) -> None:
    """Maintainers: print a known-wrong or valid case as the full notebook it grades; with --from, write it back as a patch."""
    course = _course()
    item = _item(course, item_id)
    from grading import cases

    kind, _, stem = name.partition("/")
    stem = Path(stem).stem
    if kind not in ("wrong", "valid") or not stem or item.kind == "capstone" or not item.hidden_dir:
        err.print("[red]Give an exercise, challenge or exam id and wrong/NAME or valid/NAME[/red] (capstone cases are patches of the folder).")
        raise typer.Exit(EXIT_USAGE)
    folder = course.root / item.hidden_dir / kind
    existing = [p for p in cases.case_files(folder) if p.stem == stem]
    solution = (course.root / item.path).read_text(encoding="utf-8")
    try:
        if from_file is None:
            if not existing:
                err.print(f"[red]No case {kind}/{stem} for {item.id}.[/red]")
                raise typer.Exit(EXIT_USAGE)
            sys.stdout.write(cases.build(solution, existing[0].read_text(encoding="utf-8")))
            return
        header = cases.comment_header(existing[0].read_text(encoding="utf-8")) if existing else "# expect-fail: \n# why: \n"
        text = cases.write_patch(solution, from_file.read_text(encoding="utf-8"), item.path, header)
    except cases.CaseError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(EXIT_USAGE) from None
    target = folder / f"{stem}.patch"
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    for old in existing:
        if old != target:
            old.unlink()
    console.print(f"Wrote {target.relative_to(course.root)} ({len(text.splitlines())} lines); `course verify {item.id}` grades it.")


@app.command()
def release(out_dir: Annotated[Path, typer.Argument(metavar="OUT_DIR")]) -> None:
    """Write the learner template repository into OUT_DIR."""
    course = _course()
    from grading.release import release as do_release

    try:
        files = do_release(course, out_dir)
    except FileExistsError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(EXIT_USAGE) from None
    console.print(f"Wrote the learner template ({len(files)} files) to {out_dir}")


@app.command()
def ci(
    out: Annotated[Path, typer.Option("--out", help="folder for the report JSON files (the artifact)")] = Path("course-report"),
    fetch_hidden: Annotated[bool, typer.Option("--fetch-hidden", help="only fetch the hidden tests (COURSE_SOURCE_REPO/TOKEN)")] = False,
) -> None:
    """In GitHub Actions: grade the items a pull request changes; reports, job summary, annotations."""
    course = _course()
    from grading.github import ci as github_ci

    raise typer.Exit(github_ci.fetch_only(course) if fetch_hidden else github_ci.run(course, out))


@app.command()
def post(report_dir: Annotated[Path, typer.Argument(metavar="REPORT_DIR")]) -> None:
    """In GitHub Actions (workflow_run): sticky PR comments, labels, progress tracker, mentor review."""
    course = _course()
    from grading.github import post as github_post

    raise typer.Exit(github_post.run(course, report_dir))


@app.command()
def progress() -> None:
    """Your progress across all items, from your last `course check` of each."""
    course = _course()
    from grading.progress import show

    show(course, console)


@app.command()
def regrade(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="the learner's checkout")],
    item_ids: Annotated[list[str] | None, typer.Option("--item", help="grade only this item (repeatable)")] = None,
    json_dir: Annotated[Path | None, typer.Option("--json", help="write one report per item into this folder")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or md")] = "text",
) -> None:
    """Mentors: grade a learner's checkout with the course's own tests; list protected files they changed."""
    course = _course()
    from grading.regrade import main as regrade_main

    with _no_workflow_commands():
        code = regrade_main(course, path, ids=item_ids, json_dir=json_dir, fmt=fmt, console=console)
    raise typer.Exit(code)


@app.command()
def certificate(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="the learner's checkout")],
    reports: Annotated[Path, typer.Option("--reports", help="the folder `course regrade PATH --json` wrote")],
    out: Annotated[Path, typer.Option("--out", help="folder for certificate.md and certificate.html")],
    mentor: Annotated[str | None, typer.Option("--mentor", help="your login (must be in course.toml mentors): your approval")] = None,
) -> None:
    """Mentors: issue the completion record after regrade, or say exactly what is missing."""
    course = _course()
    from grading.certificate import main as certificate_main

    raise typer.Exit(certificate_main(course, path, reports_dir=reports, mentor=mentor, out_dir=out, console=console))


@data_app.command("verify")
def data_verify() -> None:
    """Regenerate every dataset, compare with data/MANIFEST, validate schemas, measure calibration."""
    from coursedata.verify import main as verify_data

    raise typer.Exit(verify_data(console))


@exam_app.command("start")
def exam_start(item_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """Learners: record the start of a timed practical exam (a committed file; the report shows the time taken)."""
    course = _course()
    item = _item(course, item_id)
    if item.kind != "exam":
        exams = ", ".join(i.id for i in course.item if i.kind == "exam")
        err.print(f"{item_id} is not a practical exam; the exams are {exams}.")
        raise typer.Exit(EXIT_USAGE)
    from grading.exam_clock import start

    path, record, new, git = start(course, item)
    rel = path.relative_to(course.root)
    if not new:
        console.print(f"{item.id} was already started at {record.get('started_at')} ({rel}); the clock keeps running.")
        return
    console.print(f"Started {item.id} at {record['started_at']}: you have {item.minutes} minutes. "
                  f"Open {item.path} (uv run marimo edit {item.path}); {git}.")


@quiz_app.command("stats")
def quiz_stats() -> None:
    """Counts of the question bank per module, difficulty and type."""
    from grading.quiz import main as stats

    raise typer.Exit(stats() or 0)


def _exit_now(code: int) -> None:
    """Exit without tearing down pandas, pyarrow and friends (~0.3 s here): all our work is
    written and flushed, and the learner process is already gone."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main() -> None:
    # A short-lived command that mostly imports modules: the cyclic GC only costs time here.
    gc.disable()
    from grading.bytecode import compile_own, ensure_compiled

    ensure_compiled(lambda what: err.print(f"[dim]First run: {what}…[/dim]"))
    compile_own()
    app()


if __name__ == "__main__":
    main()
