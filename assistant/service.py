"""The assistant core: one chat turn, from a message to a cited answer or a polite decline."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from assistant.answer import Citation, Decline, ScopePolicy, compose, judge, relevance, screen_message
from assistant.history import History, rewrite
from assistant.prompts import render
from assistant.retrieval import HybridRetriever, Retrieval
from assistant.text import detect_language

if TYPE_CHECKING:
    from assistant.tools.conversation import Conversation

Role = Literal["student", "enterprise", "teacher", "admin"]
Language = Literal["auto", "en", "zh"]


@dataclass(frozen=True)
class ChatRequest:
    message: str
    session_id: str | None = None
    role: Role = "student"
    lang: Language = "auto"


@dataclass(frozen=True)
class RetrievedPassage:
    """A passage the answer could draw on, in retrieval order: what citations must point into."""

    doc_id: str
    section: str
    chunk_id: str
    score: float
    text: str


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


class Assistant:
    """Answers from the knowledge base with citations; declines what it cannot ground."""

    def __init__(
        self,
        retriever: HybridRetriever,
        policy: ScopePolicy,
        conversation: Conversation | None = None,
        history: History | None = None,
    ) -> None:
        self.retriever = retriever
        self.policy = policy
        self.conversation = conversation
        self.history = history

    def chat(self, request: ChatRequest) -> ChatResult:
        """One turn, recorded in the session's history when there is one."""
        started = time.perf_counter()
        session_id = request.session_id or uuid.uuid4().hex
        previous = [m.content for m in self.history.recent(session_id) if m.role == "user"] if self.history else []
        result = self._turn(request, session_id, rewrite(request.message, previous))
        if self.history is not None:
            self.history.add(session_id, "user", request.message, {"role": request.role})
            result.message_id = self.history.add(
                session_id,
                "assistant",
                result.answer,
                {
                    "citations": [f"{c.doc_id}#{c.section}" for c in result.citations],
                    "tools": [c.get("name") for c in result.tool_calls],
                    "refused": result.refused,
                },
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

        if self.conversation is not None:
            turn = self.conversation.handle(request.message, session_id, language)
            if turn is not None:
                timings["tools"] = round((time.perf_counter() - started) * 1000, 2)
                done = result(turn.answer, [], None, None)
                done.tool_calls = turn.tool_calls
                done.pending_action = turn.pending_action
                done.action_result = turn.action_result
                return done

        retrieval = self.retriever.search(query)
        timings["retrieve"] = round((time.perf_counter() - started) * 1000, 2)
        retrieved.extend(
            RetrievedPassage(p.chunk.doc_id, p.chunk.section, p.chunk.chunk_id, round(p.score, 6), p.chunk.text)
            for p in retrieval.passages
        )
        score = relevance(retrieval, self.policy)
        decline = judge(retrieval, self.policy)
        if decline is not None:
            return result(self._decline(decline, language), [], decline, score)

        compose_started = time.perf_counter()
        composed = compose(retrieval)
        framing = render(
            "offline/answer", f"framing.{language}", sources=self._source_names(composed.citations, language)
        )
        parts = [framing, composed.answer]
        if any("unverified" in c.quote.lower() for c in composed.citations):
            parts.append(render("offline/answer", f"unverified_note.{language}"))
        answer = ("\n\n" if composed.tabular else " ").join(parts)
        timings["compose"] = round((time.perf_counter() - compose_started) * 1000, 2)
        return result(answer, composed.citations, None, score)

    def search(self, query: str, k: int | None = None, filters: dict[str, list[str]] | None = None) -> Retrieval:
        return self.retriever.search(query, k=k, filters=filters)

    def _decline(self, reason: Decline, language: str) -> str:
        offer = render("offline/answer", f"offer.{language}")
        return render("offline/answer", f"decline.{reason.value}.{language}", offer=offer)

    def _source_names(self, citations: list[Citation], language: str) -> str:
        names: list[str] = []
        for citation in citations:
            kind = "paper" if citation.doc_type == "paper" else "other"
            name = render(
                "offline/answer", f"source_names.{kind}.{language}", doc_id=citation.doc_id, title=citation.title
            )
            if name not in names:
                names.append(name)
        if language == "zh":
            return "、".join(names)
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
