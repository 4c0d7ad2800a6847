"""Eval suite files: JSONL, one item a line, parsed into typed items (unknown fields are ignored)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tutor.retrieval_metrics import Evidence

# missing_detail: on topic, but the detail asked for (an exact figure, date or name) is in neither source.
Kind = Literal["answerable", "multi_hop", "false_premise", "out_of_scope", "missing_detail", "debate_stance", "socratic"]
KINDS: tuple[str, ...] = get_args(Kind)
# The repository's evals/ folder (the suites and thresholds live next to the package in a checkout).
EVALS_DIR = Path(__file__).resolve().parents[2] / "evals"
# The student splits are phrased as students, revision sites and exam boards ask (other words,
# spellings and quiz framing); the others were written from the texts in their own words.
DEFAULT_SUITES = tuple(EVALS_DIR / "suite" / f"{split}.jsonl" for split in ("dev", "test", "student-dev", "student-test"))

KeywordGroups = list[list[str]]


class DatasetError(ValueError):
    """A suite file that cannot be read or has a malformed line."""


class EvalItem(BaseModel):
    """One eval question with what a good reply must (and must not) contain."""

    model_config = ConfigDict(extra="ignore")

    id: str
    kind: Kind
    question: str
    mode: Literal["explain", "socratic", "debate"] = "explain"
    side: Literal["trotsky", "stalin"] | None = None
    answer_keywords: KeywordGroups = Field(default_factory=list, description="Every group needs one of its alternatives.")
    evidence: list[Evidence] = Field(default_factory=list, description="Exact quotes of the sources that answer it.")
    forbidden: list[str] = Field(default_factory=list, description="Strings the reply must not contain.")
    stance_keywords: KeywordGroups = Field(default_factory=list, description="Debate: groups the reply must contain.")
    must_ask: bool = Field(False, description="Socratic: the first reply must ask the learner a question.")
    where: str = Field("", description="Where in the sources the answer is (free text).")


class Suite(BaseModel):
    """The items of one suite file; its split is the file stem (dev, test, …)."""

    split: str
    path: str
    items: list[EvalItem]


def load_suite(path: Path) -> Suite:
    """Parse a JSONL suite file; a malformed line raises DatasetError naming the file and line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"{path}: cannot read the suite file ({exc})") from exc
    items = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            items.append(EvalItem.model_validate(json.loads(line)))
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{path}, line {number}: not valid JSON ({exc.msg})") from exc
        except ValidationError as exc:
            error = exc.errors()[0]
            field = ".".join(str(part) for part in error["loc"]) or "item"
            raise DatasetError(f"{path}, line {number}: {field}: {error['msg']}") from exc
    return Suite(split=path.stem, path=str(path), items=items)
