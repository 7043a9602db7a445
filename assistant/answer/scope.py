"""Decides what the assistant must decline: prompt injection, off-topic requests, unanswerable questions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from assistant.retrieval import Retrieval


class Decline(StrEnum):
    INJECTION = "injection"
    OFF_TOPIC = "off_topic"
    NOT_IN_KNOWLEDGE_BASE = "not_in_knowledge_base"


_INJECTION = re.compile(
    r"ignore (all |any |the )?(previous|prior|above|earlier|your) (instructions|rules|prompts?)"
    r"|(reveal|print|show|repeat|output|leak|tell me) (me )?(your|the) (system|hidden|initial)"
    r" (prompt|instructions|message)"
    r"|repeat (the |all |everything )?(text|words|everything|instructions|messages?)? ?(above|before|so far)"
    r"|starting with ['\"]?you are|\bsystem prompt\b|\bdeveloper mode\b|\bjailbreak\b|\bDAN\b"
    r"|pretend (you are|to be)|you are now (a|an)\b"
    r"|忽略(之前|以上|前面|所有|你的)|系统提示|提示词|越狱|开发者模式|假装你是|你现在是",
    re.IGNORECASE,
)
_OFF_TOPIC = re.compile(
    r"\b(weather|forecast|rain(ing)?|football|soccer|basketball|nba|world cup|champions league|score of"
    r"|recipes?|cook(ing)?|bake|braised|movie|film|song|lyrics|horoscope|lottery|stocks?|crypto|bitcoin"
    r"|headache|fever|medicine|symptoms?|diagnos\w+)\b"
    r"|\b(write|debug|fix|generate)\b.{0,40}\b(code|function|script|program|sql|regex|python|javascript)\b"
    r"|天气|下雨|降温|足球|篮球|比赛谁|比分|菜谱|怎么做才好吃|红烧|做菜|电影|歌曲|彩票|股票|基金涨|比特币|头疼|发烧|吃什么药|写.{0,8}代码|爬虫",
    re.IGNORECASE,
)
_ASKS_FOR_NUMBER = re.compile(
    r"\b(how (many|much)|what (share|percentage|proportion|rate|number)|how large)\b"
    r"|多少|几[个家名所项年]|比例|比率|百分之",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")
_NUMBER_IN_TEXT = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|half|third|quarter|dozens?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ScopePolicy:
    """Thresholds of the relevance floor, calibrated on the eval questions (see README, Retrieval)."""

    floor: float  # ASSISTANT_RELEVANCE_FLOOR
    min_dense: float = 0.80
    strong_dense: float = 0.86
    min_coverage: float = 0.35
    evidence_passages: int = 3


def screen_message(message: str) -> Decline | None:
    """Reasons to decline that need no retrieval."""
    if _INJECTION.search(message):
        return Decline.INJECTION
    if _OFF_TOPIC.search(message):
        return Decline.OFF_TOPIC
    return None


def relevance(retrieval: Retrieval, policy: ScopePolicy) -> float:
    """0..1 confidence that the passages answer the question, from dense similarity and term coverage."""
    best = retrieval.best
    if best is None:
        return 0.0
    evidence = retrieval.passages[: policy.evidence_passages]
    # The best single sentence says more than a whole chunk's vector: chunks mix several topics.
    dense = max(max(p.unit_scores, default=p.dense) for p in evidence)
    coverage = max(p.coverage for p in retrieval.passages[: policy.evidence_passages])
    dense_part = min(max((dense - policy.min_dense) / (policy.strong_dense - policy.min_dense), 0.0), 1.0)
    return round(0.6 * dense_part + 0.4 * min(coverage / max(policy.min_coverage, 1e-6), 1.0), 4)


def judge(retrieval: Retrieval, policy: ScopePolicy) -> Decline | None:
    """Decline when the passages cannot carry an answer: weak relevance, or a fact they do not contain."""
    if relevance(retrieval, policy) < policy.floor:
        return Decline.NOT_IN_KNOWLEDGE_BASE
    if retrieval.unknown_names:
        return Decline.NOT_IN_KNOWLEDGE_BASE  # it asks about someone or something the corpus never names
    # A passage's document title counts: the gold passage of "the 2017 opinions" need not repeat the year.
    evidence = " ".join(f"{p.chunk.title}\n{p.chunk.text}" for p in retrieval.passages[: policy.evidence_passages])
    years = set(m.group(0) for m in _YEAR.finditer(retrieval.query))
    if any(year not in evidence for year in years):
        return Decline.NOT_IN_KNOWLEDGE_BASE
    if _ASKS_FOR_NUMBER.search(retrieval.query) and not _NUMBER_IN_TEXT.search(evidence):
        return Decline.NOT_IN_KNOWLEDGE_BASE
    return None
