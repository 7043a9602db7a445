"""Several API workers behind one port, sharing PostgreSQL and a Chroma server: state holds across them."""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import sqlalchemy

from deploy.scaleout import ScaleOut
from tests.conftest import KNOWLEDGE_DIR, postgres_schema

pytestmark = pytest.mark.postgres
LIMIT = 30


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    knowledge = tmp_path_factory.mktemp("kb")
    for name in ("student-internship-rules.md", "glossary.md"):
        shutil.copy(KNOWLEDGE_DIR / "policies" / name, knowledge)
    with (
        postgres_schema() as url,
        ScaleOut(
            workers=3,
            database_url=url,
            data_dir=tmp_path_factory.mktemp("scaleout"),
            knowledge_dir=knowledge,
            extra_env={"ASSISTANT_RATE_LIMIT_PER_MINUTE": str(LIMIT), "ASSISTANT_ADMIN_TOKEN": "t" * 32},
        ) as running,
    ):
        running.url_database = url  # type: ignore[attr-defined]
        yield running


def post(deployment: ScaleOut, path: str, body: dict, ip: str) -> httpx.Response:
    # A new connection each time, so requests spread over the workers; the address picks the rate-limit key.
    return httpx.post(f"{deployment.url}{path}", json=body, headers={"X-Forwarded-For": ip}, timeout=60)


def slots(deployment: ScaleOut, topic: str, ip: str) -> list[dict]:
    answer = post(deployment, "/v1/chat", {"message": f"Any consultation slots about {topic}?"}, ip).json()
    return answer["tool_calls"][0]["result"]["items"]


def test_requests_are_served_by_several_workers(deployment):
    # Concurrent requests: an idle worker takes a connection while the others are busy.
    # The kernel hands connections to whichever worker accepts first, so a few rounds may be needed on a busy
    # machine; a single worker answering every round means the others never serve.
    assert deployment.started_workers() == 3
    served: set[int] = set()

    def worker(_: int) -> int:
        return httpx.get(f"{deployment.url}/health", timeout=30).json()["worker"]

    with ThreadPoolExecutor(max_workers=16) as pool:
        for _ in range(5):
            served |= set(pool.map(worker, range(80)))
            if len(served) >= 2:
                break
    assert len(served) >= 2 and served <= set(deployment.worker_pids())


def test_a_booking_race_over_all_workers_books_once(deployment):
    slot = slots(deployment, "patent licensing", "10.1.0.1")[0]

    def propose(i: int) -> str:
        message = f"book {slot['id']} for Racer {i}, racer{i}@example.cn"
        reply = post(deployment, "/v1/chat", {"message": message}, f"10.2.{i}.1")
        return reply.json()["pending_action"]["token"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        tokens = list(pool.map(propose, range(24)))
    # Then every confirmation at once, each on its own connection, landing on whichever worker.
    with ThreadPoolExecutor(max_workers=24) as pool:
        codes = list(
            pool.map(
                lambda it: post(deployment, f"/v1/actions/{it[1]}/confirm", {}, f"10.2.{it[0]}.1").status_code,
                enumerate(tokens),
            )
        )
    assert codes.count(200) == 1 and codes.count(409) == 23


def test_a_conversation_continues_whichever_worker_answers(deployment):
    ip = "10.3.0.1"
    listed = post(deployment, "/v1/chat", {"message": "Any consultation slots about enterprise certification?"}, ip)
    assert listed.json()["tool_calls"]
    session = listed.json()["session_id"]
    post(deployment, "/v1/chat", {"message": "I'm Wu Fang, wu.fang@example.cn", "session_id": session}, ip)
    proposed = post(deployment, "/v1/chat", {"message": "book the second one", "session_id": session}, ip).json()
    assert proposed["pending_action"]["kind"] == "booking"
    done = post(deployment, "/v1/chat", {"message": "yes", "session_id": session}, ip).json()
    assert done["action_result"]["status"] == "confirmed"


def test_sessions_belong_to_their_owner_on_every_worker(deployment):
    # Each request on a new connection, so they land on whichever worker: every one gives the same answers.
    for n, guessed in enumerate(["telegram:1", "tg-1", "x" * 43] * 3):
        reply = post(deployment, "/v1/chat", {"message": "my bookings", "session_id": guessed}, f"10.8.0.{n + 1}")
        assert reply.status_code == 404 and reply.json()["code"] == "unknown_session"
    opening = {"role": "user", "content": "Any consultation slots about enterprise certification?"}
    alice = post(deployment, "/v1/chat/completions", {"messages": [opening]}, "10.8.1.1").json()
    alice_id = alice["session_id"]
    for turn, ip in (("book the first one", "10.8.1.2"), ("Alice An, alice@example.cn", "10.8.1.3")):
        body = {"messages": [opening, {"role": "user", "content": turn}], "session_id": alice_id}
        proposed = post(deployment, "/v1/chat/completions", body, ip).json()
    assert proposed["pending_action"]["kind"] == "booking"
    # A stranger with the same words and the same "yes" gets a conversation of their own, on any worker.
    strangers = {
        "messages": [opening, {"role": "user", "content": "book the first one"}, {"role": "user", "content": "yes"}]
    }
    for n in range(3):
        reply = post(deployment, "/v1/chat/completions", strangers, f"10.8.2.{n + 1}").json()
        assert reply["session_id"] != alice_id and "alice@example.cn" not in reply["choices"][0]["message"]["content"]
    done = post(deployment, "/v1/chat", {"message": "yes", "session_id": alice_id}, "10.8.1.4").json()
    assert done["action_result"]["status"] == "confirmed"


def test_chats_on_every_worker_survive_index_swaps(deployment):
    # One worker ingests (through the admin endpoint) while the others still serve the generation they hold.
    statuses: list[int] = []
    lock = threading.Lock()
    swapping = threading.Event()
    swapping.set()

    def chat(i: int) -> None:
        for n in itertools.count():
            if not swapping.is_set():
                return
            # A new address for every question, so the rate limit never answers instead of the index.
            ip = f"10.6.{i}.{n % 250 + 1}"
            reply = post(deployment, "/v1/chat", {"message": "How much must an intern be paid?"}, ip)
            with lock:
                statuses.append(reply.status_code)

    admin = {"Authorization": "Bearer " + "t" * 32}
    with ThreadPoolExecutor(max_workers=6) as pool:
        chatters = [pool.submit(chat, i) for i in range(6)]
        for round_ in range(3):
            (deployment.knowledge_dir / "bulletin.md").write_text(  # type: ignore[operator]
                f"---\nid: bulletin\ntitle: Bulletin\n---\n## 1 Notice\n\nBulletin {round_} on shared bases.\n",
                encoding="utf-8",
            )
            swap = httpx.post(f"{deployment.url}/v1/admin/ingest", headers=admin, timeout=120)
            assert swap.status_code == 200 and "is serving" in swap.json()["summary"], swap.text
        time.sleep(3)  # past every worker's pointer re-check, so each one has switched at least once
        swapping.clear()
        for chatter in chatters:
            chatter.result()
    assert statuses and set(statuses) == {200}


def test_the_rate_limit_is_one_budget_across_workers(deployment):
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(
            pool.map(
                lambda i: (
                    post(deployment, "/v1/feedback", {"session_id": "nope", "rating": "up"}, "10.9.9.9").status_code
                ),
                range(LIMIT + 10),
            )
        )
    # One request comes back to the budget every 60 / LIMIT s, so a slow machine may let a few more through;
    # separate budgets per worker would let all LIMIT + 10 through.
    returned = int((time.monotonic() - started) // (60 / LIMIT))
    assert LIMIT <= codes.count(404) <= LIMIT + returned and codes.count(404) + codes.count(429) == LIMIT + 10


def test_killing_a_worker_mid_load_loses_no_acknowledged_booking(deployment):
    open_slots = slots(deployment, "technology transfer", "10.4.0.1") + slots(
        deployment, "benefit distribution", "10.4.0.2"
    )
    acknowledged: list[str] = []
    lock = threading.Lock()

    def book(i: int) -> None:
        slot = open_slots[i % len(open_slots)]
        ip = f"10.5.{i}.1"
        try:
            reply = post(
                deployment,
                "/v1/chat",
                {"message": f"book {slot['id']} for K {i}, k{i}@example.cn"},
                ip,
            ).json()
            done = post(deployment, f"/v1/actions/{reply['pending_action']['token']}/confirm", {}, ip)
        except (httpx.HTTPError, KeyError, TypeError):
            return  # a request cut off by the crash was never acknowledged
        if done.status_code == 200:
            with lock:
                acknowledged.append(done.json()["booking_ref"])

    victim = deployment.worker_pids()[0]
    with ThreadPoolExecutor(max_workers=10) as pool:
        futures = [pool.submit(book, i) for i in range(30)]
        time.sleep(0.5)
        os.kill(victim, signal.SIGKILL)
        for future in futures:
            future.result()
    assert acknowledged
    engine = sqlalchemy.create_engine(deployment.url_database)  # type: ignore[attr-defined]
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT ref, slot_id FROM bookings WHERE status = 'confirmed'").all()
    engine.dispose()
    refs = [r[0] for r in rows]
    assert set(acknowledged) <= set(refs) and len(set(acknowledged)) == len(acknowledged)
    slots_booked = [r[1] for r in rows]
    assert len(slots_booked) == len(set(slots_booked))  # never twice
    # The supervisor replaces the dead worker and the deployment keeps answering.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (victim in deployment.worker_pids() or len(deployment.worker_pids()) < 3):
        time.sleep(0.5)
    assert (
        victim not in deployment.worker_pids() and httpx.get(f"{deployment.url}/health", timeout=30).status_code == 200
    )
