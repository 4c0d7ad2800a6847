"""The page layout (components only; events are wired in tutor/web/app.py)."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from tutor.web import timeline_tab

EXAMPLES = [
    "Why did the famine of 1891 turn the public against the autocracy?",
    "What happened on Bloody Sunday?",
    "Why did the Bolsheviks introduce the New Economic Policy?",
    "How did collectivization affect the peasants?",
    "What was the Great Terror?",
]
CSS = """
.tutor-sources mark { background: #ffe58a; padding: 0 2px; }
.tutor-source { border-left: 3px solid #c0392b; padding-left: 8px; margin-bottom: 10px; }
.tutor-sources blockquote { margin: 4px 0; font-size: 0.92em; }
""" + timeline_tab.CSS


@dataclass
class Page:
    """Handles on the components the event wiring needs."""

    blocks: gr.Blocks
    chatbot: gr.Chatbot
    textbox: gr.Textbox
    send: gr.Button
    mode: gr.Radio
    session: gr.State
    saved_id: gr.BrowserState
    sources: gr.HTML
    scorecard: gr.Markdown
    side: gr.Radio
    motion: gr.Dropdown
    rounds: gr.Slider
    start_debate: gr.Button
    new_session: gr.Button
    export: gr.Button
    files: gr.File
    examples: gr.Dataset
    store_status: gr.Markdown
    rebuild: gr.Button
    timeline: timeline_tab.TimelineTab


def build(
    backend: str,
    modes: list[tuple[str, str]],
    motions: list[tuple[str, str]],
    browser_secret: str | None = None,
    sources_list: list[tuple[str, str]] = (),
) -> Page:
    """Lay out the page; `modes` are the installed plugins' (title, name) pairs, and `backend` is shown so the
    learner knows what writes the answers."""
    with gr.Blocks(title="Russian Revolution tutor", analytics_enabled=False) as blocks:
        gr.Markdown(f"# Russian Revolution tutor, 1891–1991\nAnswers come only from the two source texts, with exact citations. Answer backend: **{backend}**")
        session = gr.State(None)
        saved_id = gr.BrowserState(None, storage_key="tutor-session-id", secret=browser_secret)
        with gr.Tabs(elem_id="tabs"):
            with gr.Tab("Tutor", id="tutor-tab"):
                with gr.Row():
                    with gr.Column(scale=3):
                        mode = gr.Radio(modes, value=modes[0][1] if modes else None, label="Mode", elem_id="mode")
                        chatbot = gr.Chatbot(label="Conversation", height=520, elem_id="chat", sanitize_html=True)
                        with gr.Row():
                            textbox = gr.Textbox(placeholder="Ask about the Russian Revolution, or type /help", show_label=False, scale=5, elem_id="message")
                            send = gr.Button("Send", variant="primary", scale=1, elem_id="send")
                        examples = gr.Dataset(components=[textbox], samples=[[q] for q in EXAMPLES], label="Try one of these", elem_id="examples")
                        with gr.Row():
                            new_session = gr.Button("New session", elem_id="new-session")
                            export = gr.Button("Export conversation", elem_id="export")
                        files = gr.File(label="Exported files", file_count="multiple", elem_id="files")
                    with gr.Column(scale=2):
                        with gr.Accordion("Debate set-up", open=False, elem_id="debate-setup"):
                            side = gr.Radio(["Stalin", "Trotsky"], value="Stalin", label="The tutor argues as", elem_id="side")
                            motion = gr.Dropdown(motions, value=motions[0][1] if motions else None, label="Motion", allow_custom_value=True, elem_id="motion")
                            rounds = gr.Slider(1, 10, value=5, step=1, label="Rounds", elem_id="rounds")
                            start_debate = gr.Button("Start debate", elem_id="start-debate")
                        with gr.Accordion("Store", open=True, elem_id="store"):
                            store_status = gr.Markdown(elem_id="store-status")
                            rebuild = gr.Button("Rebuild the store", size="sm", elem_id="rebuild")
                        gr.Markdown("### Sources")
                        sources = gr.HTML(elem_id="sources")
                        gr.Markdown("### Debate scorecard")
                        scorecard = gr.Markdown(elem_id="scorecard")
            with gr.Tab("Timeline", id="timeline-tab"):
                timeline = timeline_tab.build(sources_list)
    return Page(blocks, chatbot, textbox, send, mode, session, saved_id, sources, scorecard, side, motion, rounds, start_debate, new_session, export, files, examples, store_status, rebuild, timeline)
