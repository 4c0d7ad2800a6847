"""`tutor quiz export --anki FILE`: a learner's deck, a topic's items or the whole sources' items as an Anki deck."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_LIMIT = 300


def add_parser(subparsers) -> None:
    """Add `quiz export` to the `tutor` command line."""
    quiz = subparsers.add_parser("quiz", help="quiz items: export them as an Anki deck")
    actions = quiz.add_subparsers(dest="quiz_command", required=True)
    p = actions.add_parser("export", help="write quiz items as an Anki deck (.apkg)")
    p.add_argument("--anki", required=True, type=Path, metavar="FILE", help="the .apkg file to write")
    p.add_argument("--session", type=Path, metavar="FILE", help="export the items of this session's quiz deck (a `tutor ask --session` file)")
    p.add_argument("--topic", help="export items made from the passages retrieved for this topic")
    p.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help=f"most items in a deck made from the sources (default {DEFAULT_LIMIT})")
    p.set_defaults(func=run_export)


def run_export(args: argparse.Namespace) -> int:
    """Collect the items and write the deck; a clear message and exit 2 when there are none."""
    from tutor.sessions import load_session

    from .anki import write_deck
    from .schedule import QuizProgress

    if args.anki.suffix != ".apkg":
        raise ValueError(f"{args.anki} should end in .apkg (Anki's deck package).")
    if args.session:
        if not args.session.exists():
            raise ValueError(f"There is no session file {args.session}.")
        saved = load_session(args.session).state.get("quiz", {}).get("progress")
        items = [r.item for r in QuizProgress.model_validate(saved).cards.values()] if saved else []
    else:
        items = _items_from_sources(args.topic, args.limit)
    if not items:
        print("tutor: no quiz items to export (the session has no quiz deck, or the sources give none on that topic).", file=sys.stderr)
        return 2
    count = write_deck(items, args.anki)
    print(f"Wrote {count} notes to {args.anki}.")
    return 0


def _items_from_sources(topic: str | None, limit: int):
    from tutor.models import Passage
    from tutor.services import Services
    from tutor.toolkit import Toolkit

    from .items import ItemFactory

    services = Services()
    services.ensure_store(progress=sys.stderr.isatty())
    factory = ItemFactory(services.corpus)
    if topic:
        tools = Toolkit(services)
        passages = tools.retrieve(topic, k=10)
        if not tools.assess(topic, passages).in_scope:
            raise ValueError(f"The sources don't cover “{topic}”.")
    else:
        passages = [Passage(**c.model_dump()) for c in services.retriever.chunks]
    items: dict = {}
    for passage in passages:
        for item in factory.from_passages([passage]):
            items.setdefault(item.id, item)  # overlapping chunks share sentences
        if len(items) >= limit:
            break
    return list(items.values())[:limit]
