"""LLM answer backends through LangChain chat models, chosen by `settings.llm.backend`.

- ``openai``: any OpenAI-compatible server (OpenAI, vLLM, LM Studio, llama.cpp's server, Ollama's /v1).
- ``ollama``: Ollama's own API.
- ``llamacpp``: a GGUF file run in this process by llama-cpp-python.
Each is imported only when chosen, with an error naming the package to install.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from tutor.embeddings import require
from tutor.models import Passage
from tutor.prompts import render
from tutor.settings import LLMSettings


class LlamaCppChat(BaseChatModel):
    """A minimal LangChain chat model over llama_cpp.Llama (in-process, GGUF)."""

    model_path: str
    temperature: float = 0.1
    max_tokens: int = 400
    llama: Any = None

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    def _client(self):
        if self.llama is None:
            llama_cpp = require("llama_cpp", "llama-cpp-python")
            self.llama = llama_cpp.Llama(model_path=self.model_path, n_ctx=4096, verbose=False)
        return self.llama

    @staticmethod
    def _messages(messages: list[BaseMessage]) -> list[dict]:
        roles = {"human": "user", "ai": "assistant", "system": "system"}
        return [{"role": roles.get(m.type, "user"), "content": m.content} for m in messages]

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        out = self._client().create_chat_completion(
            messages=self._messages(messages), temperature=self.temperature, max_tokens=self.max_tokens, stop=stop
        )
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=out["choices"][0]["message"]["content"] or ""))])

    def _stream(self, messages, stop=None, run_manager=None, **kwargs) -> Iterator[ChatGenerationChunk]:
        for part in self._client().create_chat_completion(
            messages=self._messages(messages), temperature=self.temperature, max_tokens=self.max_tokens, stop=stop, stream=True
        ):
            text = part["choices"][0]["delta"].get("content") or ""
            if text:
                yield ChatGenerationChunk(message=AIMessageChunk(content=text))


def make_chat_model(settings: LLMSettings) -> BaseChatModel | None:
    """The chat model the settings choose, or None for the offline composer."""
    if settings.backend == "offline":
        return None
    if settings.backend == "openai":
        module = require("langchain_openai", "langchain-openai")
        return module.ChatOpenAI(
            base_url=settings.base_url,
            api_key=settings.api_key,
            model=settings.model,
            temperature=settings.temperature,
            max_tokens=settings.max_tokens,
            timeout=settings.timeout,
            max_retries=0,
            streaming=True,
        )
    if settings.backend == "ollama":
        module = require("langchain_ollama", "langchain-ollama")
        return module.ChatOllama(
            base_url=settings.base_url or "http://localhost:11434",
            model=settings.model,
            temperature=settings.temperature,
            num_predict=settings.max_tokens,
            client_kwargs={"timeout": settings.timeout},
        )
    if not settings.model_path:
        raise ValueError("The llamacpp backend needs TUTOR_LLM__MODEL_PATH (a GGUF file).")
    return LlamaCppChat(model_path=str(settings.model_path), temperature=settings.temperature, max_tokens=settings.max_tokens)


def backend_label(settings: LLMSettings) -> str:
    """A short name of the answer backend for the UI and results."""
    if settings.backend == "offline":
        return "offline"
    if settings.backend == "llamacpp":
        return f"llamacpp:{settings.model_path.name if settings.model_path else '?'}"
    return f"{settings.backend}:{settings.model}"


def numbered_passages(passages: list[Passage]) -> str:
    """The passages as the prompt shows them: [n] title, location, then the text."""
    return "\n\n".join(f"[{n}] {p.title} — {p.location}\n{p.text}" for n, p in enumerate(passages, 1))


def write(model: BaseChatModel, prompt: str, question: str, passages: list[Passage], on_text: Callable[[str], None] | None = None, **values: str) -> str:
    """Ask the model for an answer with the named prompt; streams pieces to `on_text` when given.

    The pieces streamed join to exactly the answer returned (leading and trailing
    whitespace is never sent), so a learner sees what is saved.
    """
    grounding = render("grounding", passages=numbered_passages(passages))
    text = render(prompt, grounding=grounding, question=question, **values)
    pieces = []
    for piece in trimmed(chunk.content for chunk in model.stream(text) if isinstance(chunk.content, str)):
        pieces.append(piece)
        if on_text:
            on_text(piece)
    answer = "".join(pieces)
    if not re.search(r"\w", answer):
        raise ValueError("the model returned an empty answer")
    return answer


def trimmed(pieces: Iterable[str]) -> Iterator[str]:
    """The pieces of a text with its leading and trailing whitespace held back: they join to the stripped text."""
    started, held = False, ""
    for piece in pieces:
        if not started:
            piece = piece.lstrip()
            started = bool(piece)
        body = piece.rstrip()
        if body:
            yield held + body
            held = piece[len(body) :]
        else:
            held += piece
