"""Find the folders shipped beside the code (corpus/, prompts/) in a checkout or an installed wheel.

In a source checkout or editable install they sit next to the ``tutor``
package; a built wheel carries them inside it as ``tutor/_resources/NAME``
(see ``[tool.setuptools.package-dir]`` in pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path


def resource_dir(name: str) -> Path:
    """The folder ``name`` (e.g. 'corpus' or 'prompts') shipped with the tutor."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "_resources" / name, package.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"The tutor's '{name}' folder is not installed (looked in {package}).")
