"""Query-intent weights on passages: what a question's wording says about which kind of section answers it."""

from __future__ import annotations

import re

from assistant.chunking import Chunk
from assistant.text import search_tokens

_ASKS_ABOUT_PAPER = re.compile(r"\b(paper|study|author|article|peng)\b|论文|文章|作者|本文|该文", re.IGNORECASE)
_ASKS_FOR_TERM = re.compile(
    r"\b(mean|meaning|means|definition|define|term|glossary|translat\w*|chinese|english|what (is|are) (an? )?)\b"
    r"|什么意思|含义|定义|术语|翻译|英文|中文|叫什么|什么是|是什么",
    re.IGNORECASE,
)
# Back matter (bibliography, funding note, acknowledgements) shares the paper's vocabulary without
# saying anything about its content: it answers only questions about sources or funding.
_BACK_MATTER = re.compile(
    r"^\s*(references?|bibliography|works cited|fund(ing)?( project| information)?|acknowledge?ments?)\s*$"
    r"|^\s*(参考文献|基金项目|致谢)\s*$",
    re.IGNORECASE,
)


def is_back_matter(chunk: Chunk) -> bool:
    """A bibliography, funding note or acknowledgements: about the paper's sources, not its content."""
    return bool(_BACK_MATTER.match(chunk.section_title))


_ASKS_FOR_BACK_MATTER = re.compile(
    r"\b(cites?|cited|citing|citations?|references?|referenced|bibliograph\w*|literature|sources?|"
    r"fund\w*|grants?|sponsor\w*|acknowledge?\w*)\b|参考文献|引用|引述|文献|出处|基金|资助|致谢",
    re.IGNORECASE,
)


# Analytical writing states problems in one part and remedies in another, under the same topic words, so
# the topic alone cannot tell "what is wrong with X" from "what should be done about X". The question's
# mood can, and the headings say which kind of section a passage is in.
_ASKS_WHAT_TO_DO = re.compile(
    r"\b(how (should|can|could|to|might)|what (should|can|could|measures?|steps?|ways?|kinds? of)"
    r"|propos\w*|recommend\w*|suggest\w*|prioriti[sz]\w*|decide|solutions?|remed\w*)\b"
    r"|(?<!效果|情况)(如何|怎样|怎么(?!样))|应该|应当|建议|措施|对策|路径|办法",
    re.IGNORECASE,
)
_ASKS_WHAT_IS_WRONG = re.compile(
    r"\b(problems?|wrong|difficult\w*|dilemmas?|challenges?|obstacles?|barriers?|shortcomings?|rarely"
    r"|fail\w*|lack\w*|weak\w*)\b|问题|困难|困境|难点|不足|短板|障碍",
    re.IGNORECASE,
)
_DIAGNOSTIC_SECTION = re.compile(
    r"\b(difficult\w*|dilemmas?|problems?|challenges?|obstacles?|shortcomings?)\b|困境|问题|困难|挑战",
    re.IGNORECASE,
)
_PRESCRIPTIVE_SECTION = re.compile(
    r"\b(paths?|measures?|strateg\w*|countermeasures?|suggestions?|recommendations?|construction)\b"
    r"|对策|措施|路径|建议",
    re.IGNORECASE,
)
PRESCRIPTION_PRIOR = 0.7  # weight of a problem section for a "what should be done" question, and vice versa


def _moodprior(query: str, chunk: Chunk) -> float:
    wants_remedy = bool(_ASKS_WHAT_TO_DO.search(query))
    wants_problem = bool(_ASKS_WHAT_IS_WRONG.search(query))
    if wants_remedy == wants_problem:
        return 1.0
    diagnostic = bool(_DIAGNOSTIC_SECTION.search(chunk.section_path))
    prescriptive = bool(_PRESCRIPTIVE_SECTION.search(chunk.section_path))
    if wants_remedy and diagnostic and not prescriptive:
        return PRESCRIPTION_PRIOR
    if wants_problem and prescriptive and not diagnostic:
        return PRESCRIPTION_PRIOR
    return 1.0


_NAME = re.compile(r"(?<![.?!]\s)(?<!^)\b[A-Z][a-z]{2,}\b")


def names(query: str) -> list[str]:
    """Capitalised words not at the start of a sentence: the names a question asks about."""
    return [m.group(0) for m in _NAME.finditer(query.strip()) if m.group(0).lower() not in _COMMON_CAPITALS]


_COMMON_CAPITALS = frozenset({"chinese", "china", "english", "what", "which", "how", "why", "who", "when", "where"})


def asks_for_back_matter(query: str) -> bool:
    """The question is about the paper's sources, funding or acknowledgements."""
    return bool(_ASKS_FOR_BACK_MATTER.search(query))


def prior(query: str, chunk: Chunk) -> float:
    """Query-intent weights: the glossary table matches every Chinese word, so it leads only when asked for."""
    weight = 1.0
    if chunk.doc_type == "paper" and _ASKS_ABOUT_PAPER.search(query):
        weight *= 1.5
    if chunk.doc_type == "glossary" and not _ASKS_FOR_TERM.search(query):
        weight *= 0.5
    if is_back_matter(chunk) and not asks_for_back_matter(query):
        weight *= 0.5
    return weight * _moodprior(query, chunk)


def weigh_everyday_words_as_their_synonyms(idf: dict[str, float], synonyms: list[tuple[str, list[str]]]) -> None:
    """An everyday word the corpus rarely uses ("company") is rare because the corpus says "enterprise":
    its rarity says nothing about relevance, so it weighs no more than the corpus word standing for it."""
    for word, corpus_words in synonyms:
        stand_ins = [idf[t] for w in corpus_words for t in search_tokens(w) if t in idf]
        for token in search_tokens(word):
            if token in idf and stand_ins:
                idf[token] = min(idf[token], min(stand_ins))
