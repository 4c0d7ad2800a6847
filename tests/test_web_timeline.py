"""The Timeline tab and a comparison in a real headless Chromium, against `tutor serve` on the full store."""

from __future__ import annotations

import pytest
from test_web import SCREENSHOTS, _page, _send, browser  # noqa: F401  (the browser fixture and helpers of the web tests)

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _open_timeline(page):
    page.get_by_role("tab", name="Timeline").click()
    page.wait_for_selector("#timeline-events .tutor-timeline")
    page.wait_for_selector("#timeline-chart .js-plotly-plot")


def test_timeline_tab_filters_and_opens_the_source_sentence(browser, tutor_server):  # noqa: F811
    page, dialogs = _page(browser, tutor_server)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    _open_timeline(page)
    listed = page.inner_text("#timeline-events")
    assert "dated sentences" in listed and "Old Style" in listed  # 1914–1924 by default: days before 1918 show both styles
    # The chart is Plotly's, with a point per event, and zooms (its mode bar offers zoom and reset).
    assert page.locator("#timeline-chart .scatterlayer .point").count() > 50
    page.fill("#timeline-from input", "1921")
    page.fill("#timeline-to input", "1921")
    page.fill("#timeline-topic textarea, #timeline-topic input", "Kronstadt")
    page.click("#timeline-show")
    page.wait_for_function("document.querySelector('#timeline-events').innerText.includes('Kronstadt') && !document.querySelector('#timeline-events').innerText.includes('1917')")
    items = page.locator("#timeline-events details")
    assert items.count() >= 2
    assert all("Kronstadt" in items.nth(i).inner_text() for i in range(items.count()))
    items.first.locator("summary").click()
    quote = items.first.locator("blockquote")
    quote.wait_for(state="visible")
    assert "Kronstadt" in quote.inner_text() and "characters" in items.first.inner_text()
    # The June offensive: the two sources' dates disagree, and the list says so.
    page.fill("#timeline-from input", "1917")
    page.fill("#timeline-to input", "1917")
    page.fill("#timeline-topic textarea, #timeline-topic input", "attack")
    page.click("#timeline-show")
    page.wait_for_selector("#timeline-events details.disagrees")
    page.locator("#timeline-events details.disagrees summary").first.click()
    assert "The other source dates this" in page.inner_text("#timeline-events details.disagrees >> nth=0")
    # A reversed range is told, not a traceback.
    page.fill("#timeline-from input", "1930")
    page.fill("#timeline-to input", "1920")
    page.click("#timeline-show")
    page.wait_for_function("document.querySelector('#timeline-events').innerText.includes('is after the last')")
    page.fill("#timeline-from input", "1917")
    page.fill("#timeline-to input", "1918")
    page.fill("#timeline-topic textarea, #timeline-topic input", "Petrograd")
    page.click("#timeline-show")
    page.wait_for_function("document.querySelector('#timeline-events').innerText.includes('dated sentences.') && !document.querySelector('#timeline-events').innerText.includes('is after')")
    page.locator("#timeline-events details").nth(3).locator("summary").click()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 1100})
    page.screenshot(path=str(SCREENSHOTS / "timeline.png"))
    outside = [u for u in requested if not u.startswith(("http://127.0.0.1", "data:", "blob:"))]
    assert not outside and not dialogs, outside
    page.context.close()


def test_a_comparison_side_by_side(browser, tutor_server):  # noqa: F811
    page, _ = _page(browser, tutor_server)
    page.get_by_label("Compare").check()
    answer = _send(page, "How do the sources differ on the famine of 1932–33?")
    assert "Revolutionary Russia" in answer and "The Russian Revolution and Joseph Stalin" in answer
    assert "Where they differ." in answer and "The figures differ" in answer and "8.5 million" in answer
    page.wait_for_selector("#sources mark")
    sources = page.inner_text("#sources")
    assert "Revolutionary Russia" in sources and "Russian Revolution and Joseph Stalin" in sources
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "compare.png"), full_page=True)
    page.context.close()
