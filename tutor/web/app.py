"""The Gradio app: wires the layout to the chat handlers and serves it on localhost, offline (no analytics, no share link)."""

from __future__ import annotations

import os
import threading
from functools import partial

import gradio as gr

from tutor.engine import Engine
from tutor.web import handlers, layout, study, timeline_tab


def create_app(engine: Engine) -> gr.Blocks:
    """The page for an engine, with every event wired."""
    debate = engine.registry.modes.get("debate")
    motions = debate.option_choices().get("motion", []) if debate else []
    page = layout.build(engine.tools.backend, engine.registry.choices(), motions, engine.services.settings.browser_secret, [(s.title, s.id) for s in engine.services.corpus.sources])
    chat_outputs = [page.chatbot, page.session, page.sources, page.scorecard, page.textbox, page.saved_id]
    with page.blocks:
        page.blocks.load(partial(handlers.restore, engine), [page.saved_id], chat_outputs, api_name=False)
        chat = partial(handlers.chat, engine)
        chat.__name__ = "chat"  # gradio names the API endpoint after the function
        for trigger in (page.textbox.submit, page.send.click):
            trigger(chat, [page.textbox, page.chatbot, page.session, page.mode], chat_outputs, api_name="chat" if trigger == page.textbox.submit else False)
        page.examples.click(lambda sample: sample[0], [page.examples], [page.textbox], api_name=False)
        debate_start = partial(handlers.start_debate, engine)
        page.start_debate.click(debate_start, [page.chatbot, page.session, page.side, page.motion, page.rounds], chat_outputs, api_name=False).then(
            lambda: "debate", None, page.mode, api_name=False
        )
        page.new_session.click(handlers.reset, None, chat_outputs, api_name=False)
        page.export.click(handlers.export, [page.session], [page.files], api_name=False)
        page.blocks.load(partial(handlers.store_status, engine), None, page.store_status, api_name=False)
        page.rebuild.click(partial(handlers.rebuild_store, engine), None, page.store_status, api_name=False)
        timeline_tab.wire(engine, page.blocks, page.timeline)
    study.add_page(page.blocks, engine, page.saved_id)
    return page.blocks


def warm_up(engine: Engine) -> None:
    """Everything a first turn would otherwise pay for (see `Toolkit.warm`); with a broken store, nothing."""
    from tutor.store import StoreError

    try:
        engine.services.retriever
    except StoreError:
        return  # the page offers the rebuild
    engine.tools.warm()


def serve(engine: Engine, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Run the app until interrupted; sentence vectors are computed in the background meanwhile."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    threading.Thread(target=warm_up, args=(engine,), daemon=True, name="warm-up").start()
    app = create_app(engine)
    theme = gr.themes.Default(font=["ui-sans-serif", "system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"])
    app.queue(default_concurrency_limit=8).launch(server_name=host, server_port=port, share=False, theme=theme, css=layout.CSS, show_error=False, footer_links=[])
