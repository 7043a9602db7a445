"""Fitting passages, history and tool results into the model's context window, counted with tiktoken.

The window is split in order of what an answer needs most: the fixed frame (system prompt, question,
room for the reply), then passages by relevance, then history newest first. Whatever does not fit is
dropped whole, never cut mid-passage, so a quote can always be checked against what the model saw.
Counts use the offline cl100k encoding: exact for OpenAI models and a close estimate for others, which
the safety margin covers.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from assistant.tokens import count_tokens

T = TypeVar("T")
SAFETY_MARGIN = 0.1  # other tokenizers count Chinese text up to ~10% differently
MESSAGE_OVERHEAD = 4  # role and separators per chat message
HISTORY_MESSAGE_TOKENS = 300  # one old message never crowds out the rest


@dataclass(frozen=True)
class ContextBudget:
    window: int
    reply: int
    passage_share: float = 0.6
    tool_result_tokens: int = 1200

    @property
    def usable(self) -> int:
        return int((self.window - self.reply) * (1 - SAFETY_MARGIN))

    def fit(
        self, fixed: Sequence[str], passages: Sequence[tuple[T, str]], history: Sequence[tuple[T, str]]
    ) -> tuple[list[T], list[T], int]:
        """Passages (relevance order) and history (oldest first) that fit with the fixed texts; and tokens used."""
        used = sum(count_tokens(text) + MESSAGE_OVERHEAD for text in fixed)
        remaining = self.usable - used
        passage_room = int(remaining * self.passage_share)
        kept_passages: list[T] = []
        for item, text in passages:
            cost = count_tokens(text) + MESSAGE_OVERHEAD
            if cost <= passage_room:
                kept_passages.append(item)
                passage_room -= cost
                used += cost
        kept_history: list[T] = []
        room = self.usable - used
        for item, text in reversed(history):
            cost = min(count_tokens(text), HISTORY_MESSAGE_TOKENS) + MESSAGE_OVERHEAD
            if cost > room:
                break
            kept_history.insert(0, item)
            room -= cost
            used += cost
        return kept_passages, kept_history, used

    def tool_result(self, result: dict[str, Any]) -> str:
        """A tool result as JSON for the model, list items dropped from the end until it fits."""
        trimmed = dict(result)
        text = json.dumps(trimmed, ensure_ascii=False, default=str)
        items = list(trimmed.get("items") or [])
        while count_tokens(text) > self.tool_result_tokens and items:
            items.pop()
            trimmed["items"] = items
            trimmed["items_omitted"] = len(result["items"]) - len(items)
            text = json.dumps(trimmed, ensure_ascii=False, default=str)
        if count_tokens(text) > self.tool_result_tokens:
            # A single huge field: cut the text itself; the model is told it was cut.
            limit = self.tool_result_tokens * 3
            text = text[:limit] + " …(truncated)"
        return text


def clip(text: str, tokens: int) -> str:
    """The start of `text` within `tokens`, for history messages longer than their share."""
    if count_tokens(text) <= tokens:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if count_tokens(text[:middle]) <= tokens:
            low = middle
        else:
            high = middle - 1
    return text[:low] + "…"
