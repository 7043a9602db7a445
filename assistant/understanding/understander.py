"""What a message means, for one turn: ranked intents over the question vector, built on first use."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from assistant.embedders import Embedder
from assistant.understanding.intents import ExampleBank, IntentClassifier, IntentScore

#: A reading is sure when its share is at least this. Calibrated on the example bank alone: in 5-fold
#: cross-validation, readings at or above 0.5 (72% of the examples) were right 97% of the time, those below
#: it 77%; at 0.4 the sure ones were right 94.5%, at 0.6 99% but only 58% of the examples were sure.
CONFIDENT_SHARE = 0.5


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
    """Reads intents from a message's question vector; the example bank is loaded on the first message."""

    def __init__(self, embedder: Embedder, bank_path: Path, cache_dir: Path) -> None:
        self.embedder = embedder
        self._bank_path = bank_path
        self._cache_dir = cache_dir
        self._classifier: IntentClassifier | None = None
        self._lock = threading.Lock()

    def classifier(self) -> IntentClassifier:
        """The intent model, read (or fitted) on the first call."""
        if self._classifier is None:
            with self._lock:
                if self._classifier is None:
                    bank = ExampleBank.load(self._bank_path)
                    self._classifier = IntentClassifier.build(bank, self.embedder, self.model_dirs)
        return self._classifier

    @property
    def model_dirs(self) -> list[Path]:
        """Where the fitted model is looked for: shipped beside the bank, then the data dir (written there)."""
        return [self._bank_path.parent, self._cache_dir]

    def intents(self, message: str, vector: np.ndarray | None = None) -> Intents:
        """Ranked intents; pass the question vector when the turn has it, so it is not embedded twice."""
        question = vector if vector is not None else self.embedder.embed_query(message)
        return Intents(tuple(self.classifier().rank(question)))
