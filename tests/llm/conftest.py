"""LLM mode fixtures: the scripted OpenAI-compatible server and a container that answers through it."""

from __future__ import annotations

import pytest

from assistant.api.deps import Container
from assistant.fakes.openai_server import FakeOpenAIServer
from tests.conftest import DEMO_NOW


@pytest.fixture(scope="module")
def llm_server():
    server = FakeOpenAIServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def llm(kb_container: Container, llm_server: FakeOpenAIServer, embedder) -> Container:  # type: ignore[no-untyped-def]
    """The shipped knowledge base and records, answered through the model on the test server."""
    settings = kb_container.settings.model_copy(
        update={
            "llm_base_url": llm_server.base_url,
            "llm_model": "fake-model",
            "llm_timeout_s": 1.0,
            "llm_deadline_s": 6.0,
        }
    )
    container = Container.build(settings, embedder=embedder)
    container.records.clock = lambda: DEMO_NOW
    assert container.assistant.agent is not None
    return container


@pytest.fixture(autouse=True)
def _fresh_script(llm_server: FakeOpenAIServer):
    llm_server.replies.clear()
    llm_server.requests.clear()
    yield
