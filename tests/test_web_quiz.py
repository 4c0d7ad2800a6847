"""A quiz round in the real page (headless Chromium against `tutor serve`), and the study page showing what is due."""

from __future__ import annotations

import pytest

from tests.test_web import SCREENSHOTS, _page, _send, browser, server  # noqa: F401  (the shared browser and server fixtures)

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_a_quiz_round_then_the_study_page(browser, server):  # noqa: F811
    page, _ = _page(browser, server)
    page.get_by_label("Quiz").check()
    first = _send(page, "the famine of 1891")
    assert "Question 1" in first
    second = _send(page, "skip")
    assert "Not quite: the answer is" in second or "Not quite: the statement is" in second
    assert "[1]" in second and "Question 2" in second
    page.wait_for_selector("#sources mark")  # the cited sentence, highlighted in its passage
    third = _send(page, "1891")
    assert third.startswith(("Right", "Not quite")) and "comes back in" in third
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "quiz.png"), full_page=True)

    page.goto(server.rstrip("/") + "/study")
    page.wait_for_function("() => document.querySelector('#study') && document.querySelector('#study').innerText.includes('mastery')", timeout=60_000)
    text = page.inner_text("#study")
    assert "Due for review now" in text and "famine" in text.lower()
    page.screenshot(path=str(SCREENSHOTS / "study.png"), full_page=True)
    page.context.close()
