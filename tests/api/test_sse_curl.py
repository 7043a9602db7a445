"""`curl` against the SSE endpoint of a running server holds the whole conversation."""

import json
import shutil
import subprocess

import pytest

from tests.api.test_channels import server_url  # noqa: F401  (the running-server fixture)

pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")


def curl_stream(url: str, body: dict) -> dict:
    output = subprocess.run(
        [
            "curl",
            "-sN",
            "-X",
            "POST",
            f"{url}/v1/chat/stream",
            "-H",
            "content-type: application/json",
            "-d",
            json.dumps(body),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    events: dict = {"delta": ""}
    for block in output.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        data = json.loads(lines["data"])
        if lines["event"] == "delta":
            events["delta"] += data["text"]
        else:
            events[lines["event"]] = data
    return events


def test_curl_question_offer_search_and_booking(server_url):  # noqa: F811
    first = curl_stream(server_url, {"message": "What does the paper propose for modern apprenticeship?"})
    session = first["done"]["session_id"]
    assert first["citations"] and "[1]" in first["delta"]
    offers = curl_stream(server_url, {"message": "Is there an apprenticeship in ship welding?", "session_id": session})
    assert offers["tool_calls"][0]["name"] == "search_training_offers"
    curl_stream(server_url, {"message": "I'm Curl User, curl.user@example.cn", "session_id": session})
    curl_stream(server_url, {"message": "I need to talk to an expert about patent licensing", "session_id": session})
    proposed = curl_stream(server_url, {"message": "book the first one", "session_id": session})
    assert proposed["pending_action"]["kind"] == "booking"
    confirmed = curl_stream(server_url, {"message": "yes", "session_id": session})
    assert confirmed["action_result"]["status"] == "confirmed" and confirmed["done"]["refused"] is False
