"""From what a message means to what the offline router does: intents learned from examples, entities
found in the records' vocabulary, and the session's last list. No words of either language here.

The reading of the words and the entities are two kinds of evidence, and each corrects the other:
- a reading the entities contradict is ruled out ("giving details" with no name and no contact in it);
- entities only the records hold (a city, a record's id, an expert) outweigh an unsure reading: the
  knowledge base is national and provincial policy and one paper, and names no city's offers or experts;
- an unsure reading with none of those is settled by the knowledge base's own relevance judgement.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.tools.router import Entities, Intent
from assistant.understanding import Intents

#: Intents that search a family of records, and the family.
SEARCHES = {"search_offers": "offers", "search_platforms": "platforms", "list_slots": "slots"}
ACTIONS = {"book_slot": "book", "cancel_booking": "cancel", "my_bookings": "my_bookings"}
#: Readings a message naming an expert is taken for a wish to consult them rather than.
_NOT_ABOUT_AN_EXPERT = {"ask_knowledge", "search_offers", "search_platforms", "off_topic", "greet_or_help"}


def decide(
    intents: Intents,
    entities: Entities,
    has_previous_list: bool,
    knowledge_answers: Callable[[], bool] = lambda: True,
) -> Intent:
    """The router's intent; `none` sends the message to the knowledge answerer (which also declines).

    `knowledge_answers()` retrieves and judges relevance; it is asked only when the reading is unsure
    and nothing in the message points at the records.
    """
    if not (entities.name or entities.contact):
        intents = intents.without("give_details")
    if not (intents.sure and intents.top in ("confirm", "reject")):
        # A pending action was settled before routing: only a clear yes or no is one with nothing pending,
        # and "cancel it", half read as "no", is the cancellation it also reads as.
        intents = intents.without("confirm", "reject")
    top, runner_up = intents.top, intents.runner_up()
    asks_to_book = top == "book_slot" or (not intents.sure and runner_up == "book_slot")
    # Booking among the two best readings: a search for the slot it names books the one slot it finds
    # (the user still confirms), and shows the list otherwise.
    wants_booking = "book_slot" in (top, runner_up)

    names_a_slot_id = entities.record_id is not None and entities.record_family in ("slots", None)
    picks_from_the_list = has_previous_list and entities.ordinal is not None and wants_booking
    if (names_a_slot_id or picks_from_the_list) and (top == "give_details" or asks_to_book):
        # "book CS-0012 for Li Hua, 13912345678", "预约第一个，我叫王磊，电话…" read as booking and as giving
        # details, often more as the latter: the message names the slot to act on, so it is the booking
        # (the details taken along).
        return Intent("book", entities)
    if entities.record_family in ("offers", "platforms") and top not in ("cancel_booking", "my_bookings"):
        # "Is TO-0058 still open?", "PL-0047 怎么预约？": that record, with how to apply or book it (only
        # consultations are booked here).
        return Intent(entities.record_family, entities)
    if has_previous_list and _turns_the_list(intents, entities):
        return Intent("refine", entities)
    if entities.expert and _consults(intents, wants_booking, has_previous_list):
        return Intent("slots", entities, then_book=wants_booking)

    search = next((i for i in (top, runner_up) if i in SEARCHES), None)
    if search is not None and not intents.sure:
        # Asking to book is asking for the records whatever the documents say: they cannot book anything.
        family = _family(SEARCHES[search], entities)
        if _names_the_records(entities) or top == "book_slot" or not knowledge_answers():
            return Intent(family, entities, then_book=wants_booking and family == "slots")
        # Close between the documents and the records, and the documents answer: the answer, then the
        # records it may have meant.
        return Intent("none", entities, also=family if names_a_filter(entities) else None)
    if top in SEARCHES:
        return Intent(_family(SEARCHES[top], entities), entities)
    if top == "book_slot" and not (has_previous_list or entities.record_id) and _names_a_slot(entities):
        # "Book me with Prof. Xu next week": nothing listed to book yet, so find that expert's slots first.
        return Intent("slots", entities, then_book=True)
    if top in ACTIONS:
        return Intent(ACTIONS[top], entities)
    if top == "refine_results" and has_previous_list:
        return Intent("refine" if names_a_filter(entities) else "more", entities)
    if top in ("confirm", "reject"):
        return Intent("nothing_pending", entities)  # a pending action was settled before routing
    if top == "give_details":
        return Intent("details", entities)
    if top == "greet_or_help" and intents.sure and not _names_the_records(entities):
        # "hi", "你能帮我做什么？": what the assistant does, in the user's language, not a search of documents.
        return Intent("help", entities)
    vague = not intents.sure and top != "injection"
    if vague and names_a_filter(entities) and not knowledge_answers():
        # Read as nothing in particular, but naming what the records are filtered by ("海洋工程 学徒 扬州"):
        # the records are searched when the knowledge base has no answer, rather than declining.
        return Intent(_family("offers", entities), entities)
    return Intent("none", entities)


def _turns_the_list(intents: Intents, entities: Entities) -> bool:
    """ "那实习呢？", "only online ones in February": a filter and little else, after a list."""
    if not names_a_filter(entities):
        return False
    # A booking that picks nothing ("要线下的，2月份" half-read as booking) can only be narrowing the list.
    picks_nothing = intents.top == "book_slot" and entities.ordinal is None and entities.record_id is None
    return intents.top == "refine_results" or (
        not intents.sure and (intents.top not in ACTIONS or picks_nothing) and entities.query is None
    )


def _consults(intents: Intents, wants_booking: bool, has_previous_list: bool) -> bool:
    """Whether a message naming an expert is about consulting them: experts are only in the slots."""
    if intents.top == "book_slot" and has_previous_list:
        return False  # "book the second one with Prof. Xu": the list shown is what is booked from
    return wants_booking or intents.top in ("list_slots", "give_details") or intents.top in _NOT_ABOUT_AN_EXPERT


def _family(read: str, entities: Entities) -> str:
    """Between offers and platforms, the kind the message names wins over a close reading of the words:
    "研发平台" is a platform whoever the sentence sounds like. A consultation stays one whatever its topic
    ("an expert on patent licensing")."""
    if read == "slots":
        return read
    named = {
        family for family, kind in (("offers", entities.offer_kind), ("platforms", entities.platform_kind)) if kind
    }
    return named.pop() if len(named) == 1 and read not in named else read


def _names_the_records(entities: Entities) -> bool:
    """Entities only the records hold: a city, a record, an expert."""
    return bool(entities.regions or entities.record_id or entities.expert)


def _names_a_slot(entities: Entities) -> bool:
    return any((entities.expert, entities.field, entities.topic, entities.date_from, entities.mode))


def names_a_filter(entities: Entities) -> bool:
    return any(
        (
            entities.region,
            entities.field,
            entities.offer_kind,
            entities.platform_kind,
            entities.expert,
            entities.mode,
            entities.date_from,
            entities.date_to,
            entities.include_closed,
        )
    )
