"""Machine-readable outputs of a run, and the entry point that writes all outputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from evals.runner import SuiteResult, case_record


def write_outputs(results: list[SuiteResult], out: Path, meta: dict[str, Any]) -> dict[str, Path]:
    """cases.jsonl, summary.json (also the --baseline format), junit.xml and report.html in `out`."""
    from evals.report.html import render_html

    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "cases": out / "cases.jsonl",
        "summary": out / "summary.json",
        "junit": out / "junit.xml",
        "html": out / "report.html",
    }
    with paths["cases"].open("w", encoding="utf-8") as handle:
        for result in results:
            for case in result.cases:
                handle.write(json.dumps(case_record(result.suite, case), ensure_ascii=False) + "\n")
    summary = {"meta": meta, "gate_passed": all(r.gate_passed for r in results), "suites": {}}
    for result in results:
        summary["suites"][result.suite] = result.summary()
    paths["summary"].write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    paths["junit"].write_bytes(junit_xml(results))
    paths["html"].write_text(render_html(results, meta), encoding="utf-8")
    return paths


def junit_xml(results: list[SuiteResult]) -> bytes:
    """One testsuite per suite, one testcase per case, plus one per threshold."""
    root = ET.Element("testsuites")
    for result in results:
        failures = sum(not c.passed for c in result.cases) + len(result.failed_thresholds)
        suite = ET.SubElement(
            root,
            "testsuite",
            name=result.suite,
            tests=str(len(result.cases) + len(result.thresholds)),
            failures=str(failures),
            time=str(result.metrics.get("wall_seconds", 0)),
        )
        for case in result.cases:
            seconds = sum(t.timings_ms.get("total", 0.0) for t in case.turns) / 1000
            element = ET.SubElement(suite, "testcase", classname=result.suite, name=case.id, time=f"{seconds:.3f}")
            if not case.passed:
                failure = ET.SubElement(element, "failure", message="; ".join(case.problems)[:500])
                failure.text = "\n".join(case.problems)
        for name, limit in result.thresholds.items():
            element = ET.SubElement(suite, "testcase", classname=f"{result.suite}.thresholds", name=name)
            if name in result.failed_thresholds:
                value, _ = result.failed_thresholds[name]
                ET.SubElement(element, "failure", message=f"{name} = {value} (limit {limit})")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def load_baseline(path: Path) -> dict[str, dict[str, Any]]:
    """Per-suite summaries of an earlier run (its summary.json)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if "suites" not in data:
        raise ValueError(f"{path} is not a summary.json written by `assistant eval run`")
    return data["suites"]
