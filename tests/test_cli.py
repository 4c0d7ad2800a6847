"""The `tutor` command line, run as a real console script against real stores."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TUTOR = str(Path(sys.executable).with_name("tutor"))


def run(args: list[str], data_dir: Path, **env) -> subprocess.CompletedProcess:
    environment = {**os.environ, "TUTOR_DATA_DIR": str(data_dir), **env}
    return subprocess.run([TUTOR, *args], capture_output=True, text=True, env=environment, timeout=300)


def test_config_prints_every_setting(tmp_path):
    result = run(["config"], tmp_path, TUTOR_CHUNKING__SIZE="128")
    assert result.returncode == 0
    assert "TUTOR_DATA_DIR" in result.stdout and str(tmp_path) in result.stdout
    assert "TUTOR_CHUNKING__SIZE" in result.stdout and "128" in result.stdout
    assert "TUTOR_CHROMA_URL" in result.stdout


def test_invalid_setting_is_a_clear_message(tmp_path):
    result = run(["config"], tmp_path, TUTOR_CHUNKING__SIZE="lots")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "chunking" in result.stderr.lower()


@pytest.mark.slow
def test_search_json_fields(full_store_dir):
    result = run(["search", "Kronstadt mutiny", "-k", "3", "--json"], full_store_dir)
    assert result.returncode == 0, result.stderr
    passages = json.loads(result.stdout)
    assert len(passages) == 3
    for p in passages:
        assert {"chunk_id", "source", "title", "location", "text", "start", "end", "score"} <= set(p)
    assert any("Kronstadt" in p["text"] for p in passages)


@pytest.mark.slow
def test_sources_lists_chunk_counts(full_store_dir):
    result = run(["sources", "--json"], full_store_dir)
    assert result.returncode == 0, result.stderr
    rows = {r["source"]: r for r in json.loads(result.stdout)}
    assert set(rows) == {"revolutionary-russia", "russian-revolution-and-stalin"}
    assert rows["revolutionary-russia"]["chunks"] > rows["russian-revolution-and-stalin"]["chunks"] > 20


@pytest.mark.slow
def test_reingest_of_unchanged_corpus_is_quick_and_embeds_nothing(full_store_dir, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(full_store_dir, data)
    result = run(["ingest"], data)
    assert result.returncode == 0, result.stderr
    assert "nothing embedded" in result.stdout


def test_ingest_of_missing_corpus_names_it(tmp_path):
    result = run(["ingest", str(tmp_path / "no-such-corpus")], tmp_path)
    assert result.returncode == 2
    assert "manifest.json" in result.stderr and "Traceback" not in result.stderr


def test_search_builds_the_store_when_there_is_none(tmp_path):
    corpus = Path(__file__).parent / "data" / "mini_corpus"
    result = run(["search", "famine", "-k", "2", "--json"], tmp_path, TUTOR_CORPUS_DIR=str(corpus))
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 2
