"""Audit the installed Python distributions for known vulnerabilities, from PyPI's JSON API alone.

pip-audit asks OSV or PyPI's per-release JSON (`/pypi/<name>/<version>/json`). Machines that reach only the
package registries (this project's build and CI hosts) get neither, and pip-audit then skips every package
while printing "No known vulnerabilities found". The per-project JSON (`/pypi/<name>/json`) is reachable
there, and it carries the advisories (OSV records) of the project's newest release. So a package is
audited when PyPI answers for its exact release, or when the installed release is the newest one; any
other package is reported as not audited, with the reason, never as clean.

A vulnerability that cannot be fixed yet is accepted in `deploy/accepted-vulnerabilities.yaml` with the
reason and a date by which to look again; the audit fails on any other vulnerability and on an
acceptance past its date.

    .venv/bin/python -m deploy.audit            # Markdown report; exit 1 on anything unexplained
    .venv/bin/python -m deploy.audit --strict   # ... and on any package it could not audit
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import sys
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

import httpx
import yaml
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

PYPI_JSON = "https://pypi.org/pypi"
ACCEPTED_FILE = Path(__file__).with_name("accepted-vulnerabilities.yaml")
PROJECT = "iei-assistant"  # our own distribution: installed from the checkout, not from PyPI


@dataclass(frozen=True)
class Distribution:
    name: str  # canonical (PEP 503) name
    version: str


@dataclass(frozen=True)
class Advisory:
    """One vulnerability, however many databases list it: GHSA, PYSEC and CVE ids are merged."""

    ids: frozenset[str]
    summary: str
    fixed_in: tuple[str, ...]
    link: str

    @property
    def label(self) -> str:
        return ", ".join(sorted(self.ids, key=lambda i: (not i.startswith("CVE"), i)))


@dataclass
class PackageReport:
    distribution: Distribution
    audited: bool
    how: str  # which PyPI answer covered it, or why none did
    advisories: list[Advisory] = field(default_factory=list)


@dataclass(frozen=True)
class Acceptance:
    package: str
    id: str
    reason: str
    review_by: dt.date


@dataclass
class AuditResult:
    reports: list[PackageReport]
    accepted: list[tuple[PackageReport, Advisory, Acceptance]]
    unexplained: list[tuple[PackageReport, Advisory]]
    expired: list[Acceptance]
    unused: list[Acceptance]

    @property
    def not_audited(self) -> list[PackageReport]:
        return [r for r in self.reports if not r.audited]

    def exit_code(self, strict: bool) -> int:
        failed = self.unexplained or self.expired or (strict and self.not_audited)
        return 1 if failed else 0


def installed_distributions(exclude: Iterable[str] = (PROJECT,)) -> list[Distribution]:
    """Every distribution of the running interpreter's environment, by canonical name."""
    skip = {canonicalize_name(n) for n in exclude}
    found = {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}
    return [Distribution(n, v) for n, v in sorted(found.items()) if n not in skip]


def merge_advisories(records: Sequence[dict[str, Any]]) -> list[Advisory]:
    """PyPI lists the same flaw once per database (a GHSA and a PYSEC record naming each other):
    records sharing any id or alias become one advisory. Withdrawn records are dropped."""
    groups: list[tuple[set[str], list[dict[str, Any]]]] = []
    for record in records:
        if record.get("withdrawn"):
            continue
        ids = {record["id"], *(record.get("aliases") or [])}
        joined = [group for group in groups if group[0] & ids]
        groups = [group for group in groups if not group[0] & ids]
        groups.append((ids.union(*(g[0] for g in joined)), [r for g in joined for r in g[1]] + [record]))
    return [
        Advisory(
            ids=frozenset(ids),
            summary=" ".join(str(members[0].get("summary") or members[0].get("details") or "").split()),
            fixed_in=tuple(sorted({v for r in members for v in (r.get("fixed_in") or [])})),
            link=str(members[0].get("link") or ""),
        )
        for ids, members in groups
    ]


def audit_distribution(client: httpx.Client, base_url: str, dist: Distribution) -> PackageReport:
    """Ask PyPI for the exact release first, then for the project (which speaks for its newest release)."""
    try:
        release = client.get(f"{base_url}/{dist.name}/{dist.version}/json")
        if release.status_code == 200:
            return PackageReport(
                dist, True, "release JSON", merge_advisories(release.json().get("vulnerabilities") or [])
            )
        project = client.get(f"{base_url}/{dist.name}/json")
        if project.status_code == 404:
            return PackageReport(dist, False, "not on PyPI")
        project.raise_for_status()
        body = project.json()
    except (httpx.HTTPError, ValueError) as exc:
        return PackageReport(dist, False, f"PyPI did not answer: {exc}")
    newest = str(body.get("info", {}).get("version", ""))
    if not _same_version(newest, dist.version):
        why = f"PyPI's advisories here cover only the newest release, {newest}; {dist.version} is installed"
        if (ours := newest_for_this_python(body.get("releases") or {})) not in (None, newest):
            why += f" (the newest for Python {platform.python_version()} is {ours})"
        return PackageReport(dist, False, why)
    return PackageReport(dist, True, "newest release", merge_advisories(body.get("vulnerabilities") or []))


def _same_version(a: str, b: str) -> bool:
    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return a == b


def newest_for_this_python(releases: dict[str, list[dict[str, Any]]]) -> str | None:
    """The newest final release with a file this interpreter may install (its Requires-Python admits it),
    so the report can tell an upgrade that was missed from one this Python cannot take."""
    python = platform.python_version()
    candidates = []
    for number, files in releases.items():
        try:
            version = Version(number)
        except InvalidVersion:
            continue
        if version.is_prerelease or not files:
            continue
        if any(not f.get("yanked") and _admits(f.get("requires_python"), python) for f in files):
            candidates.append(version)
    return str(max(candidates)) if candidates else None


def _admits(requires_python: str | None, python: str) -> bool:
    try:
        return python in SpecifierSet(requires_python or "")
    except InvalidSpecifier:  # some old uploads carry free text here
        return False


def load_acceptances(path: Path) -> list[Acceptance]:
    """The accepted vulnerabilities file: a list of {package, id, reason, review_by}."""
    if not path.exists():
        return []
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    acceptances = []
    for number, entry in enumerate(entries, start=1):
        missing = {"package", "id", "reason", "review_by"} - set(entry)
        if missing:
            raise ValueError(f"{path}: entry {number} lacks {', '.join(sorted(missing))}")
        review_by = entry["review_by"]
        if not isinstance(review_by, dt.date):
            raise ValueError(f"{path}: entry {number}: review_by must be a date such as 2027-03-01")
        acceptances.append(
            Acceptance(
                canonicalize_name(entry["package"]), str(entry["id"]), " ".join(entry["reason"].split()), review_by
            )
        )
    return acceptances


def judge(reports: list[PackageReport], acceptances: list[Acceptance], today: dt.date) -> AuditResult:
    """Sort every advisory into accepted (with a current acceptance) or unexplained."""
    result = AuditResult(reports, [], [], [acc for acc in acceptances if acc.review_by < today], [])
    used: set[Acceptance] = set()
    for report in reports:
        for advisory in report.advisories:
            match = next(
                (a for a in acceptances if a.package == report.distribution.name and a.id in advisory.ids), None
            )
            if match is None or match.review_by < today:
                result.unexplained.append((report, advisory))
            else:
                result.accepted.append((report, advisory, match))
            if match is not None:
                used.add(match)
    result.unused = [acc for acc in acceptances if acc not in used]
    return result


def run_audit(
    distributions: Sequence[Distribution],
    *,
    base_url: str = PYPI_JSON,
    acceptances: list[Acceptance],
    today: dt.date,
    timeout: float = 20.0,
    workers: int = 16,
) -> AuditResult:
    transport = httpx.HTTPTransport(retries=2)
    with (
        httpx.Client(timeout=timeout, transport=transport, follow_redirects=True) as client,
        ThreadPoolExecutor(max_workers=workers) as pool,
    ):
        reports = list(pool.map(partial(audit_distribution, client, base_url), distributions))
    return judge(reports, acceptances, today)


def render(result: AuditResult, today: dt.date) -> str:
    """The Markdown report: counts, then every advisory (accepted or not), then what was not audited."""
    audited = [r for r in result.reports if r.audited]
    lines = [
        f"# Dependency audit, {today.isoformat()}",
        "",
        f"{len(result.reports)} distributions: {len(audited)} audited "
        f"({sum(r.how == 'release JSON' for r in audited)} by their release's JSON, "
        f"{sum(r.how == 'newest release' for r in audited)} as their project's newest release), "
        f"{len(result.not_audited)} not audited. "
        f"{len(result.unexplained)} unexplained vulnerabilities, {len(result.accepted)} accepted.",
        "",
    ]
    if result.unexplained or result.accepted:
        lines += ["| package | installed | vulnerability | fixed in | status |", "|---|---|---|---|---|"]
        for report, advisory in result.unexplained:
            lines.append(_row(report, advisory, "**unexplained**"))
        for report, advisory, acceptance in result.accepted:
            lines.append(_row(report, advisory, f"accepted until {acceptance.review_by}: {acceptance.reason}"))
        lines.append("")
    for acceptance in result.expired:
        lines.append(f"- Acceptance of {acceptance.id} ({acceptance.package}) expired on {acceptance.review_by}.")
    for acceptance in result.unused:
        lines.append(f"- Acceptance of {acceptance.id} ({acceptance.package}) matches nothing installed: remove it.")
    if result.not_audited:
        lines += ["", "Not audited:", ""]
        lines += [f"- {r.distribution.name} {r.distribution.version}: {r.how}" for r in result.not_audited]
    return "\n".join(lines) + "\n"


def _row(report: PackageReport, advisory: Advisory, status: str) -> str:
    fixed = ", ".join(advisory.fixed_in) or "no fixed release"
    dist = report.distribution
    return f"| {dist.name} | {dist.version} | {advisory.label} | {fixed} | {status} |"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.audit", description=__doc__.split("\n\n")[0])
    parser.add_argument("--strict", action="store_true", help="fail when a package could not be audited")
    parser.add_argument("--accepted", type=Path, default=ACCEPTED_FILE, help="accepted vulnerabilities (YAML)")
    parser.add_argument("--index-url", default=PYPI_JSON, help="PyPI's JSON API root (default %(default)s)")
    args = parser.parse_args(argv)
    today = dt.date.today()
    try:
        acceptances = load_acceptances(args.accepted)
    except (ValueError, yaml.YAMLError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    result = run_audit(installed_distributions(), base_url=args.index_url, acceptances=acceptances, today=today)
    sys.stdout.write(render(result, today))
    return result.exit_code(args.strict)


if __name__ == "__main__":
    sys.exit(main())
