"""Contacts masked wherever people's own words are shown to someone else or written to a log.

E-mail addresses by their shape; phone numbers by libphonenumber (mainland numbers without a country code,
international ones with it), so a date or a booking reference is not taken for a phone number.
"""

from __future__ import annotations

import logging
import re

import phonenumbers

from assistant.records.actions import mask_contact

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
DEFAULT_REGION = "CN"


def mask_contacts(text: str) -> str:
    """`text` with every e-mail address and phone number in it masked (`li***@example.cn`, `138****11`)."""
    text = EMAIL.sub(lambda m: mask_contact(m.group(0)), text)
    pieces, end = [], 0
    for match in phonenumbers.PhoneNumberMatcher(text, DEFAULT_REGION, leniency=phonenumbers.Leniency.VALID):
        pieces += [text[end : match.start], mask_contact(match.raw_string)]
        end = match.end
    return "".join(pieces) + text[end:] if pieces else text


_installed = False


def redact_logs() -> None:
    """Mask contacts in every log record from now on, whoever logs it (our code, uvicorn, libraries)."""
    global _installed
    if _installed:
        return
    _installed = True
    make_record = logging.getLogRecordFactory()

    def redacting(*args: object, **kwargs: object) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        message = record.getMessage()
        masked = mask_contacts(message)
        if masked != message:
            record.msg, record.args = masked, None
        return record

    logging.setLogRecordFactory(redacting)
