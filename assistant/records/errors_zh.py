"""A records file's row errors in Chinese: the same checks as `importer._message`, said for a Chinese office."""

from __future__ import annotations

from typing import Any

from assistant.records.chinese import table

# The row models' own errors (rows.py), by their type.
_OWN_MESSAGES = {
    "enterprise_required": "为空：学徒制、订单班、实习和员工培训须填写承办企业；只有社区课程可由学校单独举办",
    "needs_utc_offset": "缺少时区：请写成 2027-01-05T09:30:00+08:00 这样的时间",
    "nul_character": "含有空字符（\\x00），请删除",
    "too_long": "过长，超出该列允许的字数",
    "integer_out_of_range": "超出允许范围",
    "utc_out_of_range": "超出允许范围",
}


def _words_for(key: str, expected: str) -> str:
    """The allowed values with their Chinese words: "'open' or 'closed'" -> "'open'（开放）或 'closed'（已关闭）"."""
    chinese: dict[str, list[str]] = {}
    for word, value in (table().get("values", {}).get(key) or {}).items():
        chinese.setdefault(str(value), []).append(str(word))
    parts = []
    for value in (v.strip(" '\"") for v in expected.replace(" or ", ", ").split(",")):
        if value:
            words = "、".join(chinese.get(value, [])[:2])
            parts.append(f"{value}（{words}）" if words else value)
    return "、".join(parts)


def message_zh(error: dict[str, Any], value: Any) -> str:
    """What is wrong with a cell and how to fix it, in Chinese, after "第 8 行：`列名` "."""
    got = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
    kind, context = error["type"], error.get("ctx", {})
    column = str(error["loc"][-1]) if error.get("loc") else ""
    if kind in ("missing", "string_too_short"):
        return "为空：每一行都必须填写"
    if kind == "literal_error":
        return f"为 {got}：请填写 {_words_for(column, str(context.get('expected', '')))}"
    if kind.startswith("datetime_"):
        return f"为 {got}：请写成 2027-09-01T09:30:00+08:00 这样的时间"
    if kind.startswith("date_"):
        return f"为 {got}：请写成 2027-09-01 这样的日期"
    if kind.startswith("int_"):
        return f"为 {got}：请填写整数，如 12"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = {"greater_than_equal": "不小于", "greater_than": "大于", "less_than_equal": "不大于"}
        return f"为 {got}：必须{bound.get(kind, '小于')} {next(iter(context.values()))}"
    chinese = _OWN_MESSAGES.get(kind)
    if chinese is not None:
        return chinese if value in (None, "") else f"{chinese}（当前为 {got}）"
    return f"填写有误：{str(error['msg']).removeprefix('Value error, ')}"
