"""The reference UI in a real browser: Debian's Chromium, headless, driven by Playwright.

Screenshots are kept in reports/ (git-ignored; CI uploads it as an artifact).
"""

from __future__ import annotations

import httpx
import pytest

from tests.capstone_live import chromium_page, predict_in_ui, served
from tests.conftest import ROOT

SHOTS = ROOT / "reports"


@pytest.fixture(scope="module")
def url():
    from cardprice.predict import MODEL_PATH

    if not MODEL_PATH.exists():  # a fresh clone: train once, as the README says
        from cardprice.train import train

        train(track=False, log=lambda _: None)
    with served(ROOT) as base:
        yield base


def test_a_person_picks_a_card_and_sees_a_price_range_and_version(url):
    version = httpx.get(f"{url}/ready", timeout=10).json()["model_version"]
    SHOTS.mkdir(exist_ok=True)
    with chromium_page() as page:
        page.goto(url + "/")
        page.wait_for_function("document.getElementById('language').options.length > 0")
        page.type("#card", "charizard base", delay=20)  # the picker searches the catalog as you type
        page.wait_for_function("document.querySelectorAll('#card-options option').length > 0")
        choice = page.eval_on_selector("#card-options option", "o => o.value")
        assert "Charizard" in choice
        page.fill("#card", choice)
        page.select_option("#grading_company", "PSA")
        page.fill("#grade", "9")
        page.click("#predict")
        page.wait_for_selector("#result:not([hidden])")
        assert page.inner_text("#price").startswith("$")
        low, high = page.inner_text("#range").split(" – ")
        assert low.startswith("$") and high.startswith("$")
        assert page.inner_text("#model-version") == version
        assert page.is_hidden("#error")
        page.screenshot(path=str(SHOTS / "capstone_ui_prediction.png"), full_page=True)


def test_an_invalid_input_shows_the_api_message(url):
    with chromium_page() as page:
        predict_in_ui(page, url, "BS 004/102")  # a first prediction, then a bad one replaces it
        page.fill("#card", "BS 004/102")
        page.fill("#grade", "9")  # a grade, but the copy is ungraded: the API says how to fix it
        page.click("#predict")
        page.wait_for_selector("#error:not([hidden])")
        assert "grade is only for graded copies" in page.inner_text("#error")
        assert page.is_hidden("#result")
        page.fill("#grade", "")
        page.fill("#card", "ZZ 001/001")
        page.click("#predict")
        page.wait_for_function("document.getElementById('error').innerText.includes('We know no card ZZ 001/001')")
        page.screenshot(path=str(SHOTS / "capstone_ui_error.png"), full_page=True)
