"""Records files exported in Chinese: their headers and enumeration words read as the keys and values the
records store, by one documented table (`chinese.yaml`) plus the names vocabulary for cities and fields.

A Jiangsu college exports "编号, 标题, 类型, 合作企业, 城市 ..." with "学徒制", "开放", "南通"; stored under one
key per value ("apprenticeship", "open", "Nantong"), its rows are found by Chinese and English questions
alike and filtered together with records written in English.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from assistant.understanding.vocabulary import ALIASES

TABLE = Path(__file__).with_name("chinese.yaml")
# Columns whose values are one of a few words; and columns whose values the vocabulary names (a city, a field).
_ENUMERATIONS = ("kind", "status", "mode")
_NAMED = {"region": "regions", "field": "fields"}
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@cache
def table() -> dict[str, Any]:
    return yaml.safe_load(TABLE.read_text(encoding="utf-8")) or {}


@cache
def _vocabulary(category: str) -> dict[str, list[str]]:
    """Stored value -> its Chinese names in the vocabulary (read once), for a category such as "regions"."""
    entries = (yaml.safe_load(ALIASES.read_text(encoding="utf-8")) or {}).get(category, {})
    return {str(value): [str(a) for a in aliases or [] if _CJK.search(str(a))] for value, aliases in entries.items()}


@cache
def _named_values(category: str) -> dict[str, str]:
    """Chinese name -> the stored value ("南通" -> "Nantong")."""
    return {alias: value for value, aliases in _vocabulary(category).items() for alias in aliases}


def _header(text: str) -> str:
    # Exports differ in full-width and half-width brackets and stray spaces: "时长（月）" = "时长(月) ".
    return unicodedata.normalize("NFKC", text).replace(" ", "").strip()


def column_names(kind: str) -> dict[str, str]:
    """Chinese header (normalised) -> column key, for one kind of records file."""
    return {_header(header): key for header, key in (table().get("columns", {}).get(kind) or {}).items()}


def column_key(kind: str, header: str) -> str:
    """The column a header stands for: a Chinese header's key, any other header as written."""
    return column_names(kind).get(_header(header), header)


def stored_value(key: str, value: Any) -> Any:
    """A cell's value as the records store it: Chinese enumeration words and city and field names mapped."""
    if not isinstance(value, str) or not _CJK.search(value):
        return value
    text = value.strip()
    if key in _ENUMERATIONS:
        return (table().get("values", {}).get(key) or {}).get(text, value)
    if key in _NAMED:
        return _named_values(_NAMED[key]).get(text, value)
    return value


def english_row(kind: str, row: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The row under its column keys with stored values, and key -> the header the file used for it."""
    keyed: dict[str, Any] = {}
    headers: dict[str, str] = {}
    for header, value in row.items():
        if header is None:
            continue
        key = column_key(kind, str(header))
        if key in keyed and value in (None, ""):
            continue  # a file with both "城市" and "region" columns: the filled one wins
        keyed[key] = stored_value(key, value)
        headers[key] = str(header)
    return keyed, headers


def chinese_name(key: str, value: str) -> str:
    """A stored value's Chinese name: a city or a field by the vocabulary ("region", "Nantong" -> "南通"), a kind,
    status or mode by the first Chinese word the table maps to it ("mode", "online" -> "线上"); the value itself
    when it has none."""
    if key in _NAMED:
        return next(iter(_vocabulary(_NAMED[key]).get(value, [])), value)
    words = table().get("values", {}).get(key) or {}
    return next((str(word) for word, stored in words.items() if stored == value), value)


def chinese_texts(attributes: dict[str, Any] | None, **named: str | None) -> dict[str, str]:
    """A record's Chinese texts: its `*_zh` columns (title_zh -> title) and the Chinese names of its city
    and field (`region=`, `field=`), for replies in Chinese. Empty when the record has none."""
    texts = {
        key[: -len("_zh")]: str(value)
        for key, value in (attributes or {}).items()
        if key.endswith("_zh") and isinstance(value, str) and value.strip()
    }
    for key, value in named.items():
        chinese = chinese_name(key, value or "")
        if chinese != (value or "") and key not in texts:
            texts[key] = chinese
    return texts
