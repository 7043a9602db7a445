"""Model tokens reach every channel as they are written: SSE, the OpenAI-compatible API, Telegram edits."""

from __future__ import annotations

import asyncio
import itertools
import threading

import openai
import pytest

from assistant.api import create_app
from assistant.fakes.openai_server import Scripted
from assistant.fakes.serving import serving
from bots.telegram.bot import build_application
from bots.telegram.fake_api import FakeBotAPI
from tests.api.test_channels import sse_events

QUESTION = "What difficulties does talent training face in industry-education integration?"
ANSWER = "Talent training is disconnected from industrial needs [1], and practice bases are short [2]."


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
    api = FakeBotAPI().start()
    application = build_application("123:TEST", llm.assistant, base_url=api.base_url)
    application.bot_data["edit_interval_s"] = 0.1
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    async def run() -> None:
        await application.initialize()
        await application.start()
        await application.updater.start_polling(poll_interval=0.02, timeout=1)
        ready.set()

    thread = threading.Thread(target=lambda: (loop.run_until_complete(run()), loop.run_forever()), daemon=True)
    thread.start()
    try:
        assert ready.wait(30)
        llm_server.enqueue(Scripted(text=ANSWER + " " + ANSWER, chunk_delay_s=0.08))
        api.push_text(301, QUESTION)
        final = api.wait_for(lambda: [e for e in api.edited if e.get("parse_mode") == "HTML"])
        drafts = api.messages_to(301)
        assert len(drafts) == 1 and drafts[0]["text"].endswith("…")  # one message, shown while written
        growing = [e["text"] for e in api.edited if e.get("parse_mode") is None]
        assert growing and all(len(a) <= len(b) for a, b in itertools.pairwise(growing))
        assert final[0]["message_id"] == drafts[0]["message_id"] and "<b>[1]</b>" in final[0]["text"]
    finally:

        async def stop() -> None:
            await application.updater.stop()
            await application.stop()
            await application.shutdown()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        api.stop()
