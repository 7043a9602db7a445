"""The one module that imports `langchain_openai` and `openai`: a chat model for any OpenAI-compatible server.

OpenAI, Ollama, vLLM and llama.cpp's server all speak `/v1/chat/completions` with tool calls. Retries are
ours, not the client's (`max_retries=0`), so one deadline covers the whole turn.
"""

from __future__ import annotations

import httpx
import openai
from langchain_core.language_models import BaseChatModel
from langchain_openai import ChatOpenAI

from assistant.settings import Settings


class ModelNotConfigured(RuntimeError):
    """LLM mode was asked for without a server and a model."""


def make_chat_model(settings: Settings) -> BaseChatModel:
    if not settings.llm_configured:
        raise ModelNotConfigured(
            "LLM mode needs ASSISTANT_LLM_BASE_URL (e.g. http://127.0.0.1:11434/v1 for Ollama) and "
            "ASSISTANT_LLM_MODEL; unset both to use the offline answerer"
        )
    return ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        # Local servers ignore the key but the client insists on one.
        api_key=settings.llm_api_key or "not-needed",
        timeout=settings.llm_timeout_s,
        max_retries=0,
        temperature=settings.llm_temperature,
        max_tokens=settings.llm_max_output_tokens,
        use_responses_api=False,
        stream_usage=False,
    )


def failure_reason(exc: BaseException) -> tuple[str, bool] | None:
    """(reason, worth retrying) when `exc` is the model server failing, or None for anything else."""
    if isinstance(exc, openai.APITimeoutError):
        return "timeout", True
    if isinstance(exc, openai.RateLimitError):
        return "rate limited (429)", True
    if isinstance(exc, openai.APIConnectionError):
        return "server unreachable", True
    # Mid-stream, the client reads the body itself: a stall or a dropped connection surfaces as httpx's error.
    if isinstance(exc, httpx.TimeoutException):
        return "timeout", True
    if isinstance(exc, httpx.TransportError):
        return "connection lost", True
    if isinstance(exc, openai.APIStatusError):
        # 401, 404 and other 4xx will not get better by asking again.
        return f"server error ({exc.status_code})", exc.status_code >= 500
    if isinstance(exc, openai.APIError):
        return "malformed reply", True
    return None
