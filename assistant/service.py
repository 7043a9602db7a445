"""The assistant core: one chat turn, from a message to a cited answer or a polite decline."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from assistant.answer import (
    Citation,
    Decline,
    ScopePolicy,
    compose,
    judge,
    judge_reading,
    relevance,
    scope_of,
    screen_message,
)
from assistant.answer.framing import framed
from assistant.history import History, rewrite
from assistant.prompts import render
from assistant.retrieval import HybridRetriever, Passage, Retrieval
from assistant.sessions import Owner, UnknownSession, new_session_id
from assistant.text import detect_language, text_pieces
from assistant.understanding import Intents

if TYPE_CHECKING:
    import numpy as np

    from assistant.llm.agent import AgentTurn, LLMAgent
    from assistant.tools.conversation import Conversation, ToolTurn

Delta = Callable[[str], None]

Role = Literal["student", "enterprise", "teacher", "admin"]
Language = Literal["auto", "en", "zh"]


# The knowledge base's page about the assistant itself (knowledge_base/documents/policies/about-assistant.md).
ABOUT_THE_ASSISTANT = "about-assistant"


@dataclass(frozen=True)
class ChatRequest:
    """One message. `session_id` continues a conversation the server issued to `owner`; without it an HTTP
    caller starts a new one, and a channel user (Telegram) continues the one conversation of their chat."""

    message: str
    session_id: str | None = None
    role: Role = "student"
    lang: Language = "auto"
    owner: Owner = field(default_factory=Owner)


@dataclass(frozen=True)
class RetrievedPassage:
    """A passage the answer could draw on, in retrieval order: what citations must point into."""

    doc_id: str
    section: str
    chunk_id: str
    score: float
    text: str

    @classmethod
    def of(cls, passage: Passage) -> RetrievedPassage:
        chunk = passage.chunk
        return cls(chunk.canonical_id, chunk.section, chunk.chunk_id, round(passage.score, 6), chunk.heading_and_text)


@dataclass
class ChatResult:
    session_id: str
    answer: str
    citations: list[Citation]
    refused: bool
    timings_ms: dict[str, float]
    language: str
    role: str
    decline_reason: str | None = None
    relevance: float | None = None
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    retrieved: list[RetrievedPassage] = field(default_factory=list)
    pending_action: dict[str, Any] | None = None
    action_result: dict[str, Any] | None = None
    message_id: str | None = None
    query: str | None = None
    #: LLM mode only: the model used, citations removed, blocked tool calls, and why it fell back offline.
    llm: dict[str, Any] | None = None
    #: A drafted agreement: {id, kind, title, download_url, ...}.
    document: dict[str, Any] | None = None
    #: The model's answer already went out through `on_delta` as it was generated.
    llm_streamed: bool = False


class Assistant:
    """Answers from the knowledge base with citations; declines what it cannot ground."""

    def __init__(
        self,
        retriever: HybridRetriever,
        policy: ScopePolicy,
        conversation: Conversation | None = None,
        history: History | None = None,
        agent: LLMAgent | None = None,
        turn_slots: AbstractContextManager[object] | None = None,
    ) -> None:
        self.retriever = retriever
        self.policy = policy
        self.conversation = conversation
        self.history = history
        self.agent = agent
        # A semaphore whose waiters are woken oldest first (`threading.Semaphore`, or `HostSemaphore` for all
        # of a host's workers), so under load turns finish in about the order they came, instead of every
        # request thread competing for the cores and the interpreter at once.
        self._turns = turn_slots if agent is None else None

    def chat(self, request: ChatRequest, on_delta: Delta | None = None) -> ChatResult:
        """One turn, recorded in the session's history when there is one.

        With `on_delta`, the answer is also delivered in pieces as it is made; the pieces after the last
        `RESET` (which withdraws a model's text the turn did not keep) join to the answer.
        """
        if self._turns is None:
            return self._chat(request, on_delta)
        with self._turns:
            return self._chat(request, on_delta)

    def _open_session(self, request: ChatRequest) -> tuple[str, bool]:
        """The turn's session id and whether it is new; `UnknownSession` for an id not issued to the caller."""
        owner = request.owner
        if not owner.issues_ids:
            session_id = owner.channel_session_id
            if request.session_id not in (None, session_id):
                raise UnknownSession(request.session_id)
            return session_id, self.history is not None and self.history.registry.owner_of(session_id) != owner
        if request.session_id is None:
            return new_session_id(), True
        if self.history is not None:
            self.history.registry.check(request.session_id, owner)
        return request.session_id, False

    def _chat(self, request: ChatRequest, on_delta: Delta | None) -> ChatResult:
        started = time.perf_counter()
        session_id, new_session = self._open_session(request)
        request = replace(request, session_id=None if new_session else session_id)
        # A session opened by this turn has no history to read.
        messages = self.history.recent(session_id) if self.history and not new_session else []
        recent = [(m.role, m.content) for m in messages]
        # A reply inside a tool dialogue ("just draft it", "the second one") is never out of scope on its own.
        in_tool_dialogue = bool(messages) and messages[-1].role == "assistant" and bool(messages[-1].meta.get("tools"))
        previous = [content for role, content in recent if role == "user"]
        query = rewrite(request.message, previous)
        if self.agent is None:
            result = self._turn(request, session_id, query)
        else:
            result = self._llm_turn(request, session_id, query, recent, on_delta, in_tool_dialogue)
        if on_delta is not None and not result.llm_streamed:
            for piece in text_pieces(result.answer):
                on_delta(piece)
        if self.history is not None:
            result.message_id = self.history.add_turn(
                session_id,
                request.message,
                {"role": request.role},
                result.answer,
                {
                    "citations": [f"{c.doc_id}#{c.section}" for c in result.citations],
                    "tools": [c.get("name") for c in result.tool_calls],
                    "refused": result.refused,
                },
                new_for=request.owner if new_session else None,
            )
        # Server-side time of the whole turn, history reads and writes included.
        result.timings_ms["total"] = round((time.perf_counter() - started) * 1000, 2)
        return result

    def _turn(self, request: ChatRequest, session_id: str, query: str) -> ChatResult:
        started = time.perf_counter()
        language = detect_language(request.message) if request.lang == "auto" else request.lang
        timings = {"retrieve": 0.0, "compose": 0.0}

        retrieved: list[RetrievedPassage] = []

        def result(answer: str, citations: list[Citation], decline: Decline | None, score: float | None) -> ChatResult:
            timings["total"] = round((time.perf_counter() - started) * 1000, 2)
            return ChatResult(
                session_id=session_id,
                answer=answer,
                citations=citations,
                refused=decline is not None,
                timings_ms=timings,
                language=language,
                role=request.role,
                decline_reason=decline.value if decline else None,
                relevance=score,
                retrieved=retrieved,
                query=query,
            )

        screened = screen_message(request.message)
        if screened is not None:
            return result(self._decline(screened, language), [], screened, None)

        reminder = None
        alongside = None
        about_the_assistant = False

        # Each at most once a turn, and only when needed (a "yes" to a pending booking needs none): the
        # question vector, which understanding reads and retrieval reuses for the same text, the reading of
        # the message, and the search.
        @functools.cache
        def question_vector() -> np.ndarray:
            return self.retriever.question_vector(request.message)

        @functools.cache
        def intents() -> Intents | None:
            if self.conversation is None:
                return None
            return self.conversation.understander.intents(request.message, question_vector())

        @functools.cache
        def search() -> Retrieval:
            known = question_vector() if query == request.message else None
            # "What can you do?" is answered from the assistant's own page, whatever else it resembles.
            about = {"doc_id": [ABOUT_THE_ASSISTANT]} if about_the_assistant else None
            return self.retriever.search(query, question_vector=known, filters=about, quote_language=language)

        if self.conversation is not None:
            # Without a session id the turn made its own: no state can exist for it yet.
            new_session = request.session_id is None
            routing = self.conversation.handle(
                request.message,
                session_id,
                language,
                new_session=new_session,
                intents=intents,
                knowledge_answers=lambda: judge(search(), self.policy) is None,
            )
            if routing.turn is not None:
                return self._tool_result(routing.turn, result(routing.turn.answer, [], None, None), started)
            reminder = routing.reminder
            alongside = routing.alongside
            about_the_assistant = routing.about_the_assistant
            # What is no request of the records is declined by what it reads as, once nothing else took it:
            # an attempt on the instructions, or a request from another domain (never by a word it contains).
            declined = scope_of(intents())
            if declined is not None:
                return result(_with_reminder(self._decline(declined, language), reminder), [], declined, None)

        retrieval = search()
        timings["retrieve"] = round((time.perf_counter() - started) * 1000, 2)
        retrieved.extend(RetrievedPassage.of(p) for p in retrieval.passages)
        score = relevance(retrieval, self.policy)
        decline = (
            None
            if about_the_assistant
            else judge(retrieval, self.policy) or judge_reading(intents(), score, self.policy)
        )
        if decline is not None:
            return result(_with_reminder(self._decline(decline, language), reminder), [], decline, score)

        compose_started = time.perf_counter()
        composed = compose(retrieval, align=self.retriever.original_of)
        retrieved.extend(_originals(composed.citations, self.retriever))
        answer = framed(composed, language)
        if alongside is not None:
            # Read close to a search too: the records it may have meant, after the cited answer.
            answer += f"\n\n{render('offline/answer', f'also_records.{language}')}\n{alongside.answer}"
        answer = _with_reminder(answer, reminder)
        timings["compose"] = round((time.perf_counter() - compose_started) * 1000, 2)
        answered = result(answer, composed.citations, None, score)
        if alongside is not None:
            answered.tool_calls = alongside.tool_calls
        return answered

    def _llm_turn(
        self,
        request: ChatRequest,
        session_id: str,
        query: str,
        recent: list[tuple[str, str]],
        on_delta: Delta | None,
        in_tool_dialogue: bool = False,
    ) -> ChatResult:
        """The model answers; the consent step, the decline of screened messages and the fallback stay ours."""
        from assistant.llm.agent import AgentFailed, TurnInput

        assert self.agent is not None
        started = time.perf_counter()
        language = detect_language(request.message) if request.lang == "auto" else request.lang
        if screen_message(request.message) is not None or self.conversation is None:
            return self._turn(request, session_id, query)
        settled = self.conversation.settle(request.message, session_id, language)
        if settled is not None:
            # The consent step never goes through the model.
            done = ChatResult(
                session_id, settled.answer, [], False, {"retrieve": 0.0, "compose": 0.0}, language, request.role
            )
            return self._tool_result(settled, done, started)

        # One embedding of the message serves the reading, the search (for the same text) and the checks below.
        vector = self.retriever.question_vector(request.message)
        reading = self.conversation.understander.intents(request.message, vector)
        if scope_of(reading) is not None:
            return self._turn(request, session_id, query)  # declined without the model, as offline
        retrieval = self.retriever.search(
            query, question_vector=vector if query == request.message else None, quote_language=language
        )
        retrieved_at = time.perf_counter()
        declined = judge(retrieval, self.policy) or judge_reading(
            reading, relevance(retrieval, self.policy), self.policy
        )
        out_of_scope = declined is not None and not in_tool_dialogue
        if out_of_scope and not self.conversation.wants_tools(
            request.message, session_id, knowledge_answers=False, intents=reading
        ):
            # Out of scope by the same measure as offline: declined without the model, whatever it would say.
            return self._turn(request, session_id, query)
        meta: dict[str, Any] = {"model": self.agent.model_name}
        try:
            turn = self.agent.run(
                TurnInput(
                    request.message,
                    session_id,
                    request.role,
                    language,
                    retrieval,
                    recent,
                    asks_for=self.conversation.side_effects_asked(session_id, reading),
                ),
                on_delta,
            )
        except AgentFailed as exc:
            meta.update(mode="offline-fallback", fallback_reason=exc.reason)
            fallback = self._turn(request, session_id, query)
            fallback.answer = f"{render('llm/system', f'notice.{language}')}\n\n{fallback.answer}"
            fallback.llm = meta
            return fallback
        meta.update(
            removed_citations=turn.removed_citations,
            removed_claims=turn.removed_claims,
            blocked_tool_calls=turn.blocked_tool_calls,
            steps=turn.steps,
            retries=turn.retries,
            context_tokens=turn.context_tokens,
        )
        if not turn.grounded:
            # No valid citation for a knowledge answer: the extractive answer (or a decline) replaces it.
            meta.update(mode="offline-fallback", fallback_reason=turn.rejected)
            fallback = self._turn(request, session_id, query)
            fallback.llm = meta
            return fallback
        meta["mode"] = "llm"
        if turn.pending_action:
            self.conversation.remember_pending(session_id, turn.pending_action)
        return self._from_agent(turn, request, session_id, query, language, retrieval, meta, started, retrieved_at)

    def _from_agent(
        self,
        turn: AgentTurn,
        request: ChatRequest,
        session_id: str,
        query: str,
        language: str,
        retrieval: Retrieval,
        meta: dict[str, Any],
        started: float,
        retrieved_at: float,
    ) -> ChatResult:
        finished = time.perf_counter()
        generate = round((finished - retrieved_at) * 1000, 2)
        return ChatResult(
            session_id=session_id,
            answer=turn.answer,
            citations=turn.citations,
            refused=False,
            timings_ms={
                "retrieve": round((retrieved_at - started) * 1000, 2),
                "compose": generate,
                "generate": generate,
                "total": round((finished - started) * 1000, 2),
            },
            language=language,
            role=request.role,
            relevance=relevance(retrieval, self.policy),
            tool_calls=turn.tool_calls,
            retrieved=[RetrievedPassage.of(p) for p in retrieval.passages]
            + [RetrievedPassage(s["doc_id"], s["section"], s["chunk_id"], 1.0, s["text"]) for s in turn.sources],
            pending_action=turn.pending_action,
            query=query,
            document=turn.document,
            llm=meta,
            llm_streamed=True,
        )

    @staticmethod
    def _tool_result(turn: ToolTurn, result: ChatResult, started: float) -> ChatResult:
        result.timings_ms["tools"] = round((time.perf_counter() - started) * 1000, 2)
        result.timings_ms["total"] = result.timings_ms["tools"]
        result.tool_calls = turn.tool_calls
        result.pending_action = turn.pending_action
        result.action_result = turn.action_result
        result.citations = turn.citations
        result.document = turn.document
        result.refused = turn.refused
        # What a draft's citations quote counts as retrieved: the passages were read from the index.
        result.retrieved = [
            RetrievedPassage(s["doc_id"], s["section"], s["chunk_id"], 1.0, s["text"]) for s in turn.sources
        ]
        return result

    def search(self, query: str, k: int | None = None, filters: dict[str, list[str]] | None = None) -> Retrieval:
        return self.retriever.search(query, k=k, filters=filters)

    def _decline(self, reason: Decline, language: str) -> str:
        offer = render("offline/answer", f"offer.{language}")
        return render("offline/answer", f"decline.{reason.value}.{language}", offer=offer)


def _originals(citations: list[Citation], retriever: HybridRetriever) -> list[RetrievedPassage]:
    """The original passages quoted beside translated ones: read from the index, so they count as retrieved."""
    found = []
    for citation in citations:
        chunk = retriever.chunk(citation.original_chunk_id) if citation.original_chunk_id else None
        if chunk is not None:
            found.append(
                RetrievedPassage(chunk.canonical_id, chunk.section, chunk.chunk_id, 0.0, chunk.heading_and_text)
            )
    return found


def _with_reminder(answer: str, reminder: str | None) -> str:
    """A question asked mid-draft is answered, then the draft's pending question is asked again."""
    return f"{answer}\n\n{reminder}" if reminder else answer
