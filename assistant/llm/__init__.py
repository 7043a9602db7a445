"""LLM mode: any OpenAI-compatible chat model through LangChain tool calling, with our citations and consent."""

from __future__ import annotations

from assistant.agreements.service import AgreementService
from assistant.llm.agent import AgentFailed, AgentTurn, LLMAgent, TurnInput
from assistant.llm.budget import ContextBudget
from assistant.llm.chat_model import ModelNotConfigured, make_chat_model
from assistant.records import RecordsService
from assistant.retrieval import HybridRetriever
from assistant.settings import Settings

__all__ = ["AgentFailed", "AgentTurn", "LLMAgent", "ModelNotConfigured", "TurnInput", "build_agent"]


def build_agent(
    settings: Settings, retriever: HybridRetriever, records: RecordsService, agreements: AgreementService | None = None
) -> LLMAgent:
    """The agent for the configured model; raises `ModelNotConfigured` with the fix when there is none."""
    return LLMAgent(
        make_chat_model(settings),
        retriever,
        records,
        ContextBudget(window=settings.llm_context_tokens, reply=settings.llm_max_output_tokens),
        agreements=agreements,
        deadline_s=settings.llm_deadline_s,
        max_steps=settings.llm_max_steps,
        clock=records.clock,
        model_name=settings.llm_model or "",
    )
