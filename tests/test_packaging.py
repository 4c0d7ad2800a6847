"""The package finds its corpus and prompts both from this checkout and from a built wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_checkout_resources_are_found():
    from tutor.resources import resource_dir

    assert (resource_dir("corpus") / "manifest.json").is_file()
    assert resource_dir("prompts").is_dir()


def test_wheel_carries_corpus_prompts_and_plugins(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("tutor-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "tutor/_resources/corpus/manifest.json" in names
    assert "tutor/_resources/corpus/revolutionary-russia-1891-1991.txt" in names
    assert any(n.startswith("tutor/_resources/prompts/") for n in names)
    assert any(n.startswith("tutor_plugins/") for n in names)
    assert any(n.endswith("entry_points.txt") for n in names)

    # Import the unpacked wheel, not the checkout, from a folder outside the repository.
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    code = "from tutor.corpus import Corpus; c = Corpus(); print(c.dir); print(len(c.document('revolutionary-russia').paragraphs))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(unpacked), "PYTHONSAFEPATH": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    location, paragraphs = result.stdout.split()
    assert location.startswith(str(unpacked))
    assert int(paragraphs) > 900
