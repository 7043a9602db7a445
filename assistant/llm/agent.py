"""LLM mode: the model plans tool use and writes the answer; citations, consent and limits stay ours.

One turn: the retrieved passages (numbered, fitted to the window) go to the model with the session's
history and the tools. Tool calls run through the same registry as the offline router; side-effecting
tools only propose, and only when the user's own words asked for that action. Every `[n]` in the reply is
checked as it streams, and a sentence stating a figure without one is dropped. A model that fails (timeout,
429/5xx, malformed tool calls) is retried until the deadline, then the caller answers offline; text already
shown that the turn does not keep is withdrawn (`assistant.llm.stream`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, SystemMessage, ToolMessage

from assistant.agreements.flow import drafted_answer
from assistant.agreements.service import AgreementService
from assistant.answer import Citation
from assistant.llm.budget import HISTORY_MESSAGE_TOKENS, MESSAGE_OVERHEAD, ContextBudget, clip
from assistant.llm.chat_model import failure_reason
from assistant.llm.citations import CitationFilter, GivenPassage, citations_for
from assistant.llm.claims import drop_uncited_figures
from assistant.llm.stream import AnswerStream, LeakGuard
from assistant.prompts import render
from assistant.records import RecordsService
from assistant.retrieval import HybridRetriever, Retrieval
from assistant.text import text_pieces
from assistant.tokens import count_tokens
from assistant.tools import REGISTRY, ToolContext, ToolError

KNOWLEDGE_TOOL = "search_knowledge"
ATTEMPTS_PER_STEP = 3
KNOWLEDGE_RESULTS = 4
DEADLINE_PASSED = "deadline passed"


class AgentFailed(RuntimeError):
    """The model could not produce a usable turn within the deadline; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Retry(Exception):
    def __init__(self, reason: str, retryable: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


@dataclass
class TurnInput:
    message: str
    session_id: str
    role: str
    language: str
    retrieval: Retrieval
    #: Earlier messages of the session, oldest first, as (role, content).
    history: list[tuple[str, str]] = field(default_factory=list)
    #: The side-effect tools the user's own words ask for, as the understanding reads them: a model
    #: proposing any other (obeying a poisoned passage or record) is refused before it can ask for consent.
    asks_for: frozenset[str] = frozenset()


@dataclass
class AgentTurn:
    answer: str
    citations: list[Citation]
    tool_calls: list[dict[str, Any]]
    pending_action: dict[str, Any] | None
    removed_citations: int
    blocked_tool_calls: int
    #: The answer rests on tool results (records), so it needs no knowledge-base citation.
    from_records: bool
    #: A knowledge answer with at least one valid citation, or a records answer.
    grounded: bool
    #: Why an answer was not accepted: no valid citation, empty, or it repeated the instructions.
    rejected: str | None
    steps: int
    retries: int
    context_tokens: int
    #: A drafted agreement, when the model called draft_agreement to the end, and the passages it quotes.
    document: dict[str, Any] | None = None
    sources: list[dict[str, Any]] = field(default_factory=list)
    #: Sentences that stated a figure without a valid citation, taken out of the answer.
    removed_claims: int = 0


class _Passages:
    """The passages shown to the model this turn, by number; search_knowledge adds more."""

    def __init__(self, retriever: HybridRetriever) -> None:
        self.retriever = retriever
        self.given: dict[int, GivenPassage] = {}
        self.numbered = 0

    def add(self, retrieval: Retrieval, limit: int | None = None) -> list[GivenPassage]:
        added = []
        known = {p.chunk_id: n for n, p in self.given.items()}
        for passage in retrieval.passages[:limit]:
            chunk = passage.chunk
            if chunk.chunk_id in known:
                added.append(self.given[known[chunk.chunk_id]])
                continue
            self.numbered += 1
            n = self.numbered
            given = GivenPassage(
                n,
                chunk.canonical_id,  # cited under the original's id, whichever language version was given
                chunk.section,
                chunk.title,
                chunk.section_title,
                chunk.text,
                chunk.doc_type,
                chunk.chunk_id,
                language=chunk.language,
                translation=chunk.translation,
            )
            self.given[n] = given
            added.append(given)
        return added

    def search(self, query: str, doc_type: str | None) -> list[dict[str, Any]]:
        filters = {"doc_type": [doc_type]} if doc_type else None
        found = self.add(self.retriever.search(query, filters=filters), KNOWLEDGE_RESULTS)
        return [{"n": p.n, "source": f"{p.doc_id}#{p.section}", "title": p.title, "text": p.text} for p in found]


class LLMAgent:
    def __init__(
        self,
        model: BaseChatModel,
        retriever: HybridRetriever,
        records: RecordsService,
        budget: ContextBudget,
        *,
        agreements: AgreementService | None = None,
        deadline_s: float,
        max_steps: int,
        clock: Callable[[], datetime],
        model_name: str = "",
    ) -> None:
        self.model = model
        self.retriever = retriever
        self.records = records
        self.agreements = agreements
        self.budget = budget
        self.deadline_s = deadline_s
        self.max_steps = max_steps
        self.clock = clock
        self.model_name = model_name
        self.tools = [{"type": "function", "function": t.json_schema()} for t in REGISTRY.values()]
        self._with_tools = model.bind_tools(self.tools)

    def run(self, turn: TurnInput, on_delta: Callable[[str], None] | None = None) -> AgentTurn:
        deadline = time.monotonic() + self.deadline_s
        passages = _Passages(self.retriever)
        passages.add(turn.retrieval)
        messages, context_tokens = self._messages(turn, passages)
        context = ToolContext(self.records, turn.session_id, knowledge=passages.search, agreements=self.agreements)

        calls: list[dict[str, Any]] = []
        pending: dict[str, Any] | None = None
        blocked = retries = 0
        from_records = False
        guard = LeakGuard(str(messages[0].content))
        stream = AnswerStream(on_delta, guard)
        for step in range(1, self.max_steps + 1):
            final_step = step == self.max_steps
            # A knowledge answer is shown only once it cites; a records answer may stream at once.
            stream.restart(hold=not from_records)
            checker = CitationFilter(passages.given)
            self._fit_tool_results(messages)
            reply, step_retries = self._generate(messages, final_step, deadline, stream, checker)
            retries += step_retries
            if not reply.tool_calls or final_step:
                stream.push(checker.finish())
                text, removed_claims = (checker.text, 0) if from_records else drop_uncited_figures(checker.text)
                text = text.strip()
                rejected = None
                if not checker.text.strip():
                    rejected = "empty answer"
                elif stream.leaked or guard.leaks(text):
                    rejected = "answer repeated the instructions"
                elif not (from_records or checker.cited) or not text:  # nothing left once uncited figures went
                    rejected = "no valid citation"
                grounded = rejected is None
                stream.settle(text if grounded else None)
                return AgentTurn(
                    answer=text,
                    citations=citations_for(text, checker.order, passages.given, self.retriever.original_of),
                    tool_calls=calls,
                    pending_action=pending,
                    removed_citations=checker.removed,
                    blocked_tool_calls=blocked,
                    from_records=from_records,
                    grounded=grounded,
                    rejected=rejected,
                    steps=step,
                    retries=retries,
                    context_tokens=context_tokens,
                    removed_claims=removed_claims,
                )
            messages.append(reply)
            for call in reply.tool_calls:
                outcome = self._call_tool(call["name"], call["args"], context, turn.asks_for)
                if outcome["result"].get("status") == "drafted":
                    # A finished draft is the answer as it stands: its clauses carry their own checked citations.
                    calls.append({"name": call["name"], "arguments": call["args"], "result": outcome["shown"]})
                    stats = {"blocked": blocked, "step": step, "retries": retries, "context_tokens": context_tokens}
                    stream.settle(None)
                    return self._drafted(outcome["result"], turn.language, calls, stats, on_delta)
                blocked += outcome.get("blocked", 0)
                if outcome.get("pending_action"):
                    pending = outcome["pending_action"]
                if call["name"] != KNOWLEDGE_TOOL and "error" not in outcome["result"]:
                    from_records = True
                calls.append({"name": call["name"], "arguments": call["args"], "result": outcome["shown"]})
                messages.append(ToolMessage(content=outcome["for_model"], tool_call_id=call["id"]))
        raise AssertionError("unreachable: the final step always returns")

    @staticmethod
    def _drafted(
        result: dict[str, Any],
        language: str,
        calls: list[dict[str, Any]],
        stats: dict[str, int],
        on_delta: Callable[[str], None] | None,
    ) -> AgentTurn:
        answer = drafted_answer(result, language)
        if on_delta is not None:
            for piece in text_pieces(answer):
                on_delta(piece)
        return AgentTurn(
            answer=answer,
            citations=[Citation(**c) for c in result["citations"]],
            tool_calls=calls,
            pending_action=None,
            removed_citations=0,
            blocked_tool_calls=stats["blocked"],
            from_records=True,
            grounded=True,
            rejected=None,
            steps=stats["step"],
            retries=stats["retries"],
            context_tokens=stats["context_tokens"],
            document=result["document"],
            sources=result["sources"],
        )

    # -- model calls -----------------------------------------------------------------------------

    def _generate(
        self,
        messages: list[BaseMessage],
        final_step: bool,
        deadline: float,
        stream: AnswerStream,
        checker: CitationFilter,
    ) -> tuple[AIMessage, int]:
        runnable = self.model if final_step else self._with_tools
        last = "no attempt"
        for attempt in range(ATTEMPTS_PER_STEP):
            if time.monotonic() >= deadline:
                break
            checker.reset()
            stream.restart()
            try:
                return self._stream_once(runnable, messages, stream, checker, deadline), attempt
            except _Retry as exc:
                last = exc.reason
                if not exc.retryable:
                    break
            except Exception as exc:
                failure = failure_reason(exc)
                if failure is None:
                    raise
                last, retryable = failure
                if not retryable:
                    break
            time.sleep(min(0.25 * 2**attempt, max(0.0, deadline - time.monotonic())))
        stream.settle(None)  # the offline answer replaces whatever was shown
        raise AgentFailed(last)

    def _stream_once(
        self, runnable: Any, messages: list[BaseMessage], stream: AnswerStream, checker: CitationFilter, deadline: float
    ) -> AIMessage:
        whole: AIMessageChunk | None = None
        for chunk in runnable.stream(messages):
            # A model that trickles chunks never times out a read: the turn's deadline must stop it here.
            if time.monotonic() >= deadline:
                raise _Retry(DEADLINE_PASSED, retryable=False)
            whole = chunk if whole is None else whole + chunk
            piece = _text(chunk)
            if piece and not whole.tool_call_chunks:
                stream.push(checker.feed(piece))
                if checker.cited:
                    stream.open()
        if whole is None:
            raise _Retry("empty reply")
        if whole.invalid_tool_calls or not all(_is_json(c.get("args")) for c in whole.tool_call_chunks):
            # LangChain parses cut-off JSON leniently ('{"query": ' becomes {}): check the raw text.
            raise _Retry("malformed tool call")
        unknown = [c["name"] for c in whole.tool_calls if c["name"] not in REGISTRY]
        if unknown:
            raise _Retry(f"unknown tool {unknown[0]}")
        return AIMessage(content=whole.content, tool_calls=whole.tool_calls)

    def _fit_tool_results(self, messages: list[BaseMessage]) -> None:
        """Several tool rounds can outgrow the window: the oldest tool results give way first."""
        sizes = [count_tokens(_text(m)) + MESSAGE_OVERHEAD for m in messages]
        for i, message in enumerate(messages):
            if sum(sizes) <= self.budget.usable:
                return
            if isinstance(message, ToolMessage) and sizes[i] > 20:
                message.content = '{"omitted": "an earlier tool result, trimmed to fit the context window"}'
                sizes[i] = count_tokens(message.content) + MESSAGE_OVERHEAD

    # -- tools -----------------------------------------------------------------------------------

    def _call_tool(
        self, name: str, arguments: dict[str, Any], context: ToolContext, asks_for: frozenset[str]
    ) -> dict[str, Any]:
        tool = REGISTRY[name]
        if tool.side_effect and name not in asks_for:
            refusal = {"error": render("llm/system", "blocked_tool")}
            return {
                "result": refusal,
                "shown": {"error": "blocked: not asked for by the user"},
                "for_model": json.dumps(refusal),
                "blocked": 1,
            }
        try:
            result = tool(context, **arguments)
        except ToolError as exc:
            error = {"error": str(exc)}
            return {"result": error, "shown": error, "for_model": json.dumps(error, ensure_ascii=False)}
        if "pending_action" in result:
            pending = result["pending_action"]
            # The token confirms the action: it goes to the user's button, never to the model.
            for_model = {"status": render("llm/system", "proposed"), "summary": pending["summary"]}
            shown = {"pending_action": {k: v for k, v in pending.items() if k != "token"}}
            return {
                "result": result,
                "shown": shown,
                "for_model": json.dumps(for_model, ensure_ascii=False),
                "pending_action": pending,
            }
        if result.get("status") == "drafted":
            shown = {"status": "drafted", **result["document"]}
            return {"result": result, "shown": shown, "for_model": json.dumps(shown, ensure_ascii=False)}
        return {"result": result, "shown": result, "for_model": self.budget.tool_result(result)}

    # -- prompt ----------------------------------------------------------------------------------

    def _messages(self, turn: TurnInput, passages: _Passages) -> tuple[list[BaseMessage], int]:
        persona = f"personas.{turn.role}"
        system = render(
            "llm/system",
            "system",
            persona=render("llm/system", f"{persona}.name"),
            persona_needs=render("llm/system", f"{persona}.needs"),
            language_name=render("llm/system", f"languages.{turn.language}"),
            today=self.clock().date().isoformat(),
        )
        candidates = list(passages.given.values())
        kept, history, used = self.budget.fit(
            [system, turn.message],
            [(p, f"[{p.n}] {p.doc_id}#{p.section}\n{p.text}") for p in candidates],
            [((role, content), content) for role, content in turn.history],
        )
        # Dropped passages cannot be cited: take them out of the numbering the citation check trusts.
        for passage in candidates:
            if passage not in kept:
                del passages.given[passage.n]
        messages: list[BaseMessage] = [
            SystemMessage(system),
            SystemMessage(render("llm/system", "passages", passages=kept)),
        ]
        for role, content in history:
            text = clip(content, HISTORY_MESSAGE_TOKENS)
            messages.append(HumanMessage(text) if role == "user" else AIMessage(text))
        messages.append(HumanMessage(turn.message))
        return messages, used


def _text(message: BaseMessage) -> str:
    content = message.content
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if isinstance(part, dict))


def _is_json(raw: str | None) -> bool:
    if not raw:
        return True  # a tool without arguments
    try:
        json.loads(raw)
    except ValueError:
        return False
    return True
