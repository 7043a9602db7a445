"""The school and the enterprise a message names, told apart by how such names are built.

A name is found by its shape, not by a label or a list: in English, a run of capitalised words (with "of",
"and", "&" inside, "Co., Ltd." at the end) that ends like a school or a firm ("Suzhou Industrial Park
Institute of Vocational Technology", "Nanjing Haiyun Shipping Co., Ltd."); in Chinese, characters up to
学院/学校/大学/公司/集团/厂, starting at the first word jieba does not tag as a verb, pronoun or preposition
("准备接收常州信息职业技术学院" is 常州信息职业技术学院). So "Party A: ...", "甲方：...", "Company - ...",
"我司（...）" and a name in passing all give the same parties.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Iterator

import jieba
import jieba.posseg

from assistant.cedict import is_pinyin

jieba.setLogLevel(logging.WARNING)

# How the names of schools and of firms end, in both languages: enough to tell the two parties apart.
SCHOOL_END_EN = r"(?:College|Polytechnic|University|Institute|School|Academy)"
FIRM_END_EN = r"(?:Co\.,?\s*Ltd\.?|Co\.|Co\b|Company|Ltd\.?|Group|Corporation|Corp\.|Inc\.|Works|Shipyard|Factory)"
_SCHOOL_END_ZH = ("学院", "学校", "大学")
_FIRM_END_ZH = ("公司", "集团", "厂")

_WORD_EN = r"[A-Z][\w'’.-]*"
_CAPITALISED = rf"(?:{_WORD_EN}|\([A-Z][\w '’-]*\))"  # "(Huai'an)" is part of a firm's name
# A name: capitalised words on one line, joined by spaces or by "of", "and", "&", "for", "the" (never by
# punctuation, so "Party A: X" and "School - X" keep the label out), with "Co., Ltd." kept whole. It starts
# with a word, not a bracket: "us (Tianshan Wind Power) and X College" is a name in brackets, then another.
_RUN_EN = re.compile(
    rf"{_WORD_EN}(?:[ \t]+(?:(?:of|and|&|for|the|de)[ \t]+)*{_CAPITALISED}|,[ \t]*Ltd\.?)*",
)
# "... Co., Ltd. We want": a word of two small letters and a full stop ends a sentence ("Co." and "Dr." do not).
_SENTENCE_END = re.compile(r"(?<=[a-z]{2}\.)[ \t]+(?=[A-Z])")
_ABBREVIATED = re.compile(r"\b(?:Co|Ltd|Corp|Inc)\.$")
_ENDS_AS_SCHOOL = re.compile(rf"\b{SCHOOL_END_EN}(?:[ \t]+(?:of|for)[ \t]+.+)?$")
_ENDS_AS_FIRM = re.compile(rf"{FIRM_END_EN}\s*$")
# Words that start a sentence or a clause in front of a name ("From Nanjing ...", "We're Hangzhou ...").
_LEADING_WORDS = re.compile(
    r"^(?:(?:the|our|my|your|their|we|we're|we’re|i|i'm|i’m|from|with|at|to|by|for|and|of|in|on|between"
    r"|both|this|that|dear|hi|hello|please|pls)\s+)+",
    re.IGNORECASE,
)
_JOINS = re.compile(r"\s+(?:and|&)\s+")

_ORG_ZH = re.compile(r"[\u4e00-\u9fff（）()·]{2,40}?(?:学院|学校|大学|公司|集团|厂)")
# Words in front of a name that jieba may tag as nouns ("拟委托", "我司", "我们"), or as verbs that a name may
# also contain: "去" (students go to a firm) and "到". Matched as whole words, so the 为 of 华为 is no "为".
_ZH_BEFORE_NAME = frozenset(
    {
        "想",
        "要",
        "和",
        "与",
        "同",
        "跟",
        "给",
        "向",
        "把",
        "让",
        "在",
        "委托",
        "请",
        "由",
        "接收",
        "我司",
        "我校",
        "我们",
        "我方",
        "是",
        "为",
        "去",
        "到",
    }
)
# Labels in front of a name written without a colon ("学校南通滨江航运技师学院").
# A letter's salutation in front of the addressee's name ("尊敬的X学院领导") is no part of it either.
_ZH_LABELS = re.compile(r"^(?:学校|院校|企业|公司|甲方|乙方|委托方|受托方|许可方|被许可方|尊敬的|敬爱的|亲爱的|致)+")
# "贵公司" (your company), "本公司" (this company): no name.
# A legal form alone ("有限公司") is no name either; 贵州 (Guizhou) is a name, 贵校 is not.
_ZH_NOT_A_NAME = re.compile(
    r"^(?:一家|一个|一所|某|这家|那家|这所|该|企业|学校|公司|(?:贵|本)(?:公司|校|司|单位|方|院)"
    r"|(?:有限|股份|责任|分)*(?:公司|集团|厂)$)"
)
# jieba's tags of the words in front of a name: verbs, pronouns, prepositions, adverbs, times, numerals ...
LEADING_FLAGS = {"v", "r", "p", "d", "c", "x", "m", "q", "u", "uj", "ul", "f", "y", "e", "vn", "t"}


def parties(message: str) -> tuple[str | None, str | None]:
    """The first school and the first enterprise the message names (either may be None)."""
    school = enterprise = None
    for name in organisations(message):
        if is_firm(name):
            enterprise = enterprise or name
        elif is_firm(name) is False:
            school = school or name
    if enterprise is None:
        enterprise = (_firm_by_its_place(message, school) if school is not None else None) or _firm_by_its_place_zh(
            message, school
        )
    return school, enterprise


def organisations(message: str) -> Iterator[str]:
    """Every school or firm name in the message, in order."""
    found: list[tuple[int, str]] = []
    for run in _RUN_EN.finditer(message):
        for sentence in _SENTENCE_END.split(run.group(0)):
            # "... Shipping College." ends a sentence; "Co." and "Ltd." keep their stops.
            sentence = sentence if _ABBREVIATED.search(sentence) else sentence.rstrip(".")
            sentence = sentence.removesuffix("'s").removesuffix("’s")  # "X Institute's patented design"
            for part in _split_pair(_LEADING_WORDS.sub("", sentence).strip()):
                # "Company: ..." is a label: a name has a word before its end word.
                if is_firm(part) is not None and " " in part:
                    found.append((run.start(), part))
    follows = -1  # where the last Chinese firm's name ended
    for candidate in _ORG_ZH.finditer(message):
        if candidate.start() == follows and is_firm(candidate.group(0)):
            # "东方电气集团东方汽轮机有限公司", "上汽大众汽车有限公司南京分公司": a group's company, a company's
            # branch, one party named whole.
            start, name = found[-1]
            found[-1] = (start, name + candidate.group(0))
            follows = candidate.end()
            continue
        # Right after a label's colon, a table's bar or a line's start, the name is all there is: jieba would
        # tag the first character of "启东海工职业技术学院" as a verb.
        before = message[: candidate.start()].rstrip(" \t")
        labelled = not before or before[-1] in ":：|\n•*-·"
        name = chinese_name(candidate.group(0), strip_words=not labelled)
        if name is not None:
            found.append((candidate.start(), name))
            follows = candidate.end() if is_firm(name) else -1
    yield from (name for _, name in sorted(found, key=lambda pair: pair[0]))


def is_firm(name: str) -> bool | None:
    """True for a firm's name, False for a school's, None for neither."""
    if _ENDS_AS_FIRM.search(name) or name.endswith(_FIRM_END_ZH):
        return True
    if _ENDS_AS_SCHOOL.search(name) or name.endswith(_SCHOOL_END_ZH):
        return False
    return None


def _split_pair(run: str) -> list[str]:
    """ "Jiangsu Maritime Institute and Nanjing Haiyun Shipping Co., Ltd." is two names; "Jiangsu Food and
    Pharmaceutical Science College" and "Suzhou Institute of Trade and Commerce" are one. Split where both
    sides are names, preferring a left side that ends on its own end word, else the longest school name."""
    if is_firm(run) is None:
        # "Jiangsu Maritime Institute and COSCO Shipping Heavy Industry": the side that ends like a name is
        # one (the other, a firm named without "Co., Ltd.", is no name this shape can tell).
        join = _JOINS.search(run)
        sides = (run[: join.start()], run[join.end() :]) if join else ()
        return [side for side in sides if is_firm(side) is not None] or [run]
    splits = [
        (run[: join.start()], run[join.end() :])
        for join in _JOINS.finditer(run)
        if is_firm(run[: join.start()]) is not None and is_firm(run[join.end() :]) is not None
    ]
    if not splits:
        return [run]
    plain = [s for s in splits if re.search(rf"(?:{SCHOOL_END_EN}|{FIRM_END_EN})\s*$", s[0])]
    left, right = plain[0] if plain else splits[-1]
    return [left, *_split_pair(right)]


def drop_leading_words(text: str, flags: Collection[str]) -> str:
    """`text` without the words in front that jieba tags with one of `flags` (its last word always stays)."""
    words = list(jieba.posseg.cut(text))
    while len(words) > 1 and words[0].flag in flags:
        words = words[1:]
    return "".join(w.word for w in words)


def chinese_name(candidate: str, strip_words: bool = True) -> str | None:
    """The school's or firm's name a stretch of Chinese ending like one holds ("我校淮安X职业技术学院" is
    淮安X职业技术学院), or None."""
    # "我司（盐城东方新能源科技有限公司": the name is inside the bracket that opens in front of it.
    opened = max(candidate.rfind("（"), candidate.rfind("("))
    if opened > max(candidate.rfind("）"), candidate.rfind(")")):
        candidate = candidate[opened + 1 :]
    after = _after_words_before_a_name(candidate)
    # "以下是我们发给学校的函" at a line's start is a sentence, not a bare name: its words go too.
    strip_words = strip_words or after != candidate
    candidate = _ZH_LABELS.sub("", after.lstrip("（("))
    name = drop_leading_words(candidate, LEADING_FLAGS) if strip_words else candidate
    if len(name) < 4 or _ZH_NOT_A_NAME.match(name) or is_firm(name) is None:
        return None
    return name


def _after_words_before_a_name(candidate: str) -> str:
    """ "安排学生去上汽大众汽车有限公司" is 上汽大众汽车有限公司: what follows the last word that stands before
    a name."""
    words = jieba.lcut(candidate)
    last = max((i for i, word in enumerate(words[:-1]) if word in _ZH_BEFORE_NAME), default=-1)
    return "".join(words[last + 1 :])


# Where the other party of a school stands in a sentence: "the HR manager at X", "this is Li from X", "our
# college and X want", "Hi, X is interested", "X here" - a name in Latin letters that does not end like a
# school or a firm ("Fujian Minjiang Shipyard Services", "Sanya Bluereef Aquaculture").
# "us (X)": a name in brackets after the party it names.
_PARTY_BEFORE = re.compile(r"(?:\b(?:at|from|with|and|by)|^|[.!?,;:(]|\b(?:hi|hello|dear))\s*$", re.IGNORECASE)
_PARTY_AFTER = re.compile(
    r"^(?:'s\b|\s+(?:here|and|is|are|was|wants?|would|will|has|have|plans?|needs?|agreed|hopes?)\b|\s*[,.;:!?)]|\s*$)",
    re.IGNORECASE,
)
# Runs that name something else: a base, a programme, a document, a person (two words, "Lin Jie").
_NOT_A_PARTY = re.compile(
    r"\b(?:Centre|Center|Base|Lab|Laboratory|Workshop|Hub|Programme|Program|Major|Agreement|Contract|Class)$"
)
# A name of two words is a person's when both are pinyin ("Zhou Min"), a firm's when one is English
# ("Qilu Dairy"); from three words on, the places it stands in are telling enough.
_PARTY_WORDS = 3
_SHORTEST_PARTY = 2


def _firm_by_its_place(message: str, school: str) -> str | None:
    """The firm a message names without a legal form, found by where it stands (see `_PARTY_BEFORE`)."""
    for start, end in _name_spans(message):
        name = message[start:end].removesuffix("'s").rstrip(".")
        lead = _LEADING_WORDS.match(name)
        if lead:
            start, name = start + lead.end(), name[lead.end() :]
        words = name.split()
        if (
            (len(words) >= _PARTY_WORDS or (len(words) == _SHORTEST_PARTY and not all(map(is_pinyin, words))))
            and name not in school
            and school not in name
            and is_firm(name) is None
            and not _NOT_A_PARTY.search(name)
            and _PARTY_BEFORE.search(message[:start])
            and _PARTY_AFTER.match(message[start + len(name) :])
        ):
            return name
    return None


def _name_spans(message: str) -> Iterator[tuple[int, int]]:
    """Where runs of capitalised words stand, cut at sentence ends and at "and"/"&" between names."""
    for run in _RUN_EN.finditer(message):
        cuts = [run.start()]
        for mark in (*_SENTENCE_END.finditer(run.group(0)), *_JOINS.finditer(run.group(0))):
            cuts.extend((run.start() + mark.start(), run.start() + mark.end()))
        cuts.append(run.end())
        cuts.sort()
        yield from ((a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if b > a)


# Where a firm named without 公司 or 集团 stands in Chinese: beside the school or "us" ("我们学校跟杏源酒业搞",
# "X学院和蓝天通航计划"), opening a clause in which it wants something ("海岳物流想从我们……挑"), as the speaker's
# employer ("我是鲁中重工人力资源部的"), or where students go ("去滇南咖啡庄园的岗位上").
_ZH_NAME = r"([\u4e00-\u9fff]{2,12}?)"
_ZH_FIRM_PLACES = (
    re.compile(
        rf"(?:学院|学校|大学|我们|我校|我院|我方|本校)[)）]?(?:准备|计划|打算|要|想|将|会)?(?:和|与|跟|同){_ZH_NAME}"
        r"(?=一起|共同|合作|联合|搞|签|商量|商定|计划|准备|打算|共建|合办|谈|达成|要|想|将|已|在|的|，|,|。)"
    ),
    re.compile(
        rf"(?:^|[，,。；;！!？?\s：:])(?:我是|我们是|这里是)?{_ZH_NAME}(?=想|希望|打算|准备|计划|愿意|同意|提出|要)"
    ),
    re.compile(rf"(?:我是|我们是|这里是){_ZH_NAME}(?=的|人力资源|人事|技术|HR|hr)"),
    re.compile(rf"(?:去|到){_ZH_NAME}(?=的|实习|上班|工作|顶岗)"),
)
# jieba's tags of the words a name may be made of, and of those that make it a name: a place, an organisation,
# an abbreviation, a word of its own (see `_RARE`).
_NAME_FLAGS = {"n", "nr", "ns", "nt", "nz", "nrt", "nrfg", "j", "vn", "an", "eng", "l"}
_PROPER_FLAGS = {"ns", "nt", "nz", "nrt", "nrfg", "j"}
# Times in jieba's dictionary of 60 million words: fewer, and the word is no everyday one ("精塑", "窑火").
_RARE = 100


def _firm_by_its_place_zh(message: str, school: str | None) -> str | None:
    """The firm a Chinese message names without a legal form, found by where it stands (`_ZH_FIRM_PLACES`)."""
    for place in _ZH_FIRM_PLACES:
        for match in place.finditer(message):
            name = drop_leading_words(match.group(1), LEADING_FLAGS)
            if school is not None and (name in school or school in name):
                continue
            if _looks_like_a_firm(name):
                return name
    return None


def _looks_like_a_firm(name: str) -> bool:
    """Nouns only, one of them a proper one or a rare word, and not one person's name ("张伟", "老师傅")."""
    words = list(jieba.posseg.cut(name))
    if len(name) < 2 or is_firm(name) is False or not all(w.flag in _NAME_FLAGS for w in words):
        return False
    if len(words) == 1 and words[0].flag not in _PROPER_FLAGS - {"nrt", "nrfg"}:
        return False
    return any(w.flag in _PROPER_FLAGS or (jieba.get_FREQ(w.word) or 0) < _RARE for w in words)
