"""`tutor sessions`: what a teacher or administrator does with stored conversations (list, export, delete, prune).

A request to delete a student's data is `tutor sessions export --id ID` (to hand
it over, if asked) then `tutor sessions delete --id ID`. Retention is
`TUTOR_SESSIONS_KEEP_DAYS`: the web app prunes at start-up, and a daily
`tutor sessions prune` (cron) keeps a long-running server within it.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def _store():
    from tutor.services import Services
    from tutor.settings import Settings

    return Services(Settings()).sessions


def cmd_list(args) -> int:
    """Print stored conversations, most recently active first."""
    rows = _store().conversations(limit=args.limit)
    if args.json:
        print(json.dumps([row.__dict__ for row in rows], indent=2, ensure_ascii=False))
        return 0
    for row in rows:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(row.updated))
        print(f"{row.id}  {when}  {row.mode:<9} {row.messages:>4} messages  {row.first_question[:60]!r}")
    return 0


def cmd_export(args) -> int:
    """Print (or write) one conversation as JSON."""
    session = _store().load(args.id)
    if session is None:
        print(f"tutor: no conversation with id {args.id}", file=sys.stderr)
        return 1
    text = session.model_dump_json(indent=2)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0


def cmd_delete(args) -> int:
    """Delete one conversation and all its messages."""
    if not _store().delete(args.id):
        print(f"tutor: no conversation with id {args.id}", file=sys.stderr)
        return 1
    print(f"Deleted conversation {args.id}.")
    return 0


def cmd_prune(args) -> int:
    """Delete conversations untouched for longer than the retention period."""
    from tutor.settings import Settings

    days = args.older_than if args.older_than is not None else Settings().sessions_keep_days
    if not days:
        print("tutor: give --older-than DAYS or set TUTOR_SESSIONS_KEEP_DAYS; nothing was deleted.", file=sys.stderr)
        return 2
    print(f"Deleted {_store().prune(days)} conversations untouched for more than {days:g} days.")
    return 0


def add_parser(sub) -> None:
    """Add `tutor sessions …` to the CLI."""
    parser = sub.add_parser("sessions", help="list, export, delete or prune stored conversations")
    actions = parser.add_subparsers(dest="action", required=True)
    p = actions.add_parser("list", help="stored conversations, most recent first")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)
    p = actions.add_parser("export", help="one conversation as JSON")
    p.add_argument("--id", required=True)
    p.add_argument("--out", help="write to this file instead of printing")
    p.set_defaults(func=cmd_export)
    p = actions.add_parser("delete", help="delete one conversation and all its messages")
    p.add_argument("--id", required=True)
    p.set_defaults(func=cmd_delete)
    p = actions.add_parser("prune", help="delete conversations untouched for longer than the retention period")
    p.add_argument("--older-than", type=float, metavar="DAYS", help="default: TUTOR_SESSIONS_KEEP_DAYS")
    p.set_defaults(func=cmd_prune)
