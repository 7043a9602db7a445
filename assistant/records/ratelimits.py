"""Rate limits every API worker shares: fixed-window counters in the records database.

One atomic upsert per check (`INSERT … ON CONFLICT DO UPDATE … RETURNING`, on SQLite and PostgreSQL), so
N workers behind one address see one limit, not N.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from assistant.records.models import RateLimitHit

PURGE_EVERY = 500  # checks between deletions of old windows


class DatabaseRateLimiter:
    """At most `limit` requests per `window` seconds per key (a client IP, a session), across processes."""

    def __init__(
        self, sessions: sessionmaker[Session], limit: int, window: float = 60.0, clock: Callable[[], float] = time.time
    ) -> None:
        self.sessions = sessions
        self.limit = limit
        self.window = window
        self.clock = clock
        self._checks = 0

    def retry_after(self, key: str) -> int | None:
        """Seconds to wait when `key` is over its limit (the request is still counted), else None."""
        now = self.clock()
        window = int(now // self.window)
        # Keys carry caller text read before validation (a session id): make it text the database can hold
        # (no lone surrogates, no NUL for PostgreSQL) and fit it to the column.
        key = key.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")[:160]
        with self.sessions.begin() as session:
            dialect = session.get_bind().dialect.name
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            statement = (
                insert(RateLimitHit)
                .values(key=key, window=window, count=1)
                .on_conflict_do_update(index_elements=["key", "window"], set_={"count": RateLimitHit.count + 1})
                .returning(RateLimitHit.count)
            )
            count = session.execute(statement).scalar_one()
            self._checks += 1
            if self._checks % PURGE_EVERY == 0:
                session.execute(delete(RateLimitHit).where(RateLimitHit.window < window - 1))
        if count > self.limit:
            return max(1, math.ceil((window + 1) * self.window - now))
        return None
