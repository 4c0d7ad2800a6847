"""The Gradio app in a real headless Chromium, against `tutor serve` started on localhost by the test."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from tutor_plugins.debate.positions import load_bank

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


@pytest.fixture(scope="module")
def server(tutor_server):
    return tutor_server


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed (scripts/setup.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


def _page(browser, url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    page.wait_for_selector("#message textarea")
    page.wait_for_selector("#sources .tutor-sources")  # the page-load event (session restore) has run
    return page, dialogs


def _send(page, text: str) -> str:
    """Send a message and return the text of the new bot reply once it has stopped changing."""
    bots = page.locator("#chat .bot.message")
    before = bots.count()
    page.fill("#message textarea", text)
    page.click("#send")
    deadline, previous = time.time() + 90, None
    while time.time() < deadline:
        page.wait_for_timeout(700)
        if bots.count() <= before:
            continue
        current = bots.last.inner_text().strip()
        if current and not current.endswith("…") and current == previous:
            return current
        previous = current
    pytest.fail(f"no complete reply to {text!r}")


def test_question_gets_cited_answer_with_highlighted_source(browser, server):
    page, _ = _page(browser, server)
    answer = _send(page, "What happened on Bloody Sunday?")
    assert "[1]" in answer
    page.wait_for_selector("#sources mark")
    assert page.locator("#sources .tutor-source").count() >= 1
    assert "Revolutionary Russia" in page.inner_text("#sources")
    assert "offline" in page.inner_text("body")  # the backend indicator
    href = page.locator("#chat .bot.message a").first.get_attribute("href")
    assert href and href.startswith("#src-")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "explain.png"), full_page=True)
    page.context.close()


def test_debate_as_stalin_replies_in_character(browser, server):
    page, _ = _page(browser, server)
    page.click("#debate-setup")
    page.click("#start-debate")
    page.wait_for_function("() => document.querySelectorAll('#chat .bot.message').length > 0 && document.querySelector('#chat').innerText.includes('Motion')", timeout=60_000)
    reply = _send(page, "Socialism could never be built in one backward country; the revolution had to spread to Europe.")
    stalin = load_bank().sides["stalin"]
    phrases = stalin.rhetoric.rebuttal_openers + [c.claim for c in stalin.claims]
    assert any(p in reply for p in phrases)
    assert "[1]" in reply
    corrected = _send(page, "Stalin became General Secretary in 1930.")
    assert "You say 1930" in corrected and "1922" in corrected  # the reply itself answers the false claim
    page.wait_for_function("() => document.querySelector('#scorecard').innerText.includes('contradicted')", timeout=60_000)
    panel = page.inner_text("#scorecard")
    assert "Motion:" in panel and "Now arguing:" in panel and "1922" in panel
    page.screenshot(path=str(SCREENSHOTS / "debate.png"), full_page=True)
    page.context.close()


def test_socratic_first_reply_is_a_question(browser, server):
    page, _ = _page(browser, server)
    page.get_by_label("Socratic").check()
    reply = _send(page, "Why did the Bolsheviks introduce the New Economic Policy?")
    assert reply.strip().endswith("?")
    page.screenshot(path=str(SCREENSHOTS / "socratic.png"), full_page=True)
    page.context.close()


def test_export_produces_the_conversation(browser, server):
    page, _ = _page(browser, server)
    _send(page, "What was the Kronstadt mutiny?")
    page.click("#export")
    page.wait_for_selector("#files a", timeout=30_000)
    page.wait_for_timeout(500)
    links = page.locator("#files a[download]")
    hrefs = {links.nth(i).get_attribute("download"): links.nth(i).get_attribute("href") for i in range(links.count())}
    markdown = next(h for name, h in hrefs.items() if name.endswith(".md"))
    as_json = next(h for name, h in hrefs.items() if name.endswith(".json"))
    content = page.request.get(markdown).text()
    assert "What was the Kronstadt mutiny?" in content and "Revolutionary Russia" in content
    data = page.request.get(as_json).json()
    assert data["messages"][1]["result"]["citations"]
    page.context.close()


def test_two_browsers_do_not_share_history(browser, server):
    first, _ = _page(browser, server)
    second, _ = _page(browser, server)
    _send(first, "What was War Communism?")
    assert "War Communism" not in second.inner_text("#chat")
    _send(second, "Who was Father Gapon?")
    assert "Gapon" not in first.inner_text("#chat").split("What was War Communism?")[0]
    assert "Father Gapon?" not in first.inner_text("#chat")
    first.context.close()
    second.context.close()


@pytest.mark.parametrize("attack", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"])
def test_html_input_is_shown_as_text_and_never_runs(browser, server, attack):
    page, dialogs = _page(browser, server)
    _send(page, attack)
    page.wait_for_timeout(1000)
    assert not dialogs
    assert attack in page.locator("#chat .user.message").last.inner_text()
    assert page.locator("#chat img[src='x']").count() == 0
    page.context.close()


def test_page_fetches_nothing_from_the_internet(browser, server):
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(server)
    page.wait_for_selector("#sources .tutor-sources")
    _send(page, "What was the NEP?")
    outside = [u for u in requested if not u.startswith(("http://127.0.0.1", "data:", "blob:"))]
    assert not outside, outside
    context.close()


def test_reload_restores_the_conversation(browser, server):
    page, _ = _page(browser, server)
    _send(page, "What was the Kornilov affair?")
    page.reload()
    page.wait_for_selector("#message textarea")
    page.wait_for_function("() => document.querySelector('#chat').innerText.includes('Kornilov affair?')", timeout=30_000)
    assert page.locator("#chat .bot.message").count() >= 1
    page.context.close()


def test_broken_store_is_offered_a_rebuild(browser, tmp_path, embeddings):
    import os
    import subprocess
    import sys

    from tests.conftest import MINI_CORPUS, free_port, make_settings, wait_for_http
    from tutor.ingest import ingest

    settings = make_settings(tmp_path / "data", MINI_CORPUS)
    ingest(settings, embeddings=embeddings)
    (settings.data_dir / "chroma" / "chroma.sqlite3").write_bytes(b"not a database" * 200)
    port = free_port()
    env = {**os.environ, "TUTOR_DATA_DIR": str(settings.data_dir), "TUTOR_CORPUS_DIR": str(MINI_CORPUS)}
    proc = subprocess.Popen([str(Path(sys.executable).with_name("tutor")), "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", proc)
        page, _ = _page(browser, f"http://127.0.0.1:{port}/")
        page.wait_for_function("() => document.querySelector('#store-status').innerText.includes('cannot be used')", timeout=30_000)
        assert "tutor ingest --rebuild" in page.inner_text("#store-status")
        page.click("#rebuild")
        page.wait_for_function("() => document.querySelector('#store-status').innerText.includes('Store rebuilt')", timeout=180_000)
        assert "[1]" in _send(page, "What happened on Bloody Sunday?")
        page.context.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
