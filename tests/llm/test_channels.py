"""Model tokens reach every channel as they are written: SSE, the OpenAI-compatible API, Telegram edits."""

from __future__ import annotations

import itertools

import openai
import pytest

from assistant.api import create_app
from assistant.fakes.openai_server import Scripted
from assistant.fakes.serving import serving
from tests.api.test_channels import sse_events
from tests.bots.running import running_bot

QUESTION = "What difficulties does talent training face in industry-education integration?"
ANSWER = "Talent training is disconnected from industrial needs [1], and practice bases are short [2]."
# A first attempt that shows a cited sentence, then breaks (a cut-off tool call) and is retried.
BROKEN_FIRST = Scripted(text="First attempt says talent lags [1]. ", tool_calls=[("search_knowledge", '{"query": ')])
RETRIED = "Second attempt: training is disconnected from industrial needs [1]."


@pytest.fixture(scope="module")
def llm_url(llm):  # type: ignore[no-untyped-def]
    with serving(create_app(container=llm, rate_limit=1_000_000)) as url:
        yield url


def test_sse_streams_the_models_words_then_the_checked_answer(llm_url, llm_server):
    import httpx

    llm_server.enqueue(Scripted(text=ANSWER + " A made-up source [12]."))
    with httpx.stream("POST", f"{llm_url}/v1/chat/stream", json={"message": QUESTION}, timeout=30) as response:
        body = "".join(response.iter_text())
    events = sse_events(body)
    deltas = [data["text"] for name, data in events if name == "delta"]
    done = dict(events)["done"]
    assert len(deltas) > 1 and "".join(deltas).strip() == done["answer"]
    assert "[12]" not in done["answer"] and done["llm"]["removed_citations"] == 1
    assert [c["n"] for c in dict(events)["citations"]] == [1, 2]


def test_the_official_openai_client_streams_through_our_endpoint(llm_url, llm_server):
    llm_server.enqueue(Scripted(text=ANSWER))
    client = openai.OpenAI(base_url=f"{llm_url}/v1", api_key="not-needed", max_retries=0)
    stream = client.chat.completions.create(
        model="iei-assistant", messages=[{"role": "user", "content": QUESTION}], stream=True
    )
    text = "".join(chunk.choices[0].delta.content or "" for chunk in stream)
    assert text.startswith(ANSWER) and "Sources:\n[1] " in text


def test_telegram_edits_one_message_as_the_answer_grows(llm, llm_server):
    with running_bot(llm.assistant, edit_interval_s=0.1) as (api, _):
        llm_server.enqueue(Scripted(text=ANSWER + " " + ANSWER, chunk_delay_s=0.08))
        api.push_text(301, QUESTION)
        final = api.wait_for(lambda: [e for e in api.edited if e.get("parse_mode") == "HTML"])
        drafts = api.messages_to(301)
        assert len(drafts) == 1 and drafts[0]["text"].endswith("…")  # one message, shown while written
        growing = [e["text"] for e in api.edited if e.get("parse_mode") is None]
        assert growing and all(len(a) <= len(b) for a, b in itertools.pairwise(growing))
        assert final[0]["message_id"] == drafts[0]["message_id"] and "<b>[1]</b>" in final[0]["text"]


def test_sse_tells_the_client_to_discard_a_withdrawn_attempt(llm_url, llm_server):
    import httpx

    llm_server.enqueue(BROKEN_FIRST, RETRIED)
    with httpx.stream("POST", f"{llm_url}/v1/chat/stream", json={"message": QUESTION}, timeout=30) as response:
        events = sse_events("".join(response.iter_text()))
    names = [name for name, _ in events]
    assert "reset" in names
    after_reset = events[len(names) - names[::-1].index("reset") :]
    assert "".join(data["text"] for name, data in after_reset if name == "delta") == dict(events)["done"]["answer"]
    assert dict(events)["done"]["answer"] == RETRIED


def test_the_openai_compatible_stream_sends_only_the_kept_attempt(llm_url, llm_server):
    llm_server.enqueue(BROKEN_FIRST, RETRIED)
    client = openai.OpenAI(base_url=f"{llm_url}/v1", api_key="not-needed", max_retries=0)
    stream = client.chat.completions.create(
        model="iei-assistant", messages=[{"role": "user", "content": QUESTION}], stream=True
    )
    text = "".join(chunk.choices[0].delta.content or "" for chunk in stream)
    assert text.startswith(RETRIED + "\n\nSources:\n[1] ") and "First attempt" not in text


def test_telegram_drops_a_withdrawn_attempt_from_the_growing_message(llm, llm_server):
    with running_bot(llm.assistant, edit_interval_s=0.1) as (api, _):
        llm_server.enqueue(BROKEN_FIRST, Scripted(text=RETRIED + " " + ANSWER, chunk_delay_s=0.08))
        api.push_text(302, QUESTION)
        final = api.wait_for(lambda: [e for e in api.edited if e.get("parse_mode") == "HTML"])
        growing = [e["text"] for e in api.edited if e.get("parse_mode") is None]
        assert any("Second attempt" in text for text in growing)
        assert not any("First attempt" in text and "Second attempt" in text for text in growing)
        assert "Second attempt" in final[0]["text"] and "First attempt" not in final[0]["text"]
