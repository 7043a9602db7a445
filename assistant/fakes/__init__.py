"""Fakes shipped next to the real things, for tests and local demos: never used in production paths."""
