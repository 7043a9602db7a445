"""The offline answerer: scope decisions and the extractive, cited composer."""

from assistant.answer.composer import Citation, ComposedAnswer, compose
from assistant.answer.scope import Decline, ScopePolicy, judge, judge_reading, relevance, scope_of, screen_message

__all__ = [
    "Citation",
    "ComposedAnswer",
    "Decline",
    "ScopePolicy",
    "compose",
    "judge",
    "judge_reading",
    "relevance",
    "scope_of",
    "screen_message",
]
