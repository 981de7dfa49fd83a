"""Still images of the lessons' interactive explainers, for the module pages.

    uv run mkdocs build && uv run python docs/hooks/stills.py [SITE_DIR]

For each rendered lesson that has an explainer (course_site.explainer_heading), opens
site/lessons/<slug>.html in Chromium, scrolls to the explainer's heading and saves the view
to docs/assets/explainers/<slug>.png. Commit the images after looking at them.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run"]


def hook():
    spec = importlib.util.spec_from_file_location("course_site", HERE / "course_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main(site: Path) -> None:
    site_hook = hook()
    out = site_hook.ROOT / site_hook.STILLS
    out.mkdir(parents=True, exist_ok=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).is_file() else None, args=ARGS)
            for module in site_hook.lessons():
                heading = site_hook.explainer_heading(module)
                if heading is None:
                    print(f"{module.slug}: no explainer")
                    continue
                page = browser.new_page(viewport={"width": 1280, "height": 1100})  # the heading and its control
                page.goto(f"{base}/lessons/{module.slug}.html", wait_until="networkidle", timeout=120_000)
                target = page.get_by_role("heading", name=heading.rstrip(".").split(". ", 1)[-1], exact=False).first
                target.wait_for(timeout=60_000)
                # The still shows what a learner sees and moves: controls and outputs, not the code
                # (one click away in the live lesson) nor the static page's toast.
                page.add_style_tag(content=".cm-editor { display: none !important; }")
                page.evaluate("""() => { for (const e of document.querySelectorAll('li, [role=status]'))
                    if (e.textContent.startsWith('Static notebook')) e.style.display = 'none'; }""")
                target.evaluate("e => e.scrollIntoView({block: 'start'})")
                page.evaluate("window.scrollBy(0, -60)")  # below marimo's static-notebook banner
                page.wait_for_timeout(1500)
                page.screenshot(path=str(out / f"{module.slug}.png"))
                print(f"{module.slug}: {out / f'{module.slug}.png'}")
                page.close()
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "site").resolve())
