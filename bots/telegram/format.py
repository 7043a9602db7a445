"""Answers as Telegram HTML: escaped text, bold citation markers, a sources footer, clean 4,096-char parts."""

from __future__ import annotations

import html
import re
from typing import Any

TELEGRAM_LIMIT = 4096
_MARKER = re.compile(r"\[(\d+)\]")


def answer_html(answer: str, citations: list[dict[str, Any]], language: str) -> str:
    text = _MARKER.sub(r"<b>[\1]</b>", html.escape(answer, quote=False))
    if citations:
        heading = "出处" if language == "zh" else "Sources"
        lines = [
            f"[{c['n']}] <code>{html.escape(c['doc_id'])}#{html.escape(c['section'])}</code> — "
            f"{html.escape(c['title'])}"
            for c in citations
        ]
        text += f"\n\n<b>{heading}</b>\n" + "\n".join(lines)
    return text


def split_message(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Parts under the limit, cut at paragraph, then line, then sentence, then word boundaries."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), -1)
        for separator in ("\n", ". ", "。", " "):
            if cut > limit // 2:
                break
            cut = max(cut, window.rfind(separator))
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts
