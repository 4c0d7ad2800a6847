"""Turn results into what the page shows: chat Markdown with linked markers, the sources panel, the scorecard, exports.

Everything that comes from the learner or the texts is HTML-escaped here, so
nothing typed into the chat can run in the page.
"""

from __future__ import annotations

import html
import json
import re

from tutor.models import Session, TurnResult

_MARKER = re.compile(r"\[(\d+)\]")


def escape_markdown_html(text: str) -> str:
    """Neutralise HTML in text that will be rendered as Markdown."""
    return html.escape(text, quote=False)


def answer_markdown(result: TurnResult) -> str:
    """The answer for the chat: markers link to the sources panel, unsupported sentences are marked."""
    text = escape_markdown_html(result.answer)
    for entry in result.grounding:
        if entry.factual and not entry.supported and entry.text:
            escaped = escape_markdown_html(entry.text)
            text = text.replace(escaped, f"**[unsupported]** *{escaped}*", 1)
    numbers = {c.number for c in result.citations}
    text = _MARKER.sub(lambda m: f"[[{m.group(1)}]](#src-{m.group(1)})" if int(m.group(1)) in numbers else m.group(0), text)
    notices = [n for n in result.notices if n != result.answer]
    if notices:
        text += "\n\n" + "\n".join(f"> **Note:** {escape_markdown_html(n)}" for n in notices)
    return text


def sources_html(result: TurnResult | None) -> str:
    """The sources panel: each citation with its title and location, the quoted span highlighted in its passage."""
    if result is None or not result.citations:
        return "<div class='tutor-sources'><p>Sources for the latest answer appear here.</p></div>"
    passages = {p.chunk_id: p for p in result.passages}
    items = []
    for c in result.citations:
        passage = passages.get(c.chunk_id)
        context = passage.text if passage else c.quote
        quote = c.quote if c.quote in context else " ".join(c.quote.split())
        if quote in context:
            before, _, after = context.partition(quote)
            body = f"{html.escape(before)}<mark>{html.escape(quote)}</mark>{html.escape(after)}"
        else:
            body = f"<mark>{html.escape(c.quote)}</mark>"
        items.append(
            f"<div class='tutor-source' id='src-{c.number}'><p><b>[{c.number}]</b> <i>{html.escape(c.title)}</i> — "
            f"{html.escape(c.location)}</p><blockquote>{body}</blockquote></div>"
        )
    return "<div class='tutor-sources'>" + "".join(items) + "</div>"


def scorecard_markdown(result: TurnResult | None, motion: str = "", subject: str = "") -> str:
    """The debate panel: the motion (or "Open debate") and the subject now argued, then the learner's claims,
    the verdict of the sources and, for a claim they contradict, the correction with its source."""
    head = [f"**Motion:** {_cell(motion)}"] if motion else []
    if subject:
        head.append(f"**Now arguing:** {_cell(subject)}")
    if result is None or not result.scorecard:
        return "\n\n".join(head + ["_Your factual claims in a debate are checked against the sources here._"])
    rows = ["| your claim | verdict | what the sources say |", "| --- | --- | --- |"]
    for entry in result.scorecard:
        where = f"“{entry.citation.quote}” ({entry.citation.title}, {entry.citation.location})" if entry.citation else "Nothing in the sources bears this out."
        rows.append(f"| {_cell(entry.claim)} | **{entry.verdict}** | {_cell(where)} |")
    return "\n\n".join(head + ["\n".join(rows)])


def _cell(text: str) -> str:
    return escape_markdown_html(text).replace("|", "\\|").replace("\n", " ")


def conversation_markdown(session: Session) -> str:
    """The conversation as a Markdown document, each answer followed by its sources."""
    lines = ["# Tutor conversation", ""]
    for message in session.messages:
        if message.role == "user":
            lines += [f"**You:** {message.content}", ""]
            continue
        lines += [f"**Tutor:** {message.content}", ""]
        for c in message.result.citations if message.result else []:
            lines.append(f"- [{c.number}] *{c.title}*, {c.location}: “{c.quote}”")
        lines.append("")
    return "\n".join(lines)


def conversation_json(session: Session) -> str:
    """The whole session (messages with their full results and citations) as JSON."""
    return json.dumps(session.model_dump(mode="json"), ensure_ascii=False, indent=2)
