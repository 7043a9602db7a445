"""Claims in a knowledge answer need their own citation: a figure the model states without one is dropped.

One valid `[n]` elsewhere in the answer does not vouch for an invented amount, date or percentage. Which
sentence "states a fact" cannot be told reliably from its words, but a figure can: a sentence with a number
and no valid marker is taken out. Connecting sentences without figures stay.
"""

from __future__ import annotations

import re

# A sentence: up to a stop that ends it (not the point in "9.5"), a line break or the end, then its markers.
_SENTENCE = re.compile(r"(?:[^.!?。！？\n]|[.!?](?!\s|$))*(?:[.!?]+(?=\s|$)|[。！？]+|\n|$)(?:\s*\[\d{1,3}\])*\s*")
_MARKER = re.compile(r"\[\d{1,3}\]")
# Digits in any script, percentages, and Chinese numerals that count money or multiples.
_FIGURE = re.compile(r"\d|%|％|百分之|[零一二两三四五六七八九十百千万亿]+(?:元|万|亿|倍)")


def sentences_of(answer: str) -> list[str]:
    """The answer's sentences with their spacing, so that joining them gives the answer back."""
    return [found.group() for found in _SENTENCE.finditer(answer) if found.group()]


def states_a_figure(sentence: str) -> bool:
    return bool(_FIGURE.search(_MARKER.sub("", sentence)))


def drop_uncited_figures(answer: str) -> tuple[str, int]:
    """The answer without its sentences that state a figure but cite nothing; and how many were dropped."""
    kept, dropped = [], 0
    for sentence in sentences_of(answer):
        if states_a_figure(sentence) and not _MARKER.search(sentence):
            dropped += 1
        else:
            kept.append(sentence)
    return "".join(kept), dropped
