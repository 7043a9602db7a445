"""From what a message means to what the offline router does: intents learned from examples, entities
found in the records' vocabulary, and the session's last list. No words of either language here."""

from __future__ import annotations

from collections.abc import Callable

from assistant.tools.router import Entities, Intent
from assistant.understanding import Intents

#: Intents that search a family of records, and the family.
SEARCHES = {"search_offers": "offers", "search_platforms": "platforms", "list_slots": "slots"}
ACTIONS = {"book_slot": "book", "cancel_booking": "cancel", "my_bookings": "my_bookings"}


def decide(
    intents: Intents,
    entities: Entities,
    has_previous_list: bool,
    knowledge_answers: Callable[[], bool] = lambda: True,
) -> Intent:
    """The router's intent; `none` sends the message to the knowledge answerer (which also declines).

    An unsure reading between a search and anything else ("what does the paper say about shared
    platforms?") is settled by the knowledge base: `knowledge_answers()` retrieves and judges relevance,
    and the search runs only when the knowledge base has no answer.
    """
    top = intents.top
    if entities.record_id and (top == "give_details" or (not intents.sure and intents.runner_up() == "book_slot")):
        # "book CS-0012 for Li Hua, 13912345678" reads as booking and as giving details, often more as the
        # latter: the message names the record to act on, so it is the booking (taking the details along).
        return Intent("book", entities)
    search = next((i for i in (top, intents.runner_up()) if i in SEARCHES), None)
    if search is not None and not intents.sure:
        if knowledge_answers():
            return Intent("none", entities)
        return Intent(_family(SEARCHES[search], entities), entities)
    if top in SEARCHES:
        return Intent(_family(SEARCHES[top], entities), entities)
    if top == "book_slot" and not (has_previous_list or entities.record_id) and _names_a_slot(entities):
        # "Book me with Prof. Xu next week": nothing listed to book yet, so find that expert's slots first.
        return Intent("slots", entities)
    if top in ACTIONS:
        return Intent(ACTIONS[top], entities)
    if top == "refine_results" and has_previous_list:
        return Intent("refine" if _names_a_filter(entities) else "more", entities)
    if top in ("confirm", "reject"):
        return Intent("nothing_pending", entities)  # a pending action was settled before routing
    if top == "give_details" and (entities.name or entities.contact):
        return Intent("details", entities)
    return Intent("none", entities)


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


def _names_a_slot(entities: Entities) -> bool:
    return any((entities.expert, entities.field, entities.topic, entities.date_from, entities.mode))


def _names_a_filter(entities: Entities) -> bool:
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
        )
    )
