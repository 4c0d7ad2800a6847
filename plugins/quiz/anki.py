"""An Anki deck of quiz items, written with `genanki`: one note per item, its back the keyed answer and the cited sentence.

Model and deck ids are fixed (Anki matches notes across imports by them), and
each note's guid is the item id, so re-exporting after more study updates the
learner's notes in Anki instead of duplicating them.
"""

from __future__ import annotations

import html
from pathlib import Path

import genanki

from .grading import LETTERS
from .items import ItemKind, QuizItem

MODEL_ID = 1_607_392_319
DECK_ID = 2_059_400_110
_CSS = ".card { font-family: sans-serif; font-size: 18px; text-align: left; } .source { color: #555; font-size: 15px; }"


def _model() -> genanki.Model:
    return genanki.Model(
        MODEL_ID,
        "Tutor quiz item",
        fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Source"}, {"name": "Topic"}],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "{{Question}}",
                "afmt": '{{FrontSide}}<hr id="answer"><b>{{Answer}}</b><p class="source">{{Source}}</p>',
            }
        ],
        css=_CSS,
    )


def _front(item: QuizItem) -> str:
    prompt = html.escape(item.prompt)
    if item.kind == ItemKind.TRUE_FALSE:
        return f"True or false?<br>{prompt}"
    if item.kind == ItemKind.CHOICE:
        options = "<br>".join(f"{LETTERS[i]}) {html.escape(o)}" for i, o in enumerate(item.options))
        return f"{prompt}<br><br>{options}"
    return prompt


def _back(item: QuizItem) -> str:
    if item.kind == ItemKind.TRUE_FALSE:
        return "True" if item.answer == "true" else f"False ({html.escape(item.key)}, not {html.escape(item.distractors[0])})"
    return html.escape(item.answer)


def _source(item: QuizItem) -> str:
    c = item.citation
    return f"“{html.escape(c.quote)}”<br><i>{html.escape(c.title)}</i>, {html.escape(c.location)}"


def write_deck(items: list[QuizItem], path: Path, name: str = "Russian Revolution tutor") -> int:
    """Write the items as an .apkg deck; returns the number of notes."""
    deck = genanki.Deck(DECK_ID, name)
    model = _model()
    for item in items:
        tags = ["tutor", item.kind.value, item.answer_type.value]
        deck.add_note(genanki.Note(model=model, fields=[_front(item), _back(item), _source(item), html.escape(item.topic)], guid=item.id, tags=tags))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    genanki.Package(deck).write_to_file(str(path))
    return len(deck.notes)
