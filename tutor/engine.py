"""The turn: message → rewrite → retrieve → mode plugin → verify → typed result, saved in the session."""

from __future__ import annotations

import re
import threading
import time
import unicodedata
import uuid
from collections.abc import Callable

from pydantic import ValidationError

from tutor.commands import help_text
from tutor.commands import parse as parse_command
from tutor.corpus import CorpusError
from tutor.models import Message, Session, TurnResult
from tutor.plugin_api import Stream, TurnContext
from tutor.plugins import PluginRegistry, UnknownMode
from tutor.rewrite import rewrite
from tutor.services import Services
from tutor.session_store import SessionStoreError
from tutor.store import StoreError
from tutor.toolkit import Toolkit

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def new_session(mode: str = "explain") -> Session:
    """An empty conversation."""
    return Session(id=uuid.uuid4().hex, mode=mode)


def clean_message(message: str) -> str:
    """The message with control characters removed and Unicode normalised (NFC keeps what the learner typed)."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", message or "")).strip()


class Engine:
    """Runs turns for any session; holds the services and the plugin registry."""

    def __init__(self, services: Services | None = None, registry: PluginRegistry | None = None, persist: bool = False):
        self.services = services or Services()
        self.registry = registry or PluginRegistry()
        self.tools = Toolkit(self.services)
        self.persist = persist  # save every session after each turn (the web app does)
        self._turn_times: dict[str, list[float]] = {}
        self._rate_lock = threading.Lock()

    def notice(self, session: Session, text: str) -> TurnResult:
        """A reply that is a message to the learner, not an answer (the session is unchanged)."""
        return TurnResult(answer=text, mode=session.mode, backend="none", notices=[text])

    def turn(
        self,
        session: Session,
        message: str,
        on_text: Callable[[str], None] | None = None,
        on_restart: Callable[[], None] | None = None,
    ) -> TurnResult:
        """Answer one learner message (or slash command) and record both in the session.

        `on_text` receives the reply piece by piece as it is written; `on_restart`
        says to discard the pieces received so far. Once the turn returns, the
        pieces since the last restart, joined, equal the result's answer.
        """
        stream = Stream(on_text, on_restart)
        result = self._turn(session, message, stream)
        if stream.text != result.answer:
            # The learner must end up seeing exactly the answer that is saved and exported.
            stream.restart()
            stream.append(result.answer)
        return result

    def _turn(self, session: Session, message: str, stream: Stream) -> TurnResult:
        text = clean_message(message)
        if not text:
            return self.notice(session, "Please type a question about the Russian Revolution.")
        limit = self.services.settings.max_message_chars
        if len(text) > limit:
            return self.notice(session, f"That message is {len(text):,} characters long; the limit is {limit:,}. Please shorten it.")
        if not self._within_rate(session.id):
            return self.notice(session, "You're sending messages very fast. Please wait a moment and try again.")
        command = parse_command(text)
        if command is None:
            return self._run(session, text, stream)
        if command.name == "help":
            return self.notice(session, help_text(self.registry.modes))
        if command.name == "end":
            return self._run(session, text, stream, command="end")
        if command.name not in self.registry.modes:
            return self.notice(session, f"Unknown command /{command.name}.\n\n" + help_text(self.registry.modes))
        mode = self.registry.modes[command.name]
        session.mode = mode.name
        session.options[mode.name] = {**session.options.get(mode.name, {}), **mode.options_from_args(command.args)}
        if command.rest and not mode.usage:
            return self._run(session, command.rest, stream)
        return self._run(session, text, stream, command="start")

    def _run(self, session: Session, text: str, stream: Stream, command: str | None = None) -> TurnResult:
        started = time.perf_counter()
        try:
            mode = self.registry.get(session.mode)
            options = mode.options_model.model_validate(session.options.get(mode.name, {}))
        except UnknownMode as exc:
            return self.notice(session, str(exc))
        except ValidationError as exc:
            return self.notice(session, f"The options of the {session.mode} mode are invalid: {exc.errors()[0]['msg']}.")
        ctx = TurnContext(
            message=text,
            query=rewrite(text, list(session.messages)) if command is None else text,
            session=session,
            state=session.state.setdefault(mode.name, {}),
            options=options,
            tools=self.tools,
            stream=stream,
            command=command,
        )
        try:
            result = mode.turn(ctx)
        except (StoreError, CorpusError) as exc:
            return self.notice(session, str(exc))
        except Exception as exc:  # a faulty plugin must not take the session down
            return self.notice(session, f"The {mode.name} mode failed ({type(exc).__name__}: {str(exc)[:200]}). Your conversation is intact; try again or use /explain.")
        if result is None and command is not None:
            result = TurnResult(answer=f"Now in {mode.title} mode." if command == "start" else "There is nothing to end in this mode.", mode=mode.name, backend="none")
        if not isinstance(result, TurnResult):
            return self.notice(session, f"The {mode.name} mode returned no answer. Try /explain.")
        result.query = ctx.query
        self.tools.verify(result)
        if self.services.settings.drop_unsupported:
            result = self._drop_unsupported(result)
        result.timings["total"] = round(time.perf_counter() - started, 4)
        session.messages.append(Message(role="user", content=text))
        session.messages.append(Message(role="assistant", content=result.answer, result=result))
        if self.persist:
            try:
                self.services.sessions.save(session)
            except SessionStoreError as exc:
                # The learner still gets the answer; the turn stays in this page's copy of the conversation.
                result.notices.append(f"This turn could not be saved: {exc}")
        return result

    def _within_rate(self, session_id: str) -> bool:
        """Count this turn against the session's per-minute allowance (kept in this process)."""
        now = time.monotonic()
        with self._rate_lock:
            recent = [t for t in self._turn_times.get(session_id, []) if now - t < 60]
            allowed = len(recent) < self.services.settings.turns_per_minute
            if allowed:
                recent.append(now)
            self._turn_times[session_id] = recent
        return allowed

    @staticmethod
    def _drop_unsupported(result: TurnResult) -> TurnResult:
        answer = result.answer
        for entry in result.grounding:
            if entry.factual and not entry.supported:
                answer = answer.replace(entry.text, "")
        result.answer = re.sub(r"[ \t]+", " ", answer).strip()
        return result

