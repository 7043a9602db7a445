"""Cooperation records: offers, platform listings, consultation slots, bookings, in SQLite or PostgreSQL."""

from assistant.records.service import RecordsService

__all__ = ["RecordsService"]
