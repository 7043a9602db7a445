"""Any OpenAI-compatible `/embeddings` endpoint (OpenAI, Ollama, vLLM, llama.cpp server)."""

from __future__ import annotations

from collections.abc import Sequence

import httpx
import numpy as np

from assistant.embedders.base import Embedder, EmbedderError, normalise


class OpenAICompatibleEmbedder(Embedder):
    """Embeddings over HTTP; the server decides the model's behaviour for queries and passages alike."""

    def __init__(self, base_url: str, model: str, api_key: str | None = None, timeout: float = 30.0) -> None:
        self.id = f"openai-compatible/{model}"
        self._model = model
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(base_url=base_url.rstrip("/"), headers=headers, timeout=timeout)

    def embed_batch(self, texts: Sequence[str], *, is_query: bool) -> np.ndarray:
        try:
            response = self._client.post("/embeddings", json={"model": self._model, "input": list(texts)})
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise EmbedderError(
                f"embedding server at {self._client.base_url} failed ({exc}); check ASSISTANT_EMBEDDING_BASE_URL "
                "and that the server is running, or unset ASSISTANT_EMBEDDER to use the bundled model"
            ) from exc
        data = sorted(response.json()["data"], key=lambda item: item["index"])
        return normalise(np.asarray([item["embedding"] for item in data], dtype=np.float32))
