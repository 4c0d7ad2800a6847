"""Shared fixtures: the real embedding model, a small fixture store, and the full-corpus store built once per session."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tutor.ingest import ingest
from tutor.services import Services
from tutor.settings import Settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")

DATA = Path(__file__).parent / "data"
MINI_CORPUS = DATA / "mini_corpus"


@pytest.fixture(scope="session")
def embeddings():
    """The real bundled MiniLM model, loaded once."""
    from tutor.embeddings import make_embeddings

    model = make_embeddings(Settings().embedding)
    model.embed_query("warm up")
    return model


def make_settings(data_dir: Path, corpus_dir: Path | None = None, **chunking) -> Settings:
    """Settings for a test store in its own folder."""
    settings = Settings(data_dir=data_dir, corpus_dir=corpus_dir, chroma_url=None)
    for key, value in chunking.items():
        setattr(settings.chunking, key, value)
    return settings


@pytest.fixture(scope="session")
def encoder_texts() -> list[str]:
    """Texts every way of running the encoder must handle alike: a question, an empty string, odd Unicode and HTML,
    and one longer than the model's 256 word pieces (every runtime must truncate it the same way)."""
    return [
        "When did Nicholas II abdicate?",
        "",
        "Ежов — the Yezhovshchina, 1937–8 «terror» <b>HTML</b> 🙂",
        " ".join(["The Bolsheviks seized power in Petrograd in October 1917 and dissolved the Constituent Assembly."] * 30),
    ]


@pytest.fixture
def mini_corpus(tmp_path) -> Path:
    """A writable copy of the small fixture corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(MINI_CORPUS, target)
    return target


@pytest.fixture
def mini_settings(tmp_path, mini_corpus) -> Settings:
    """Settings pointing at the fixture corpus and an empty data folder."""
    return make_settings(tmp_path / "data", mini_corpus)


@pytest.fixture(scope="session")
def full_store_dir(tmp_path_factory, embeddings) -> Path:
    """The full corpus ingested once per test session; returns its data folder."""
    data_dir = tmp_path_factory.mktemp("full-store")
    ingest(make_settings(data_dir), embeddings=embeddings)
    return data_dir


@pytest.fixture(scope="session")
def full(full_store_dir, embeddings) -> Services:
    """Services over the full-corpus store, sharing the session's model."""
    services = Services(make_settings(full_store_dir))
    services.embeddings = embeddings
    return services


def free_port() -> int:
    """A TCP port on localhost that nothing listens on right now.

    Another process could take it before our server binds it; the server then
    exits and `wait_for_http` fails at once with its exit code, never by timing out.
    """
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, proc, seconds: float = 120) -> None:
    """Wait until `url` answers 200, or fail (and stop `proc`)."""
    import time

    import httpx

    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the server for {url} exited with code {proc.returncode} before answering")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.kill()
    pytest.fail(f"{url} did not come up")


@pytest.fixture(scope="session")
def tutor_server(full_store_dir):
    """`tutor serve` on the full store, on a free localhost port; yields its URL."""
    import subprocess
    import sys

    port = free_port()
    env = {**os.environ, "TUTOR_DATA_DIR": str(full_store_dir), "GRADIO_ANALYTICS_ENABLED": "False"}
    proc = subprocess.Popen([str(Path(sys.executable).with_name("tutor")), "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    wait_for_http(url, proc)
    yield url
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server for the session, in a temporary folder (see tests/postgres.py)."""
    from tests import postgres as pg

    # Not under pytest's tmp folders: their 0700 parents would keep the `postgres` user out.
    folder = Path(tempfile.mkdtemp(prefix="tutor-pg-"))
    server = pg.start(folder, free_port())
    yield server
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def sessions_url(request, tmp_path) -> str:
    """An empty session database of each engine: a SQLite file, or a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'sessions.sqlite3'}"
    return request.getfixturevalue("postgres").new_database()
