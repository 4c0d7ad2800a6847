"""The Timeline tab: a zoomable chart (Plotly) and a list of the sources' dated sentences, filtered by years,
topic and source; each listed event opens to its sentence exactly as the source has it."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from functools import partial

import gradio as gr

from tutor.timeline.events import TimelineEvent, select

MAX_LISTED = 200  # events listed below the chart; the chart shows them all
FIRST_YEAR, LAST_YEAR = 1850, 2000
CSS = """
.tutor-timeline details { border-left: 3px solid #2c6e91; padding: 2px 8px; margin: 4px 0; }
.tutor-timeline details.disagrees { border-left-color: #c0392b; }
.tutor-timeline summary { cursor: pointer; }
.tutor-timeline .when { font-weight: 600; margin-right: 6px; }
.tutor-timeline blockquote { margin: 6px 0 6px 12px; font-size: 0.95em; }
"""


@dataclass
class TimelineTab:
    """Handles on the tab's components."""

    year_from: gr.Number
    year_to: gr.Number
    topic: gr.Textbox
    sources: gr.CheckboxGroup
    show: gr.Button
    chart: gr.Plot
    events: gr.HTML


def build(sources: list[tuple[str, str]]) -> TimelineTab:
    """Lay out the tab (inside a `gr.Tab`); `sources` are (title, id) pairs."""
    gr.Markdown(
        "Every dated sentence of the two sources, in **New Style** (the Gregorian calendar). Russia kept the "
        "Old Style (Julian) calendar until 31 January 1918, thirteen days behind: dates before the switch show both."
    )
    with gr.Row():
        year_from = gr.Number(1914, label="From year", precision=0, minimum=FIRST_YEAR, maximum=LAST_YEAR, elem_id="timeline-from")
        year_to = gr.Number(1924, label="To year", precision=0, minimum=FIRST_YEAR, maximum=LAST_YEAR, elem_id="timeline-to")
        topic = gr.Textbox(label="Topic", placeholder="e.g. Kronstadt, Lenin, famine", elem_id="timeline-topic", scale=2)
        chosen = gr.CheckboxGroup(sources, value=[sid for _, sid in sources], label="Sources", elem_id="timeline-sources", scale=2)
        show = gr.Button("Show", variant="primary", elem_id="timeline-show")
    chart = gr.Plot(label="Timeline (drag to zoom, double-click to reset)", elem_id="timeline-chart")
    events = gr.HTML(elem_id="timeline-events")
    return TimelineTab(year_from, year_to, topic, chosen, show, chart, events)


def _when(event: TimelineEvent) -> str:
    """The date as a reader wants it: '7 November 1917 (25 October Old Style)', 'October 1917', '1930s'."""
    if event.precision == "decade":
        return f"{event.date}s"
    if event.precision == "year":
        return event.date
    if event.precision == "month":
        y, m = (int(x) for x in event.date.split("-"))
        style = " (Old Style month)" if event.calendar == "julian" else ""
        return f"{date(y, m, 1):%B} {y}{style}"
    new = date.fromisoformat(event.date)
    text = f"{new.day} {new:%B} {new.year}"
    if event.old_style:
        y, m, d = (int(x) for x in event.old_style.split("-"))
        text += f" ({d} {date(2000, m, 1):%B}{'' if y == new.year else f' {y}'} Old Style)"
    return text


def _start(event: TimelineEvent) -> date:
    parts = [int(x) for x in event.date.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2])


def figure(events: list[TimelineEvent], titles: dict[str, str]):
    """A Plotly chart: one lane per source, a point per dated sentence, disagreements marked."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for source, title in titles.items():
        mine = [e for e in events if e.source == source]
        if not mine:
            continue
        fig.add_trace(
            go.Scatter(
                x=[_start(e) for e in mine],
                y=[title.split(",")[0].split(" (")[0]] * len(mine),
                mode="markers",
                name=title,
                marker={"size": [12 if e.disagrees_with else 8 for e in mine], "symbol": ["x" if e.disagrees_with else "circle" for e in mine], "opacity": 0.7},
                text=[f"<b>{html.escape(_when(e))}</b><br>{'<br>'.join(_wrap(html.escape(e.text)))}" for e in mine],
                hoverinfo="text",
            )
        )
    fig.update_layout(height=320, margin={"l": 10, "r": 10, "t": 10, "b": 30}, showlegend=False, dragmode="zoom", xaxis={"type": "date"})
    return fig


def _wrap(text: str, width: int = 80) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) > width:
            lines.append(line)
            line = ""
        line = f"{line} {word}".strip()
    return lines + [line] if line else lines


def listing(events: list[TimelineEvent], titles: dict[str, str], by_key: dict[str, TimelineEvent]) -> str:
    """The events as HTML: each opens to its sentence exactly as the source has it, and to any disagreement."""
    if not events:
        return '<div class="tutor-timeline"><p>No dated sentences match. Widen the years or change the topic.</p></div>'
    items = []
    for e in events[:MAX_LISTED]:
        other = [by_key[k] for k in e.disagrees_with if k in by_key]
        clash = "".join(f"<p><b>The other source dates this {html.escape(_when(o))}:</b> “{html.escape(o.quote)}”</p>" for o in other)
        items.append(
            f'<details class="{"disagrees" if other else ""}"><summary><span class="when">{html.escape(_when(e))}</span>'
            f"{html.escape(e.text[:160])}{'…' if len(e.text) > 160 else ''}</summary>"
            f"<blockquote>“{html.escape(e.quote)}”</blockquote><p><i>{html.escape(titles.get(e.source, e.source))}</i>, {html.escape(e.location)}"
            f" · characters {e.start}–{e.end} · written “{html.escape(e.date_text)}”</p>{clash}</details>"
        )
    more = f"<p>{len(events) - MAX_LISTED} more in the chart: narrow the years or add a topic to list them.</p>" if len(events) > MAX_LISTED else ""
    return f'<div class="tutor-timeline"><p>{len(events)} dated sentences.</p>{"".join(items)}{more}</div>'


def show(engine, year_from, year_to, topic, sources):
    """The chart and the list for the filters; a reversed year range gets a message."""
    titles = {s.id: s.title for s in engine.services.corpus.sources}
    if year_from is not None and year_to is not None and year_from > year_to:
        return None, f'<div class="tutor-timeline"><p>The first year ({int(year_from)}) is after the last ({int(year_to)}).</p></div>'
    every = engine.tools.timeline
    chosen = select(
        every,
        int(year_from) if year_from is not None else None,
        int(year_to) if year_to is not None else None,
        (topic or "").strip() or None,
        tuple(sources or ()) or ("-",),  # no source ticked: nothing, not everything
    )
    return figure(chosen, titles), listing(chosen, titles, {e.key: e for e in every})


def wire(engine, blocks: gr.Blocks, tab: TimelineTab) -> None:
    """Fill the tab on page load and on every change of its filters."""
    inputs = [tab.year_from, tab.year_to, tab.topic, tab.sources]
    handler = partial(show, engine)
    handler.__name__ = "timeline"
    blocks.load(handler, inputs, [tab.chart, tab.events], api_name=False)
    for trigger in (tab.show.click, tab.topic.submit, tab.sources.change):
        trigger(handler, inputs, [tab.chart, tab.events], api_name=False)
