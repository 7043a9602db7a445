"""Free text over the records: words the records are about find them; words they are not about find nothing,
unless other filters chose the rows."""

from pathlib import Path

import pytest

from assistant.records import RecordsService

DEMO = Path(__file__).resolve().parents[2] / "knowledge_base" / "records"


@pytest.fixture
def demo(records: RecordsService) -> RecordsService:
    for name in ("training_offers.csv", "consultation_slots.csv"):
        assert records.import_file(DEMO / name).ok
    return records


@pytest.mark.parametrize(
    "unrelated",
    [
        "renewing a passport at the consulate",
        "dermatologist appointment next week",
    ],
)
def test_words_no_record_is_about_match_nothing_alone(demo, unrelated):
    assert demo.list_slots(query=unrelated).total == 0
    assert demo.search_offers(query=unrelated).total == 0


def test_words_that_match_nothing_do_not_undo_the_other_filters(demo):
    apprenticeships = demo.search_offers(kind="apprenticeship").total
    assert demo.search_offers(kind="apprenticeship", query="renewing a passport").total == apprenticeships


def test_words_the_records_are_about_still_find_them(demo):
    page = demo.list_slots(query="patent licensing")
    assert 0 < page.total < 60
    assert all("patent" in f"{s.field} {s.topics}".lower() for s in page.items)
