"""A school's deployment: app processes sharing one Chroma server, one llama.cpp server and one PostgreSQL server.

A browser's conversation continues on the second app process after the first is
killed mid-conversation, and twenty students at once lose no turn (the rows are counted).
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import free_port, wait_for_http
from tests.test_llm import _model_path
from tests.test_web import CHROMIUM, FLAGS, _send

pytestmark = [pytest.mark.slow, pytest.mark.llm, pytest.mark.browser]

# Imported by name from evals/ so the load test's worker processes (spawned) can import it too.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "evals"))
load_test = importlib.import_module("load_test")


def _start(args: list[str], url: str, env: dict | None = None):
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_http(url, proc, 180)
    return proc


def test_session_continues_on_another_app_process(tmp_path, embeddings, postgres):
    from playwright.sync_api import sync_playwright

    from tests.conftest import make_settings
    from tutor.ingest import ingest

    bin_dir = Path(sys.executable).parent
    chroma_port, llm_port = free_port(), free_port()
    procs = [
        _start([str(bin_dir / "chroma"), "run", "--path", str(tmp_path / "chroma"), "--host", "127.0.0.1", "--port", str(chroma_port)], f"http://127.0.0.1:{chroma_port}/api/v2/heartbeat"),
        _start([sys.executable, "-m", "llama_cpp.server", "--model", str(_model_path()), "--host", "127.0.0.1", "--port", str(llm_port)], f"http://127.0.0.1:{llm_port}/v1/models"),
    ]
    try:
        settings = make_settings(tmp_path / "data", Path(__file__).parent / "data" / "mini_corpus")
        settings.chroma_url = f"http://127.0.0.1:{chroma_port}"
        ingest(settings, embeddings=embeddings)
        sessions_url = postgres.new_database()
        env = {
            **os.environ,
            "TUTOR_DATA_DIR": str(tmp_path / "data"),
            "TUTOR_CORPUS_DIR": str(settings.corpus_dir),
            "TUTOR_CHROMA_URL": settings.chroma_url,
            "TUTOR_SESSIONS_URL": sessions_url,
            "TUTOR_BROWSER_SECRET": "one-key-for-the-whole-school",
            "TUTOR_LLM__BACKEND": "openai",
            "TUTOR_LLM__BASE_URL": f"http://127.0.0.1:{llm_port}/v1",
            "TUTOR_LLM__MAX_TOKENS": "80",
        }
        apps = []

        def start_app() -> subprocess.Popen:
            port = free_port()
            proc = _start([str(bin_dir / "tutor"), "serve", "--port", str(port)], f"http://127.0.0.1:{port}/", env)
            procs.append(proc)
            apps.append(f"http://127.0.0.1:{port}/")
            return proc

        first_app = start_app()
        start_app()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            first = browser.new_context().new_page()
            first.goto(apps[0])
            first.wait_for_selector("#sources .tutor-sources")
            _send(first, "What happened on Bloody Sunday?")
            assert "openai:" in first.inner_text("body")
            stored = first.evaluate("() => Object.fromEntries(Object.entries(localStorage))")
            assert stored, "the browser keeps its session id"
            # The first process dies mid-conversation; the load balancer sends the same browser to the second.
            first_app.kill()
            first_app.wait(timeout=30)
            second = browser.new_context().new_page()
            second.add_init_script(f"for (const [k, v] of Object.entries({stored!r})) localStorage.setItem(k, v);".replace("'", '"'))
            second.goto(apps[1])
            second.wait_for_function("() => { const c = document.querySelector('#chat'); return c && c.innerText.includes('Bloody Sunday?'); }", timeout=60_000)
            _send(second, "Who led the march?")
            text = second.inner_text("#chat")
            assert text.index("Bloody Sunday?") < text.index("Who led the march?")
            browser.close()
        from tutor.session_store import SessionStore

        store = SessionStore(sessions_url)
        [conversation] = [c for c in store.conversations() if c.first_question == "What happened on Bloody Sunday?"]
        assert store.message_count(conversation.id, role="user") == 2  # one turn on each process, both stored
        # A class at once on the surviving process and a new one; every answered turn must have its rows.
        start_app()
        figures = load_test.run(apps[1:], users=20, seconds=20, max_turns=2, think=2.0, jitter=0.5, sessions_url=sessions_url)
        print(f"\nload on two apps, Chroma, llama.cpp and PostgreSQL: {figures}")
        assert figures["turns"] >= 20 and figures["errors"] == 0, figures["error_samples"]
        assert figures["lost_turns"] == 0
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=30)
