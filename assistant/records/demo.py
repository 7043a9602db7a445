"""The demo records shipped in knowledge_base/records/, loaded so that every demo slot lies in the future."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from pathlib import Path

from assistant.records.importer import ImportReport
from assistant.records.service import RecordsService

DEMO_FILES = ("training_offers.csv", "platforms.csv", "consultation_slots.csv")


def shifted_slots_csv(source: Path, now: datetime) -> str:
    """The slots file with every start moved by whole weeks so the earliest is after `now`.

    Whole weeks keep weekdays and times of day, so the demo calendar still looks like a working week.
    """
    rows = list(csv.DictReader(io.StringIO(source.read_text(encoding="utf-8"))))
    earliest = min(datetime.fromisoformat(r["start"]) for r in rows)
    weeks = 0
    while earliest + timedelta(weeks=weeks) <= now:
        weeks += 1
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        row["start"] = (datetime.fromisoformat(row["start"]) + timedelta(weeks=weeks)).isoformat()
        writer.writerow(row)
    return buffer.getvalue()


def load_demo(records: RecordsService, folder: Path, scratch: Path) -> list[ImportReport]:
    reports = [records.import_file(folder / name) for name in DEMO_FILES[:2]]
    scratch.mkdir(parents=True, exist_ok=True)
    slots = scratch / "consultation_slots.csv"
    slots.write_text(shifted_slots_csv(folder / DEMO_FILES[2], records.clock()), encoding="utf-8")
    reports.append(records.import_file(slots))
    return reports
