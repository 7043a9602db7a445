"""Rate limits shared through the database: one budget per key across processes, on SQLite and PostgreSQL."""

from concurrent.futures import ThreadPoolExecutor

from assistant.records.db import make_engine, migrate, session_factory
from assistant.records.ratelimits import DatabaseRateLimiter


def limiter_on(database_url: str, limit: int, now: list[float]) -> DatabaseRateLimiter:
    engine = make_engine(database_url)
    migrate(engine)
    return DatabaseRateLimiter(session_factory(engine), limit, window=60, clock=lambda: now[0])


def test_limits_are_kept_per_key_and_say_when_to_retry(database_url):
    now = [600.0]
    limiter = limiter_on(database_url, 2, now)
    assert limiter.retry_after("user:a") is None and limiter.retry_after("user:a") is None
    now[0] = 615.0
    assert limiter.retry_after("user:a") == 15  # one request comes back every 30 s: the first at t=630
    assert limiter.retry_after("user:b") is None  # another user has their own budget
    now[0] = 630.0
    assert limiter.retry_after("user:a") is None
    assert limiter.retry_after("user:a") == 30  # that one was spent; the next comes back at t=660


def test_a_minute_boundary_gives_no_second_budget(database_url):
    now = [659.5]
    limiter = limiter_on(database_url, 3, now)
    assert [limiter.retry_after("ip:a") for _ in range(3)] == [None, None, None]
    now[0] = 660.5  # a new calendar minute one second later: still one request per 20 s
    assert limiter.retry_after("ip:a") is not None


def test_refused_requests_cost_nothing(database_url):
    now = [1000.0]
    limiter = limiter_on(database_url, 1, now)
    assert limiter.retry_after("ip:b") is None
    for second in range(1, 60):  # a client that keeps knocking does not push its own turn further away
        now[0] = 1000.0 + second
        assert limiter.retry_after("ip:b") == 60 - second
    now[0] = 1060.0
    assert limiter.retry_after("ip:b") is None


def test_two_workers_share_one_budget_even_under_concurrency(database_url):
    now = [1200.0]
    first, second = limiter_on(database_url, 25, now), limiter_on(database_url, 25, now)
    with ThreadPoolExecutor(max_workers=8) as pool:
        waits = list(pool.map(lambda i: (first if i % 2 else second).retry_after("ip:10.0.0.7"), range(40)))
    assert waits.count(None) == 25 and all(w == 3 for w in waits if w is not None)  # one back every 60/25 s
