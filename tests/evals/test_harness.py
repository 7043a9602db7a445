"""The harness must catch a broken assistant: each kind of breakage below fails its case."""

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml

from evals.report import write_outputs
from evals.runner import run_suite
from evals.schema import Suite, SuiteError, load_suite
from evals.targets import CallableTarget

PASSAGE = {
    "doc_id": "peng2026",
    "section": "4.2.3",
    "chunk_id": "c1",
    "score": 0.03,
    "text": "Second, promote patent sharing, establish a school-enterprise patent sharing platform.",
}
GOOD = {
    "session_id": "s1",
    "answer": "From the paper peng2026: Second, promote patent sharing, establish a school-enterprise "
    "patent sharing platform. [1]",
    "citations": [
        {
            "n": 1,
            "doc_id": "peng2026",
            "section": "4.2.3",
            "title": "t",
            "quote": "Second, promote patent sharing, establish a school-enterprise patent sharing platform.",
        }
    ],
    "tool_calls": [],
    "refused": False,
    "timings_ms": {"retrieve": 10.0, "compose": 5.0, "total": 16.0},
    "retrieved": [PASSAGE],
}


def scripted(*bodies):
    """A fake assistant that answers each message with the next scripted body."""
    queue = list(bodies)
    return CallableTarget(lambda request: queue.pop(0) if len(queue) > 1 else queue[0], "scripted")


def suite(*cases, thresholds=None):
    return Suite.model_validate({"suite": "t", "thresholds": thresholds or {}, "cases": list(cases)})


QA = {
    "id": "q1",
    "input": "How should patents be shared?",
    "sources": ["peng2026#4.2"],
    "must_include": [["patent sharing platform"]],
}


def test_a_correct_answer_passes():
    result = run_suite(suite(QA), scripted(GOOD))
    assert result.cases[0].passed, result.cases[0].problems
    assert result.metrics["citation_validity"] == 1.0 and result.metrics["groundedness"] == 1.0


def test_a_wrong_expectation_fails():
    wrong = {**QA, "must_include": [["patent pool"]]}
    result = run_suite(suite(wrong), scripted(GOOD))
    assert not result.cases[0].passed
    assert "missing key facts" in result.cases[0].problems[0]


def test_a_missing_citation_fails():
    body = {**GOOD, "citations": [], "answer": "Patents should be shared."}
    result = run_suite(suite(QA), scripted(body))
    problems = " | ".join(result.cases[0].problems)
    assert not result.cases[0].passed and "no citation" in problems and "cites nothing" in problems


def test_citing_a_passage_that_was_never_retrieved_fails():
    invented = {**GOOD["citations"][0], "quote": "Patents belong to the enterprise alone."}
    body = {**GOOD, "citations": [invented]}
    result = run_suite(suite(QA), scripted(body))
    assert not result.cases[0].passed
    assert any("not retrieved" in p for p in result.cases[0].problems)
    assert result.metrics["citation_validity"] == 0.0


def test_a_wrong_tool_argument_fails():
    case = {
        "id": "t1",
        "kind": "tool",
        "input": "Any welding apprenticeships?",
        "tool_calls": [{"name": "search_training_offers", "arguments": {"field": "welding"}}],
    }
    body = {**GOOD, "tool_calls": [{"name": "search_training_offers", "arguments": {"field": "nursing"}}]}
    result = run_suite(suite(case), scripted(body))
    assert not result.cases[0].passed
    assert "argument field='nursing'" in result.cases[0].problems[0]


def test_answering_a_refusal_case_fails_and_declining_passes():
    case = {"id": "r1", "kind": "refusal", "input": "What's the weather?"}
    assert not run_suite(suite(case), scripted(GOOD)).cases[0].passed
    declined = {**GOOD, "refused": True, "citations": [], "answer": "Sorry, that is outside what I can help with."}
    result = run_suite(suite(case), scripted(declined))
    assert result.cases[0].passed and result.metrics["refusal_recall"] == 1.0


def test_thresholds_blocking_cases_and_baseline_make_the_gate():
    broken = {**GOOD, "citations": []}
    result = run_suite(suite({**QA, "blocking": True}, thresholds={"case_pass_rate": 0.9}), scripted(broken))
    assert not result.gate_passed
    assert result.failed_thresholds == {"case_pass_rate": (0.0, 0.9)} and result.failed_blocking == ["q1"]
    baseline = {"cases": {"q1": True}, "metrics": {"case_pass_rate": 1.0}}
    again = run_suite(suite(QA), scripted(broken), baseline=baseline)
    assert again.regressions == ["q1"] and again.metric_deltas()["case_pass_rate"] == -1.0


def test_multi_turn_cases_keep_the_session_and_check_the_last_turn():
    seen = []

    def post(request):
        seen.append(request.get("session_id"))
        return GOOD

    case = {
        "id": "m1",
        "kind": "multi_turn",
        "turns": ["First question?", "Second question?"],
        "sources": ["peng2026#4.2.3"],
    }
    result = run_suite(suite(case), CallableTarget(post, "recording"))
    assert seen == [None, "s1"]
    assert [t.evaluated for t in result.cases[0].turns] == [False, True]


def test_outputs_are_written_and_readable(tmp_path: Path):
    result = run_suite(suite(QA, {**QA, "id": "q2", "must_include": [["nope"]]}), scripted(GOOD))
    paths = write_outputs([result], tmp_path, {"started": "now", "target": "scripted", "baseline": None})
    lines = paths["cases"].read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["q1", "q2"]
    summary = json.loads(paths["summary"].read_text(encoding="utf-8"))
    assert summary["suites"]["t"]["cases"] == {"q1": True, "q2": False}
    junit = ET.parse(paths["junit"]).getroot()
    assert junit.find("testsuite").get("failures") == "1"
    html = paths["html"].read_text(encoding="utf-8")
    assert "q2" in html and "data:image/png;base64," in html and "http" not in html.split("<body>")[1][:200]


def test_suite_files_are_validated_with_messages_that_name_the_case(tmp_path: Path):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"suite": "bad", "cases": [{"id": "x1", "kind": "qa"}]}), encoding="utf-8")
    with pytest.raises(SuiteError, match=r"case x1: .*needs `input`"):
        load_suite(str(path))
    with pytest.raises(SuiteError, match="one of: agreements, conversation, paper"):
        load_suite("no-such-suite")


def test_shipped_suites_meet_the_coverage_bar():
    from evals.schema import all_suite_names

    suites = [load_suite(name) for name in all_suite_names()]
    cases = [c for s in suites for c in s.cases]
    assert len(cases) >= 120
    assert sum("zh" in c.tags for c in cases) >= 20
    assert sum(c.kind == "refusal" for c in cases) >= 15
    assert {p for c in cases for p in c.personas} == {"student", "enterprise", "teacher", "admin"}
    assert {c.kind for c in cases} >= {"qa", "multi_turn", "refusal"}
