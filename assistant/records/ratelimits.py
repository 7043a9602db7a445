"""Rate limits every API worker shares: one GCRA bucket per key in the records database.

GCRA (the generic cell rate algorithm) is a token bucket kept as a single number, the bucket's theoretical
arrival time: `limit` requests may come at once, then one more every `window / limit` seconds. Unlike fixed
one-minute counters it has no boundary where a client may send twice the limit, and a refused request costs
nothing, so a client that backs off as told by Retry-After gets in. One atomic upsert per check
(`INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING`, on SQLite and PostgreSQL), so N workers behind one
address see one limit, not N.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from assistant.records.models import RateLimitBucket

PURGE_EVERY = 500  # checks between deletions of buckets that have refilled
# Float arithmetic on epoch seconds: `limit` intervals may add up to a hair over one window.
TOLERANCE = 1e-6


class DatabaseRateLimiter:
    """At most `limit` requests per `window` seconds per key (a client IP, a session), across processes."""

    def __init__(
        self, sessions: sessionmaker[Session], limit: int, window: float = 60.0, clock: Callable[[], float] = time.time
    ) -> None:
        if limit < 1:
            raise ValueError(f"a rate limit must allow at least one request per window, not {limit}")
        self.sessions = sessions
        self.limit = limit
        self.window = window
        self.interval = window / limit
        self.clock = clock
        self._checks = 0

    def retry_after(self, key: str) -> int | None:
        """Seconds to wait when `key` is over its limit (the request is not counted), else None."""
        now = self.clock()
        # Keys carry caller text read before validation (a session id): make it text the database can hold
        # (no lone surrogates, no NUL for PostgreSQL) and fit it to the column.
        key = key.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")[:160]
        with self.sessions.begin() as session:
            dialect = session.get_bind().dialect.name
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            later = func.greatest if dialect == "postgresql" else func.max  # SQLite's two-argument max is scalar
            next_arrival = later(RateLimitBucket.arrival, now) + self.interval
            statement = (
                insert(RateLimitBucket)
                .values(key=key, arrival=now + self.interval)
                .on_conflict_do_update(
                    index_elements=["key"],
                    set_={"arrival": next_arrival},
                    where=next_arrival - now <= self.window + TOLERANCE,
                )
                .returning(RateLimitBucket.arrival)
            )
            accepted = session.execute(statement).scalar_one_or_none()
            arrival = accepted
            if accepted is None:
                stored = select(RateLimitBucket.arrival).where(RateLimitBucket.key == key)
                arrival = session.execute(stored).scalar_one()
            self._checks += 1
            if self._checks % PURGE_EVERY == 0:
                session.execute(delete(RateLimitBucket).where(RateLimitBucket.arrival < now))
        if accepted is None:
            # The next request fits once the bucket's arrival time is back within one window of the clock.
            return max(1, math.ceil(arrival + self.interval - self.window - now))
        return None
