"""Rewrite a follow-up question into a self-contained retrieval query using the conversation.

"Why did he do that?" or "and after that?" say nothing on their own: when a
message leans on the conversation (pronouns, "that", "then", or very few
words), the names and years of the previous question and of the opening of the
previous answer are added to the query. Self-contained questions are left
alone.
"""

from __future__ import annotations

import re

from tutor.models import Message
from tutor.verify import proper_names

_DEPENDENT = re.compile(
    r"\b(he|she|him|his|her|hers|they|them|their|it|its|this|that|these|those|there|then|after that|before that|afterwards|why not|what else|and)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(1[89]\d\d)\b")


def needs_context(message: str) -> bool:
    """Whether a message depends on the conversation to be understood."""
    words = message.split()
    return len(words) <= 3 or (bool(_DEPENDENT.search(message)) and not proper_names(" ".join(words[1:])))


def context_terms(history: list[Message], limit: int = 6) -> list[str]:
    """Names and years from the last user question and the first sentences of the last answer."""
    last_user = next((m.content for m in reversed(history) if m.role == "user"), "")
    last_answer = next((m for m in reversed(history) if m.role == "assistant"), None)
    answer_text = ""
    if last_answer is not None:
        answer_text = " ".join(c.quote for c in (last_answer.result.citations if last_answer.result else [])[:2]) or last_answer.content[:400]
    terms: list[str] = []
    for text in (last_user, answer_text):
        for term in re.findall(r"\b[A-Z][a-z’'-]+(?: [A-Z][a-z’'-]+)*", text) + _YEAR.findall(text):
            if term.lower() in proper_names(text) or term.isdigit() or " " in term:
                if term not in terms and term.split()[0].lower() not in {"the", "here", "what", "why", "when", "how", "who"}:
                    terms.append(term)
    return terms[:limit]


def rewrite(message: str, history: list[Message]) -> str:
    """The retrieval query for a message in its conversation."""
    if not history or not needs_context(message):
        return message
    terms = context_terms(history)
    return f"{message} ({' '.join(terms)})" if terms else message
