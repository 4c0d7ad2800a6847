"""The persistent Chroma store: ingest, idempotence, partial re-embedding, settings checks, atomicity, server mode."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import free_port, make_settings
from tutor.embeddings import make_embeddings
from tutor.ingest import ingest
from tutor.retrieve import Retriever
from tutor.store import Store, StoreError


class CountingEmbeddings:
    """Wraps the real model and counts the texts it is asked to embed."""

    def __init__(self, inner):
        self.inner = inner
        self.embedded = 0

    def embed_documents(self, texts):
        self.embedded += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


def test_ingest_builds_a_searchable_store(mini_settings, embeddings):
    report = ingest(mini_settings, embeddings=embeddings)
    assert report.chunks > 10 and report.embedded == report.chunks
    store = Store(mini_settings)
    assert store.info().counts == {
        "revolutionary-russia": store.info().counts["revolutionary-russia"],
        "russian-revolution-and-stalin": store.info().counts["russian-revolution-and-stalin"],
    }
    passages = Retriever(store, embeddings, mini_settings).search("famine of 1891", k=3)
    assert passages[0].source == "revolutionary-russia"
    assert "famine" in " ".join(p.text for p in passages).lower()


def test_second_ingest_of_unchanged_corpus_embeds_nothing(mini_settings, embeddings):
    ingest(mini_settings, embeddings=embeddings)
    before = Store(mini_settings).info().collection
    counting = CountingEmbeddings(embeddings)
    report = ingest(mini_settings, embeddings=counting)
    assert counting.embedded == 0 and report.embedded == 0 and not report.changed
    assert Store(mini_settings).info().collection == before


def test_new_cleaning_rules_rebuild_the_chunks(mini_settings, embeddings, monkeypatch):
    """A store built by older cleaning rules is re-chunked; chunks whose text did not change keep their vectors."""
    import tutor.ingest

    ingest(mini_settings, embeddings=embeddings)
    before = Store(mini_settings).info()
    monkeypatch.setattr(tutor.ingest, "cleaning_key", lambda: "older rules")
    counting = CountingEmbeddings(embeddings)
    report = ingest(mini_settings, embeddings=counting)
    assert sorted(report.changed) == sorted(before.counts) and counting.embedded == 0
    assert Store(mini_settings).info().collection != before.collection


def test_changed_file_reembeds_only_its_new_chunks(mini_settings, mini_corpus, embeddings):
    first = ingest(mini_settings, embeddings=embeddings)
    article = mini_corpus / "article.txt"
    article.write_text(article.read_text(encoding="utf-8") + "\nThe tutor's test added this closing paragraph about the Petrograd Soviet in 1917.\n", encoding="utf-8")
    counting = CountingEmbeddings(embeddings)
    report = ingest(mini_settings, embeddings=counting)
    assert report.changed == ["russian-revolution-and-stalin"]
    assert report.unchanged == ["revolutionary-russia"]
    assert 1 <= counting.embedded <= 2  # the changed tail chunk only
    assert report.chunks >= first.chunks
    texts = [c.text for c in Store(mini_settings).chunks()]
    assert any("closing paragraph about the Petrograd Soviet" in t for t in texts)


def test_other_settings_give_a_clear_rebuild_error(mini_settings, embeddings):
    ingest(mini_settings, embeddings=embeddings)
    other = make_settings(mini_settings.data_dir, mini_settings.corpus_dir, size=64)
    with pytest.raises(StoreError, match=r"tutor ingest --rebuild") as err:
        Store(other).active()
    assert "chunk_size" in str(err.value)
    with pytest.raises(StoreError, match=r"tutor ingest --rebuild"):
        ingest(other, embeddings=embeddings)
    report = ingest(other, rebuild=True, embeddings=embeddings)
    assert report.chunks > 0 and Store(other).active() is not None


def test_empty_store_says_to_ingest(mini_settings):
    with pytest.raises(StoreError, match="tutor ingest"):
        Store(mini_settings).active()


def _embedding_rows(database) -> int:
    """Rows in Chroma's embeddings table, read without taking a write lock (0 while it cannot be read)."""
    import sqlite3

    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1) as db:
            return db.execute("SELECT count(*) FROM embeddings").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_killed_ingest_leaves_previous_store_usable(full_store_dir, tmp_path, embeddings):
    """Kill a real `tutor ingest --rebuild` process halfway; the old store must still answer."""
    data_dir = tmp_path / "data"
    shutil.copytree(full_store_dir, data_dir)
    settings = make_settings(data_dir)
    before = Store(settings).info()
    env = {**os.environ, "TUTOR_DATA_DIR": str(data_dir)}
    database = data_dir / "chroma" / "chroma.sqlite3"
    rows_before = _embedding_rows(database)
    proc = subprocess.Popen([sys.executable, "-m", "tutor.cli", "ingest", "--rebuild"], env=env)
    # Kill it once the new collection has received its first rows, however fast or slow this machine is.
    deadline = time.time() + 300
    while _embedding_rows(database) <= rows_before and proc.poll() is None and time.time() < deadline:
        time.sleep(0.2)
    assert proc.poll() is None, "ingest finished before it could be interrupted"
    assert _embedding_rows(database) > rows_before, "ingest never started writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    store = Store(settings)
    assert store.info() == before
    passages = Retriever(store, embeddings, settings).search("Bloody Sunday 1905", k=3)
    assert len(passages) == 3
    # The next ingest sees nothing changed and clears the half-built leftover.
    report = ingest(settings, embeddings=embeddings)
    assert report.embedded == 0
    names = {getattr(c, "name", c) for c in store.client.list_collections()}
    assert names == {before.collection, f"{settings.collection}_registry"}


@pytest.fixture
def chroma_server(tmp_path):
    """A real `chroma run` server on a free localhost port."""
    chroma = Path(sys.executable).with_name("chroma")
    port = free_port()
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma run did not start")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=20)


def test_server_mode_uses_a_real_chroma_server(chroma_server, mini_settings, embeddings):
    mini_settings.chroma_url = chroma_server
    report = ingest(mini_settings, embeddings=embeddings)
    assert report.chunks > 10
    assert not (mini_settings.data_dir / "chroma").exists(), "server mode must not write a local store"
    store = Store(mini_settings)
    passages = Retriever(store, embeddings, mini_settings).search("Bloody Sunday petition to the Tsar", k=3)
    assert any("Gapon" in p.text or "Tsar" in p.text for p in passages)
    assert ingest(mini_settings, embeddings=embeddings).embedded == 0


def test_unreachable_server_gives_a_clear_error(mini_settings):
    mini_settings.chroma_url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(StoreError, match="Chroma"):
        Store(mini_settings)


def test_int8_model_is_a_different_store(mini_settings):
    """The int8 option changes the vectors: a store built with it names the rebuild when opened without it."""
    from tutor.embeddings import embedding_id

    int8 = mini_settings.model_copy(deep=True)
    int8.embedding.int8 = True
    assert embedding_id(int8.embedding) != embedding_id(mini_settings.embedding)
    report = ingest(int8)
    assert report.chunks > 10 and Retriever(Store(int8), make_embeddings(int8.embedding), int8).search("famine of 1891", k=1)
    with pytest.raises(StoreError, match="rebuild"):
        ingest(mini_settings)
