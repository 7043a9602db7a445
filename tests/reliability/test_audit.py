"""The dependency audit (deploy/audit.py) against a local server that answers like PyPI's JSON API."""

from __future__ import annotations

import datetime as dt
import json
import platform
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from deploy.audit import ACCEPTED_FILE, Distribution, load_acceptances, render, run_audit

TODAY = dt.date(2026, 11, 26)
PYTHON = platform.python_version()


def record(vuln_id: str, *aliases: str, fixed_in: tuple[str, ...] = (), withdrawn: str | None = None) -> dict:
    return {
        "id": vuln_id,
        "aliases": list(aliases),
        "details": f"details of {vuln_id}",
        "summary": None,
        "fixed_in": list(fixed_in),
        "link": f"https://osv.dev/vulnerability/{vuln_id}",
        "withdrawn": withdrawn,
    }


def project(newest: str, vulnerabilities: list[dict], releases: dict[str, str | None] | None = None) -> dict:
    """A project JSON: `releases` maps versions to the Requires-Python of their one file."""
    releases = releases or {newest: None}
    return {
        "info": {"version": newest},
        "releases": {v: [{"requires_python": rp, "yanked": False}] for v, rp in releases.items()},
        "vulnerabilities": vulnerabilities,
    }


class FakePyPI:
    """Serves `/<name>/json` and `/<name>/<version>/json` from dicts; everything else is a 404."""

    def __init__(self) -> None:
        self.projects: dict[str, dict] = {}
        self.releases: dict[tuple[str, str], dict] = {}
        self.failing: set[str] = set()
        pages = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = self.path.strip("/").split("/")
                if parts[0] in pages.failing:
                    self.send_error(503)
                    return
                body = None
                if len(parts) == 2 and parts[1] == "json":
                    body = pages.projects.get(parts[0])
                elif len(parts) == 3 and parts[2] == "json":
                    body = pages.releases.get((parts[0], parts[1]))
                if body is None:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"


@pytest.fixture
def pypi() -> Iterator[FakePyPI]:
    fake = FakePyPI()
    thread = threading.Thread(target=fake.server.serve_forever, daemon=True)
    thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def audit(pypi: FakePyPI, *dists: tuple[str, str], accepted: list | None = None):
    return run_audit(
        [Distribution(n, v) for n, v in dists], base_url=pypi.url, acceptances=accepted or [], today=TODAY, workers=4
    )


def test_a_release_json_with_an_advisory_fails_the_audit(pypi):
    pypi.releases[("leaky", "1.0")] = {"vulnerabilities": [record("GHSA-aaaa", "CVE-2026-1", fixed_in=("1.1",))]}
    result = audit(pypi, ("leaky", "1.0"))
    assert result.exit_code(strict=False) == 1
    [(report, advisory)] = result.unexplained
    assert report.how == "release JSON" and advisory.ids == {"GHSA-aaaa", "CVE-2026-1"}
    assert "| leaky | 1.0 | CVE-2026-1, GHSA-aaaa | 1.1 | **unexplained** |" in render(result, TODAY)


def test_the_newest_release_is_audited_from_the_project_json_when_the_release_json_is_missing(pypi):
    pypi.projects["fresh"] = project("2.0", [])
    pypi.projects["stale"] = project("2.0", [record("PYSEC-1")])
    result = audit(pypi, ("fresh", "2.0"), ("stale", "1.0"))
    by_name = {r.distribution.name: r for r in result.reports}
    assert by_name["fresh"].audited and by_name["fresh"].how == "newest release"
    # The newest release's advisories say nothing about an older one: not audited, and never "clean".
    assert not by_name["stale"].audited and "only the newest release, 2.0; 1.0 is installed" in by_name["stale"].how
    assert result.unexplained == [] and result.exit_code(strict=False) == 0 and result.exit_code(strict=True) == 1
    assert "- stale 1.0: PyPI's advisories here cover only the newest release" in render(result, TODAY)


def test_a_release_this_python_cannot_take_is_named_in_the_reason(pypi):
    pypi.projects["numeric"] = project("2.5", [], releases={"2.4": None, "2.5": ">=3.99", "2.6rc1": None})
    [report] = audit(pypi, ("numeric", "2.4")).reports
    assert not report.audited and report.how.endswith(f"(the newest for Python {PYTHON} is 2.4)")


def test_records_naming_each_other_are_one_advisory_and_withdrawn_ones_are_dropped(pypi):
    pypi.projects["dup"] = project(
        "1.0",
        [
            record("GHSA-x", "CVE-2026-2"),
            record("PYSEC-9", "CVE-2026-2", "GHSA-x", fixed_in=("1.2",)),
            record("GHSA-y", "CVE-2026-3"),
            record("GHSA-z", withdrawn="2026-10-01T00:00:00Z"),
        ],
    )
    result = audit(pypi, ("dup", "1.0"))
    assert sorted(sorted(a.ids) for _, a in result.unexplained) == [
        ["CVE-2026-2", "GHSA-x", "PYSEC-9"],
        ["CVE-2026-3", "GHSA-y"],
    ]
    assert {a.fixed_in for _, a in result.unexplained} == {("1.2",), ()}


def test_an_acceptance_by_any_alias_explains_an_advisory_until_its_date(pypi, tmp_path):
    pypi.projects["chromaish"] = project("1.5", [record("GHSA-c", "CVE-2026-4"), record("GHSA-d")])
    accepted = tmp_path / "accepted.yaml"
    accepted.write_text(
        "- {package: Chromaish, id: CVE-2026-4, reason: only the API reaches it, review_by: 2027-01-31}\n"
        "- {package: chromaish, id: GHSA-d, reason: fixed soon, review_by: 2026-11-01}\n"
        "- {package: gone, id: CVE-2020-1, reason: removed long ago, review_by: 2027-01-31}\n",
        encoding="utf-8",
    )
    result = audit(pypi, ("chromaish", "1.5"), accepted=load_acceptances(accepted))
    [(_, accepted_advisory, acceptance)] = result.accepted
    assert "CVE-2026-4" in accepted_advisory.ids and acceptance.reason == "only the API reaches it"
    # An acceptance past its date explains nothing and fails the audit by itself.
    assert [a.ids for _, a in result.unexplained] == [frozenset({"GHSA-d"})]
    assert [a.id for a in result.expired] == ["GHSA-d"] and [a.id for a in result.unused] == ["CVE-2020-1"]
    assert result.exit_code(strict=False) == 1
    report = render(result, TODAY)
    assert "accepted until 2027-01-31: only the API reaches it" in report
    assert "Acceptance of GHSA-d (chromaish) expired on 2026-11-01" in report
    assert "Acceptance of CVE-2020-1 (gone) matches nothing installed" in report


def test_a_package_pypi_does_not_know_or_cannot_answer_for_is_not_audited(pypi):
    pypi.failing.add("flaky")
    result = audit(pypi, ("private-thing", "0.1"), ("flaky", "1.0"))
    reasons = {r.distribution.name: r.how for r in result.reports}
    assert reasons["private-thing"] == "not on PyPI"
    assert reasons["flaky"].startswith("PyPI did not answer") and "503" in reasons["flaky"]
    assert result.exit_code(strict=False) == 0 and result.exit_code(strict=True) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- {package: a, id: X, reason: r}\n", "entry 1 lacks review_by"),
        ("- {package: a, id: X, reason: r, review_by: soon}\n", "review_by must be a date"),
    ],
)
def test_a_malformed_acceptance_file_is_refused_with_the_entry_named(tmp_path, text, message):
    path = tmp_path / "accepted.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_acceptances(path)


def test_the_shipped_acceptances_are_well_formed_and_name_their_evidence():
    acceptances = load_acceptances(ACCEPTED_FILE)
    assert acceptances and all(a.reason and a.review_by > dt.date(2026, 11, 26) for a in acceptances)
    # A reason that cites a test must cite one that exists.
    for acceptance in acceptances:
        for word in acceptance.reason.split():
            if word.startswith("tests/"):
                assert (Path(ACCEPTED_FILE).parents[1] / word.rstrip(";,.)")).exists(), word
