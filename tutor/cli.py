"""The `tutor` command line: a thin layer that parses arguments and prints; the work happens in the modules it calls."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pydantic import ValidationError

from tutor.corpus import CorpusError
from tutor.embeddings import MissingDependency
from tutor.prompts import PromptError
from tutor.session_store import SessionStoreError
from tutor.settings import Settings, settings_rows
from tutor.store import StoreError

EXPECTED_ERRORS = (CorpusError, StoreError, SessionStoreError, MissingDependency, ValidationError, PromptError, ValueError, OSError)


def _settings(args) -> Settings:
    settings = Settings()
    corpus = getattr(args, "corpus", None)
    if corpus:
        settings.corpus_dir = Path(corpus)
    return settings


def cmd_config(args) -> int:
    """Print the effective settings."""
    settings = _settings(args)
    if args.json:
        print(settings.model_dump_json(indent=2))
        return 0
    width = max(len(env) for env, _, _ in settings_rows(settings))
    for env, value, description in settings_rows(settings):
        print(f"{env:<{width}}  {value or '-':<28}  {description}")
    return 0


def cmd_ingest(args) -> int:
    """Build or update the store."""
    from tutor.ingest import ingest

    settings = _settings(args)
    report = ingest(settings, rebuild=args.rebuild, progress=sys.stderr.isatty())
    print(report.summary())
    return 0


def cmd_search(args) -> int:
    """Print the passages retrieved for a query."""
    from tutor.retrieve import Filters
    from tutor.services import Services

    services = Services(_settings(args))
    services.ensure_store(progress=sys.stderr.isatty())
    filters = Filters(tuple(args.source or ()), args.year_from, args.year_to)
    passages = services.retriever.search(args.query, k=args.k, filters=filters)
    if args.json:
        print(json.dumps([p.model_dump() for p in passages], ensure_ascii=False, indent=2))
        return 0
    for rank, p in enumerate(passages, 1):
        print(f"[{rank}] {p.title} — {p.location}  (score {p.score:.4f})")
        print(f"    {p.text[:300]}{'…' if len(p.text) > 300 else ''}\n")
    return 0


def cmd_sources(args) -> int:
    """List the sources with their chunk counts."""
    from tutor.services import Services

    services = Services(_settings(args))
    info = services.store.info()
    counts = info.counts if info else {}
    rows = [
        {"source": s.id, "title": s.title, "author": s.author, "kind": s.kind, "chunks": counts.get(s.id, 0)}
        for s in services.corpus.sources
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        print(f"{row['source']:<32} {row['chunks']:>5} chunks  {row['title']} ({row['kind']}, {row['author']})")
    if not info:
        print("The store is not built yet: run `tutor ingest`.")
    return 0


def _engine(args, persist: bool = False):
    from tutor.engine import Engine
    from tutor.services import Services

    services = Services(_settings(args))
    services.ensure_store(progress=sys.stderr.isatty())
    return Engine(services, persist=persist)


def _apply_mode(session, args) -> None:
    if getattr(args, "mode", None):
        session.mode = args.mode
    if getattr(args, "side", None):
        session.options.setdefault("debate", {})["side"] = args.side


def format_result(result) -> str:
    """A turn result for the terminal: the answer, then its sources and any unsupported sentences."""
    lines = [result.answer]
    if result.citations:
        lines.append("\nSources:")
        lines += [f"  [{c.number}] {c.title}, {c.location}: “{c.quote}”" for c in result.citations]
    flagged = [g.text for g in result.grounding if g.factual and not g.supported]
    if flagged:
        lines.append("\nNot supported by the cited sources:")
        lines += [f"  ! {text}" for text in flagged]
    lines += [f"\n({notice})" for notice in result.notices if notice != result.answer]
    return "\n".join(lines)


def cmd_ask(args) -> int:
    """One turn; with --session the conversation is loaded first and saved after."""
    from tutor.sessions import load_session, save_session

    session = load_session(Path(args.session), args.mode or "explain") if args.session else None
    engine = _engine(args)
    if session is None:
        from tutor.engine import new_session

        session = new_session()
    _apply_mode(session, args)
    result = engine.turn(session, args.question)
    if args.session:
        save_session(session, Path(args.session))
    print(result.model_dump_json(indent=2) if args.json else format_result(result))
    return 0


def cmd_chat(args) -> int:
    """A terminal chat with the same engine; an empty line or Ctrl-D ends it."""
    from tutor.engine import new_session
    from tutor.sessions import load_session, save_session

    engine = _engine(args)
    session = load_session(Path(args.session)) if args.session else new_session()
    _apply_mode(session, args)
    print(f"Tutor ({engine.tools.backend}, {session.mode} mode). Ask about the Russian Revolution; Ctrl-D to quit.")
    while True:
        try:
            message = input("\nyou> ")
        except EOFError:
            print()
            return 0
        result = engine.turn(session, message)
        print("\ntutor> " + format_result(result))
        if args.session:
            save_session(session, Path(args.session))


def cmd_serve(args) -> int:
    """Start the web app; with a broken store it still starts and the page offers to rebuild it."""
    from tutor.engine import Engine
    from tutor.services import Services
    from tutor.web.app import serve

    services = Services(_settings(args))
    try:
        services.ensure_store(progress=sys.stderr.isatty())
    except StoreError as exc:
        print(f"tutor: {exc} The web page offers to rebuild it.", file=sys.stderr)
    # Conversations cannot be kept without their database: refuse to start rather than lose them.
    services.sessions.open()
    if services.settings.sessions_keep_days:
        services.sessions.prune(services.settings.sessions_keep_days)
    engine = Engine(services, persist=True)
    print(f"Tutor web app on http://{args.host}:{args.port} (Ctrl-C to stop)", flush=True)
    serve(engine, host=args.host, port=args.port)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="tutor", description="A grounded tutor for the Russian Revolution, 1891–1991.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("config", help="print the effective settings")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_config)

    p = sub.add_parser("ingest", help="build or update the Chroma store from the corpus")
    p.add_argument("corpus", nargs="?", metavar="PATH", help="a corpus folder with manifest.json (default: the packaged corpus)")
    p.add_argument("--rebuild", action="store_true", help="discard the store and build it again")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("search", help="retrieve passages for a query")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=None, help="number of passages")
    p.add_argument("--source", action="append", help="restrict to a source id (repeatable)")
    p.add_argument("--from", dest="year_from", type=int, help="only passages mentioning a year from this one on")
    p.add_argument("--to", dest="year_to", type=int, help="only passages mentioning a year up to this one")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    for name, func, help_text in (("ask", cmd_ask, "answer one question"), ("chat", cmd_chat, "chat in the terminal")):
        p = sub.add_parser(name, help=help_text)
        if name == "ask":
            p.add_argument("question")
            p.add_argument("--json", action="store_true", help="print the full turn result as JSON")
        p.add_argument("--mode", help="explain (default) or another installed mode")
        p.add_argument("--side", choices=["trotsky", "stalin"], help="the debate partner's side")
        p.add_argument("--session", help="a JSON file to load the conversation from and save it to")
        p.set_defaults(func=func)

    p = sub.add_parser("serve", help="start the web app")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7860)
    p.set_defaults(func=cmd_serve)

    from tutor.evaluation.cli import add_parser as add_eval_parser

    add_eval_parser(sub)

    from tutor.session_cli import add_parser as add_sessions_parser

    add_sessions_parser(sub)

    from tutor.timeline.cli import add_parser as add_timeline_parser

    add_timeline_parser(sub)

    from tutor.plugins import load_manager

    load_manager().hook.register_commands(subparsers=sub)  # plugins' own subcommands (e.g. `tutor quiz`)

    p = sub.add_parser("sources", help="list the sources with chunk counts")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_sources)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `tutor` console script."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except EXPECTED_ERRORS as exc:
        print(f"tutor: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tutor: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
