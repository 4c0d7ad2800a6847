"""`tutor timeline`: the dated events of both sources in order, filtered by years, topic and source."""

from __future__ import annotations

import json

from tutor.corpus import Corpus
from tutor.settings import Settings
from tutor.timeline.events import TimelineEvent, load_timeline, select


def add_parser(subparsers) -> None:
    """Add the `timeline` subcommand to a `tutor` argument parser's subparsers."""
    p = subparsers.add_parser("timeline", help="print the dated events of both sources in order (New Style, with Old Style before February 1918)")
    p.add_argument("--from", dest="year_from", type=int, metavar="YEAR", help="only events from this year on")
    p.add_argument("--to", dest="year_to", type=int, metavar="YEAR", help="only events up to this year")
    p.add_argument("--topic", metavar="TEXT", help="only events whose sentence has all these words")
    p.add_argument("--source", action="append", metavar="ID", help="only this source (repeatable)")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(func=run_command)


def format_event(event: TimelineEvent, partner: dict[str, TimelineEvent]) -> str:
    """One event for the terminal: the date in both styles, the source, the sentence, any disagreement."""
    when = event.date if event.old_style is None or event.old_style == event.date else f"{event.date} (Old Style {event.old_style})"
    lines = [f"{when:<34} [{event.precision}] {event.source}: {event.text}"]
    for key in event.disagrees_with:
        other = partner.get(key)
        if other:
            lines.append(f"{'':<34} ! {other.source} dates this {other.date}: {other.text}")
    return "\n".join(lines)


def run_command(args) -> int:
    """Print the selected events; a bad year range or source id gets a message."""
    settings = Settings()
    if args.year_from is not None and args.year_to is not None and args.year_from > args.year_to:
        raise ValueError(f"--from {args.year_from} is after --to {args.year_to}.")
    corpus = Corpus(settings.corpus_dir)
    known = [s.id for s in corpus.sources]
    unknown = [s for s in args.source or () if s not in known]
    if unknown:
        raise ValueError(f"Unknown source {', '.join(unknown)}; the sources are: {', '.join(known)}.")
    events = load_timeline(corpus, settings.data_dir)
    chosen = select(events, args.year_from, args.year_to, args.topic, tuple(args.source or ()))
    if args.json:
        print(json.dumps([e.public() for e in chosen], ensure_ascii=False, indent=2))
        return 0
    by_key = {e.key: e for e in events}
    for event in chosen:
        print(format_event(event, by_key))
    print(f"\n{len(chosen)} dated sentences." if chosen else "No dated sentences match.")
    return 0
