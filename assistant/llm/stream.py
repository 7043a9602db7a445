"""Showing a model's answer while it is written, without ever showing what the turn will not stand by.

Text is held until a knowledge answer cites; it never shows a run of the instructions long enough to be a
leak; and when what was shown is not the turn's answer after all (a retry, a rejected or trimmed answer, a
fallback), `RESET` withdraws it so the channel can start over.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.text import RESET

LEAK_SPAN = 10  # this many consecutive words of the instructions in an answer is a prompt-extraction leak
_WORD = re.compile(r"\S+")


class LeakGuard:
    """Spots the instructions repeated in an answer, and how much of a growing answer is safe to show."""

    def __init__(self, instructions: str, span: int = LEAK_SPAN) -> None:
        words = instructions.split()
        self.span = span
        self._spans = _runs(words, span)
        # Shorter runs: a growing answer that ends in one may be the start of a leak, so that end waits.
        self._starts = set().union(*(_runs(words, n) for n in range(1, span)))
        self._word_starts = {word[:i] for word in words for i in range(1, len(word) + 1)}

    def leaks(self, answer: str) -> bool:
        said = answer.split()
        return any(" ".join(said[i : i + self.span]) in self._spans for i in range(len(said) - self.span + 1))

    def safe_length(self, text: str) -> int:
        """How much of `text` may show: all but a trailing run of instruction words, and the unfinished word
        that may continue it."""
        words = list(_WORD.finditer(text))
        if words and words[-1].end() == len(text):
            if words[-1].group() not in self._word_starts:
                return len(text)  # no instruction word starts so: nothing before it can grow into a leak
            words.pop()  # the next piece may finish it as an instruction word
        boundary = words[-1].end() if words else 0
        for n in range(1, min(self.span, len(words) + 1)):
            if " ".join(w.group() for w in words[-n:]) not in self._starts:
                break
            boundary = words[-n].start()
        return boundary


def _runs(words: list[str], n: int) -> set[str]:
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


class AnswerStream:
    """One turn's answer on its way to a live channel (`sink`); each generation starts it over."""

    def __init__(self, sink: Callable[[str], None] | None, guard: LeakGuard) -> None:
        self.sink = sink
        self.guard = guard
        self.hold = True
        self.text = ""
        self.shown = ""
        self.is_open = False
        self.leaked = False

    def restart(self, hold: bool | None = None) -> None:
        """A new generation: withdraw what the last one showed. `hold`: wait for `open()` before showing."""
        self._withdraw()
        if hold is not None:
            self.hold = hold
        self.text = ""
        self.is_open = not self.hold
        self.leaked = False

    def push(self, piece: str) -> None:
        self.text += piece
        self._release()

    def open(self) -> None:
        self.is_open = True
        self._release()

    def settle(self, answer: str | None) -> None:
        """The turn's answer is known: show the rest of it, or withdraw the shown text it does not continue.

        `None`: the answer comes from elsewhere (a fallback or a draft), so everything shown is withdrawn.
        """
        if answer is None or not answer.startswith(self.shown):
            self._withdraw()
        if answer is not None:
            self._show(answer[len(self.shown) :])

    def _release(self) -> None:
        if self.sink is None or not self.is_open or self.leaked:
            return
        # Checked before every release: what is held back at the end is enough for a leak to show up here first.
        if self.guard.leaks(self.text):
            self.leaked = True
            return
        self._show(self.text[len(self.shown) : self.guard.safe_length(self.text)])

    def _show(self, piece: str) -> None:
        if piece and self.sink is not None:
            self.sink(piece)
            self.shown += piece

    def _withdraw(self) -> None:
        if self.shown and self.sink is not None:
            self.sink(RESET)
        self.shown = ""
