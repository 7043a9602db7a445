"""The name and contact a person gives for a booking: "Zhang Wei, 13912345678", "Name: Li Hua / Phone:
...", "我叫王磊，电话137...", "I'm Sun Li from Xinchuan Marine, sun.li@example.cn".

Phone numbers are found by `phonenumbers` (Chinese numbers by default, any number written with its
country code) and e-mail addresses checked by `email-validator`, without any network lookup. A Chinese
name is what jieba tags as a person's name; an English one is a run of capitalised words. Either is
taken after a phrase that introduces a name, or as the words standing next to the contact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import jieba.posseg
import phonenumbers
from email_validator import EmailNotValidError, validate_email

from assistant.redaction import EMAIL

DEFAULT_REGION = "CN"

# Phrases that introduce the speaker's name, and the labels a contact is given under. Grammar of the
# two languages, not names: whatever follows them is read, never matched against a list.
_NAME_CUES = re.compile(
    r"(?:\bmy name is|\bmy name's|\bi am|\bi'm|\bthis is|\bname\s*[:：]|\bname is|\bcall me|\bit's"
    r"|我叫|我是|姓名\s*[:：]?|名字\s*(?:是|[:：])?|联系人\s*[:：]?|本人)\s*",
    re.IGNORECASE,
)
_CONTACT_LABELS = re.compile(
    r"\b(?:my\s+)?(?:phone|mobile|cell|tel|telephone|number|contact|e-?mail|wechat)(?:\s+(?:number|no\.?|is))*\s*[:：]?"
    r"|联系电话|联系方式|电话|手机号?码?|邮箱|微信",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[,，;；:：/|()（）\[\]【】\n]|\s[-–—]\s|[.!?。！？](?:\s|$)")
# A trailing short number is part of what a person goes by in a team or a test ("Racer 3", "Group 12").
_ENGLISH_NAME = re.compile(r"[A-Z][a-z'’-]*(?:[-\s][A-Z][a-z'’-]*){0,3}(?:\s\d{1,3}(?![\d.:/-]|\s+\d))?")
# "book CS-0012 for Wang Fang, 139...": the name a booking is made out to, at the end of the clause.
_MADE_OUT_TO = re.compile(r"\b(?:for|under)\s+(" + _ENGLISH_NAME.pattern + r")\s*$")
_PERSON_TAGS = ("nr", "nrfg", "nrt")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Contact:
    """A contact found in a message: the text as typed, and where it stands."""

    value: str
    start: int
    end: int


def find_contact(message: str) -> Contact | None:
    """The first valid e-mail address or phone number in the message."""
    for match in EMAIL.finditer(message):
        try:
            validate_email(match.group(0), check_deliverability=False)
        except EmailNotValidError:
            continue
        return Contact(match.group(0), match.start(), match.end())
    for match in phonenumbers.PhoneNumberMatcher(message, DEFAULT_REGION):
        return Contact(match.raw_string.strip(), match.start, match.end)
    return None


def find_name(
    message: str, contact: Contact | None, not_names: frozenset[str] = frozenset()
) -> tuple[str, bool] | None:
    """The speaker's name and whether they introduced it ("I'm ...", "我叫..."), else the words standing
    beside the contact they give. `not_names` (the experts) are never taken from beside a contact, but a
    speaker who says "I am Wang Fang" is Wang Fang, whoever else is."""
    for cue in _NAME_CUES.finditer(message):
        name = _name_at(message[cue.end() :])
        if name:
            return name, True
    if contact is None:
        return None
    # "Zhang Wei, 13912345678" / "for me - Chen Lu, 135..." / "刘洋，136...": the clause next to the contact.
    before = _CONTACT_LABELS.sub(" ", message[: contact.start])
    after = _CONTACT_LABELS.sub(" ", message[contact.end :])
    before_clauses = [c for c in _CLAUSE_BREAK.split(before) if c.strip()]
    after_clauses = [c for c in _CLAUSE_BREAK.split(after) if c.strip()]
    for clause in ([before_clauses[-1]] if before_clauses else []) + after_clauses[:1]:
        name = _whole_name(clause.strip(), not_names)
        if name:
            return name, False
    return None


def _name_at(text: str) -> str | None:
    """A name at the start of `text` (what follows "I'm", "我叫")."""
    text = text.lstrip()
    if _CJK.match(text):
        first = next(iter(jieba.posseg.cut(text[:8])), None)
        if first is not None and first.flag in _PERSON_TAGS:
            return first.word
        return None
    match = _ENGLISH_NAME.match(text)
    if match is None:
        return None
    return match.group(0).strip(" .'’-") or None


def _whole_name(clause: str, not_names: frozenset[str]) -> str | None:
    """The clause, when all of it is a name (not "Please book CS-0041 for me")."""
    if _CJK.search(clause):
        words = [w for w in jieba.posseg.cut(clause) if w.word.strip()]
        return words[0].word if len(words) == 1 and words[0].flag in _PERSON_TAGS else None
    match = _ENGLISH_NAME.fullmatch(clause) or _MADE_OUT_TO.search(clause)
    if match is None:
        return None
    name = match.group(match.lastindex or 0).strip(" .'’-")
    return name if name.lower() not in not_names else None
