"""The course site: `mkdocs build --strict` passes, every internal link and anchor resolves, the
pages derived from course.toml are all there, lessons render (and a failing lesson fails the
build), `mkdocs serve` answers on 127.0.0.1, and Chromium renders the home page, a lesson and a
cheat sheet without a console error (screenshots in .cache/site/screenshots/)."""

from __future__ import annotations

import http.server
import importlib.util
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx
import pytest

from grading.catalog import Course

ROOT = Path(__file__).resolve().parent.parent
COURSE = Course.load(ROOT)
CHROMIUM = "/usr/bin/chromium"  # Debian's; elsewhere (GitHub runners) Playwright's own, after `playwright install chromium`
SCREENSHOTS = ROOT / ".cache" / "site" / "screenshots"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
# Material loads mermaid from unpkg when a page has a diagram. The browser here is offline, so
# the test serves that URL from the same release fetched with npm (pinned, cached).
MERMAID_URL = "https://unpkg.com/mermaid@11/dist/mermaid.min.js"
MERMAID_VERSION = "11.17.2"


def load_hook():
    spec = importlib.util.spec_from_file_location("course_site", ROOT / "docs" / "hooks" / "course_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)], cwd=ROOT,
                          capture_output=True, text=True, env=ENV, timeout=1200)
    print(f"\nsite build: {time.perf_counter() - start:.1f} s")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out


def pages(site: Path) -> list[Path]:
    """The site's own HTML pages (not the rendered lessons or marimo's assets)."""
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] not in ("lessons", "_marimo"))


class Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) and tag in ("a", "img", "iframe", "script", "link"):
                self.links.append(attrs[name])


def parse(path: Path) -> Refs:
    refs = Refs()
    refs.feed(path.read_text(encoding="utf-8"))
    return refs


def resolve(site: Path, page: Path, link: str) -> tuple[Path, str]:
    parts = urlsplit(link)
    base = site if parts.path.startswith("/") else page.parent  # 404.html links from the site root
    target = page if not parts.path else (base / unquote(parts.path).lstrip("/")).resolve()
    if target.is_dir():
        target = target / "index.html"
    return target, parts.fragment


def test_build_passes_strict_and_has_the_pages(site):
    html = pages(site)
    print(f"pages: {len(html)}")
    assert len(html) >= 25
    for module in COURSE.module:
        assert (site / "modules" / module.slug / "index.html").is_file()
    items = (site / "modules" / "index.html").read_text(encoding="utf-8")
    for item in COURSE.item:
        assert f"<code>{item.id}</code>" in items, f"item {item.id} is missing from the item list"
    for name in ("dataframes", "pandera", "sklearn", "metrics", "xgboost", "fastapi", "marimo"):
        assert (site / "cheatsheets" / name / "index.html").is_file()
    assert (site / "search" / "search_index.json").is_file()


def test_no_broken_internal_link_or_anchor(site):
    broken, checked, ids = [], 0, {}
    for page in pages(site):
        for link in parse(page).links:
            if re.match(r"^[a-z]+:", link) or link.startswith("//"):
                continue  # external (https:, mailto:) links are not fetched offline
            target, fragment = resolve(site, page, link)
            checked += 1
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {link} (no such file)")
            elif fragment and target.suffix == ".html" and target.relative_to(site).parts[0] not in ("lessons", "_marimo"):
                if target not in ids:
                    ids[target] = parse(target).ids
                if fragment not in ids[target]:
                    broken.append(f"{page.relative_to(site)}: {link} (no anchor #{fragment})")
    print(f"internal links checked: {checked}")
    assert checked > 500
    assert not broken, "\n".join(broken)


def test_every_existing_lesson_is_rendered_with_local_assets(site):
    lessons = [m for m in COURSE.module if (ROOT / m.lesson).is_file()]
    assert len(lessons) >= 2
    for module in lessons:
        html = (site / "lessons" / f"{module.slug}.html").read_text(encoding="utf-8")
        assert "cdn.jsdelivr.net" not in html and "../_marimo/assets/" in html
        assert "lessons/" + module.slug in (site / "modules" / module.slug / "index.html").read_text(encoding="utf-8")
    for module in COURSE.module:
        if not (ROOT / module.lesson).is_file():
            assert "Lesson in progress" in (site / "modules" / module.slug / "index.html").read_text(encoding="utf-8")


def test_the_landscape_quotes_the_figure_module_1_measured(site):
    text = (site / "landscape" / "index.html").read_text(encoding="utf-8")
    quote = re.search(r"Measured just now, on [\d,]+ rows, on this machine.*?faster than the slowest", text, re.S)
    assert quote, "the benchmark sentence of the rendered Module 1 lesson"
    assert "../modules/01_data_engineering/" in text


def test_interview_prep_has_60_questions_with_answers():
    text = (ROOT / "docs" / "interview.md").read_text(encoding="utf-8")
    blocks = re.findall(r'^\?\?\? question "(.+?)"\n((?:    .*\n|\n)+)', text, re.M)
    print(f"interview questions: {len(blocks)}")
    assert len(blocks) >= 60
    short = [q for q, answer in blocks if len(answer.split()) < 25 and "#worked-example" not in answer]
    assert not short, f"each question has a model answer (or points to a worked example): {short}"
    assert "## Worked example: the card price service at 10,000 requests per second" in text
    assert "## Worked example: a fraud model with delayed labels" in text


def test_a_failing_lesson_fails_the_build_and_a_passing_one_is_cached(tmp_path, monkeypatch):
    hook = load_hook()
    monkeypatch.setattr(hook, "ROOT", tmp_path)
    monkeypatch.setattr(hook, "CACHE", tmp_path / "cache")
    folder = tmp_path / "modules" / "09_broken"
    folder.mkdir(parents=True)
    notebook = ("import marimo\n\napp = marimo.App()\n\n\n@app.cell\ndef _():\n    ratio = {expr}\n    return (ratio,)\n\n\n"
                'if __name__ == "__main__":\n    app.run()\n')
    (folder / "09_broken.py").write_text(notebook.format(expr="1 / 0"))
    module = COURSE.module[0].model_copy(update={"slug": "09_broken", "number": 9})
    with pytest.raises(hook.PluginError, match=r"lesson modules/09_broken/09_broken.py failed to run[\s\S]*division by zero"):
        hook.render(module)
    (folder / "09_broken.py").write_text(notebook.format(expr="1 / 2"))
    first = hook.render(module)
    stamp = first.stat().st_mtime_ns
    assert hook.render(module) == first and first.stat().st_mtime_ns == stamp, "unchanged inputs reuse the rendering"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_mkdocs_serve_answers_on_loopback():
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=ENV, start_new_session=True)
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.stdout.read().decode()[-3000:]
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
                if response.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(1)
        else:
            pytest.fail("mkdocs serve did not answer within 600 s")
        assert "ML Engineering Onboarding" in response.text
        assert httpx.get(f"http://127.0.0.1:{port}/cheatsheets/marimo/", timeout=10).status_code == 200
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def mermaid_js() -> Path:
    folder = ROOT / ".cache" / "site" / f"mermaid-{MERMAID_VERSION}"
    script = folder / "package" / "dist" / "mermaid.min.js"
    if not script.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "pack", f"mermaid@{MERMAID_VERSION}", "--silent"], cwd=folder, check=True, capture_output=True, timeout=300)
        subprocess.run(["tar", "xzf", f"mermaid-{MERMAID_VERSION}.tgz", "package/dist/mermaid.min.js"], cwd=folder, check=True)
    return script


@pytest.fixture(scope="module")
def served(site):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.browser
@pytest.mark.parametrize(("name", "path", "expect"), [
    ("home", "/", "ML Engineering Onboarding"),
    ("lesson", "/lessons/01_data_engineering.html", "Module 1 · Data engineering and validation"),
    ("cheatsheet", "/cheatsheets/dataframes/", "pandas ↔ polars ↔ DuckDB SQL"),
    ("workflows", "/workflows/", "Industry workflows"),
])
def test_chromium_renders_the_page_without_console_errors(served, mermaid_js, name, path, expect):
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).is_file() else None, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.route(MERMAID_URL, lambda route: route.fulfill(path=str(mermaid_js), content_type="text/javascript"))
            errors, outside = [], []
            page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("request", lambda req: req.url.startswith(("http://", "https://")) and not req.url.startswith(served)
                    and req.url != MERMAID_URL and outside.append(req.url))
            page.goto(served + path, wait_until="networkidle", timeout=120_000)
            page.get_by_text(expect, exact=False).first.wait_for(timeout=60_000)
            diagrams = {"home": 1, "workflows": 4}.get(name, 0)
            if diagrams:  # Material swaps each <pre class="mermaid"> for a rendered <div> (closed shadow DOM)
                page.wait_for_function(f"document.querySelectorAll('div.mermaid').length === {diagrams}", timeout=60_000)
                heights = page.eval_on_selector_all("div.mermaid", "els => els.map(e => e.getBoundingClientRect().height)")
                assert all(h > 30 for h in heights), heights
            if name == "lesson":
                page.get_by_text("Measured just now", exact=False).first.wait_for(timeout=60_000)
            page.wait_for_timeout(500)
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
        finally:
            browser.close()
    assert not errors, errors
    assert not outside, f"the page fetched from outside the site: {outside}"


def test_the_pages_workflow_builds_strictly_and_deploys_with_least_privilege():
    import yaml

    wf = yaml.safe_load((ROOT / ".github" / "workflows" / "source-pages.yml").read_text())
    on = wf.pop(True, None) or wf["on"]  # YAML 1.1 reads `on:` as true
    assert set(on) == {"push", "workflow_dispatch"} and on["push"] == {"branches": ["main"]}
    assert wf["permissions"] == {}
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"} and deploy["needs"] == "build"
    runs = [s.get("run", "") for s in build["steps"]]
    assert any(r.startswith("uv run --frozen mkdocs build --strict") for r in runs)
    assert build["steps"][0]["with"]["persist-credentials"] is False
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
