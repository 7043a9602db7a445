import csv
import io
from datetime import datetime, timedelta, timezone

from assistant.records.demo import shifted_slots_csv
from tests.conftest import RECORDS_DIR, invoke_cli

CST = timezone(timedelta(hours=8))


def test_demo_slots_are_moved_by_whole_weeks_into_the_future():
    now = datetime(2031, 6, 18, 12, 0, tzinfo=CST)
    original = list(csv.DictReader((RECORDS_DIR / "consultation_slots.csv").open(encoding="utf-8")))
    shifted = list(csv.DictReader(io.StringIO(shifted_slots_csv(RECORDS_DIR / "consultation_slots.csv", now))))
    assert min(datetime.fromisoformat(r["start"]) for r in shifted) > now
    for before, after in zip(original, shifted, strict=True):
        old, new = datetime.fromisoformat(before["start"]), datetime.fromisoformat(after["start"])
        assert (new - old).days % 7 == 0 and new.time() == old.time() and new.utcoffset() == old.utcoffset()


def test_records_import_command_reports_rows_and_exit_codes(tmp_path):
    path = tmp_path / "platforms.csv"
    path.write_text("id,name,kind,host,field,services,region,status\nP1,Base,spaceport,H,f,s,Wuxi,open\n")
    result = invoke_cli(["records", "import", str(path)], tmp_path / "data")
    assert result.exit_code == 1
    assert "row 1: `kind` is 'spaceport': use one of" in result.output and "nothing imported" in result.output
    path.write_text("id,name,kind,host,field,services,region,status\nP1,Base,lab,H,logistics,testing,Wuxi,open\n")
    result = invoke_cli(["records", "import", str(path)], tmp_path / "data")
    assert result.exit_code == 0 and "1 new" in result.output
