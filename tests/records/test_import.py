import json
from pathlib import Path

import pytest

from assistant.records.importer import RecordsFileError, infer_kind, validate
from assistant.records.models import ConsultationSlot, TrainingOffer
from tests.conftest import RECORDS_DIR

OFFER_HEADER = "id,title,kind,enterprise,school,field,region,start_date,duration_months,places,status"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_sample_records_import_and_meet_the_counts(records):
    counts = {}
    for name in ("training_offers.csv", "platforms.csv", "consultation_slots.csv"):
        report = records.import_file(RECORDS_DIR / name)
        assert report.ok, report.errors[:3]
        counts[report.kind] = report.inserted
    assert counts["offers"] >= 150 and counts["platforms"] >= 60 and counts["slots"] >= 300


def test_a_bad_row_imports_nothing_and_every_problem_is_reported(records, tmp_path):
    path = _write(
        tmp_path,
        "training_offers.csv",
        "\n".join(
            [
                OFFER_HEADER + ",wage_cny_month,mentor",
                "T1,Welder apprenticeship,apprenticeship,Haixing,Nantong College,shipbuilding,Nantong,"
                "2027-03-01,18,10,open,5200,Mr Wu",
                "T2,Bad one,holiday,Haixing,Nantong College,shipbuilding,Nantong,2027-13-01,18,-3,open,,",
                "T1,Duplicate,internship,Haixing,Nantong College,shipbuilding,Nantong,2027-03-01,6,10,open,,",
            ]
        ),
    )
    report = records.import_file(path)
    assert not report.ok and report.inserted == 0
    problems = {(e.row, e.column) for e in report.errors}
    assert {(2, "kind"), (2, "start_date"), (2, "places"), (3, "id")} <= problems
    assert "duplicate id 'T1', also in row 1" in str(next(e for e in report.errors if e.row == 3))
    assert str(next(e for e in report.errors if e.column == "kind")).startswith(
        "row 2: `kind` is 'holiday': use one of 'apprenticeship', "
    )
    assert str(next(e for e in report.errors if e.column == "start_date")).endswith("write a date like 2027-09-01")
    assert str(next(e for e in report.errors if e.column == "places")) == "row 2: `places` is '-3': must be at least 0"
    with records.sessions() as session:
        assert session.query(TrainingOffer).count() == 0


def test_a_community_course_a_school_runs_alone_imports_without_an_enterprise(records, tmp_path):
    path = _write(
        tmp_path,
        "training_offers.csv",
        f"{OFFER_HEADER}\n"
        "C1,Smartphone basics for seniors,community_course,,Changzhou Open University,digital skills,Changzhou,"
        "2027-04-01,2,25,open\n",
    )
    report = records.import_file(path)
    assert report.ok and report.inserted == 1
    page = records.search_offers(query="smartphone basics", kind="community_course")
    assert [o.id for o in page.items] == ["C1"] and page.items[0].enterprise is None


@pytest.mark.parametrize("kind", ["apprenticeship", "internship", "order_class", "employee_training"])
def test_an_empty_enterprise_says_which_row_and_why(records, tmp_path, kind):
    filler = "T0,Filler,internship,Haixing,Nantong College,shipbuilding,Nantong,2027-03-01,6,10,open"
    empty = f"T1,Welding,{kind},,Nantong College,shipbuilding,Nantong,2027-03-01,6,10,open"
    report = records.import_file(_write(tmp_path, "training_offers.csv", f"{OFFER_HEADER}\n{filler}\n{empty}\n"))
    assert [str(e) for e in report.errors] == [
        "row 2: `enterprise` is empty: apprenticeships, order classes, internships and employee training name "
        "the enterprise that runs them; only a community course may be run by a school alone"
    ]
    assert report.inserted == 0


def test_upsert_by_id_keeps_extra_columns_as_attributes(records, tmp_path):
    row = (
        "T1,Welder apprenticeship,apprenticeship,Haixing,Nantong College,shipbuilding,Nantong,2027-03-01,18,"
        "{places},open,Mr Wu"
    )
    path = _write(tmp_path, "training_offers.csv", f"{OFFER_HEADER},mentor\n{row.format(places=10)}\n")
    assert records.import_file(path).inserted == 1
    path.write_text(f"{OFFER_HEADER},mentor\n{row.format(places=12)}\n", encoding="utf-8")
    report = records.import_file(path)
    assert (report.inserted, report.updated) == (0, 1)
    with records.sessions() as session:
        offer = session.get(TrainingOffer, "T1")
        assert offer.places == 12 and offer.attributes == {"mentor": "Mr Wu"}


def test_json_slots_file_with_an_outside_name_and_explicit_kind(records, tmp_path):
    path = _write(
        tmp_path,
        "experts-2027.json",
        json.dumps(
            {
                "records": [
                    {
                        "id": "X1",
                        "expert": "Dr. Outside",
                        "organisation": "Elsewhere Polytechnic",
                        "field": "logistics",
                        "topics": "cold-chain logistics training",
                        "start": "2027-02-01T10:00:00+08:00",
                        "duration_min": 45,
                        "mode": "online",
                        "status": "open",
                        "room": "none",
                    },
                ]
            }
        ),
    )
    with pytest.raises(RecordsFileError, match="--kind offers\\|platforms\\|slots"):
        infer_kind(path)
    report = records.import_file(path, kind="slots")
    assert report.ok and report.inserted == 1
    page = records.list_slots(query="cold chain logistics")
    assert [s.id for s in page.items] == ["X1"]
    with records.sessions() as session:
        assert session.get(ConsultationSlot, "X1").attributes == {"room": "none"}


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("training_offers.csv", "id,title\nT1,x\n", "missing required column(s) kind"),
        ("platforms.csv", "", "no rows"),
        ("consultation_slots.json", "{not json", "cannot read the file"),
    ],
)
def test_unreadable_files_say_why(tmp_path, name, text, problem):
    report, rows = validate(_write(tmp_path, name, text))
    assert not report.ok and rows == [] and problem in report.summary()


def test_slot_start_needs_an_offset(tmp_path):
    header = "id,expert,organisation,field,topics,start,duration_min,mode,status"
    path = _write(
        tmp_path, "consultation_slots.csv", f"{header}\nS1,Dr X,Org,logistics,t,2027-01-05T09:00:00,30,online,open\n"
    )
    report, _ = validate(path)
    assert [str(e) for e in report.errors] == [
        "row 1: `start` needs a UTC offset, e.g. 2027-01-05T09:30:00+08:00 (got '2027-01-05T09:00:00')"
    ]


def test_records_are_found_by_meaning(records):
    for name in ("training_offers.csv",):
        records.import_file(RECORDS_DIR / name)
    page = records.search_offers(query="ship welding", kind="apprenticeship")
    assert page.total >= 1
    top = page.items[0]
    assert "weld" in f"{top.title} {top.occupation}".lower()


def test_the_router_knows_imported_fields_and_regions_at_once(records, embedder, tmp_path):
    """The router's vocabulary is cached, but an import drops the copy: no 30 s window of blind routing.
    The field and the city here are in no names file: the records alone make them known."""
    import csv

    from assistant.lexicon import Lexicon
    from assistant.settings import Settings
    from assistant.tools.conversation import Conversation
    from assistant.understanding import Understander

    settings = Settings()
    understander = Understander(embedder, settings.understanding_dir / "intents.yaml", tmp_path)
    conversation = Conversation(records, Lexicon.build([], settings.lexicon_dir), understander)
    question = "Are there any training bases for aviation maintenance in Huzhou?"
    before = conversation.handle(question, "s-before", "en").turn
    assert before is not None and "field" not in before.tool_calls[0]["arguments"]
    assert "region" not in before.tool_calls[0]["arguments"]

    with (RECORDS_DIR / "platforms.csv").open(encoding="utf-8") as shipped:
        row = next(csv.DictReader(shipped))
    row.update(id="HZ-PL-01", field="aviation maintenance", region="Huzhou", kind="training_base")
    exported = tmp_path / "platforms.csv"
    with exported.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    assert records.import_file(exported).ok
    after = conversation.handle(question, "s-after", "en").turn
    arguments = after.tool_calls[0]["arguments"]
    assert arguments["field"] == "aviation maintenance" and arguments["region"] == "Huzhou"
    assert [item["id"] for item in after.tool_calls[0]["result"]["items"]] == ["HZ-PL-01"]
