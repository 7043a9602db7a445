"""What a message means, for one turn: ranked intents over the question vector, built on first use."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from assistant.embedders import Embedder
from assistant.understanding.intents import ExampleBank, IntentClassifier, IntentScore

#: A reading is sure when its share is at least this. Calibrated on the example bank alone: in 5-fold
#: cross-validation, readings at or above 0.5 (72% of the examples) were right 97% of the time, those below
#: it 77%; at 0.4 the sure ones were right 94.5%, at 0.6 99% but only 58% of the examples were sure.
CONFIDENT_SHARE = 0.5
#: The agreement-kind bank (beside the intent bank) and its label for "a cooperation agreement of no
#: particular kind".
AGREEMENT_KINDS_FILE = "agreement_kinds.yaml"
NO_KIND = "none"
#: A kind is read from a description when its share is at least this. Calibrated on the kind bank alone
#: (734 examples, 5-fold cross-validation): at 0.4, 87% of the kinds' examples were read sure and 97.9% of
#: those right, 1 of 69 kindless ones given a kind; at 0.3, 96% sure but 95.6% right and 6 kindless ones given
#: a kind; at 0.5, 99.0% right but 24% unsure (asked which kind).
CONFIDENT_KIND_SHARE = 0.4


@dataclass(frozen=True)
class Intents:
    """Every intent with its share, best first."""

    ranked: tuple[IntentScore, ...]

    @property
    def top(self) -> str:
        return self.ranked[0].intent

    @property
    def margin(self) -> float:
        return self.ranked[0].score - (self.ranked[1].score if len(self.ranked) > 1 else 0.0)

    @property
    def sure(self) -> bool:
        return self.ranked[0].score >= CONFIDENT_SHARE

    def runner_up(self) -> str | None:
        return self.ranked[1].intent if len(self.ranked) > 1 else None

    def without(self, *names: str) -> Intents:
        """The reading with some intents ruled out (by what the message plainly lacks), shares rescaled."""
        kept = [s for s in self.ranked if s.intent not in names]
        if not kept or len(kept) == len(self.ranked):
            return self
        total = sum(s.score for s in kept) or 1.0
        return Intents(tuple(replace(s, score=s.score / total) for s in kept))


class Understander:
    """Reads intents (and, for drafting, the agreement kind) from a message's vector; each example bank is
    loaded on the first message that needs it."""

    def __init__(self, embedder: Embedder, bank_path: Path, cache_dir: Path, kinds_path: Path | None = None) -> None:
        self.embedder = embedder
        self._bank_path = bank_path
        self._kinds_path = kinds_path or bank_path.with_name(AGREEMENT_KINDS_FILE)
        self._cache_dir = cache_dir
        self._classifiers: dict[Path, IntentClassifier] = {}
        self._lock = threading.Lock()

    def classifier(self) -> IntentClassifier:
        """The intent model, read (or fitted) on the first call."""
        return self._model(self._bank_path)

    def _model(self, bank_path: Path) -> IntentClassifier:
        if bank_path not in self._classifiers:
            with self._lock:
                if bank_path not in self._classifiers:
                    bank = ExampleBank.load(bank_path)
                    self._classifiers[bank_path] = IntentClassifier.build(bank, self.embedder, self.model_dirs)
        return self._classifiers[bank_path]

    @property
    def model_dirs(self) -> list[Path]:
        """Where the fitted model is looked for: shipped beside the bank, then the data dir (written there)."""
        return [self._bank_path.parent, self._cache_dir]

    def intents(self, message: str, vector: np.ndarray | None = None) -> Intents:
        """Ranked intents; pass the question vector when the turn has it, so it is not embedded twice."""
        question = vector if vector is not None else self.embedder.embed_query(message)
        return Intents(tuple(self.classifier().rank(question)))

    def agreement_kind(self, passages: Sequence[str]) -> str | None:
        """The agreement kind a description of a cooperation is about ("we'll take 60 of your students on our
        assembly line this summer" is a post internship), read from the most telling of its `passages` (its
        sentences: in an e-mail, one sentence says what the cooperation is, the rest greet, sign and date);
        None when no reading is sure or the surest names no kind. Asked only when no kind's name is written
        out, so it embeds its own passages, in one batch."""
        if not passages:
            return None
        vectors = self.embedder.embed_batch(list(passages), is_query=True)
        model = self._model(self._kinds_path)
        tops = [model.rank(vector)[0] for vector in vectors]
        surest = max((top for top in tops if top.intent != NO_KIND), key=lambda top: top.score, default=None)
        if surest is None or surest.score < CONFIDENT_KIND_SHARE:
            return None
        return surest.intent
