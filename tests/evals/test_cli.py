import json

import yaml

from assistant.api import create_app
from assistant.fakes.serving import serving
from tests.conftest import invoke_cli

SMALL = {
    "suite": "small",
    "thresholds": {"case_pass_rate": 1.0},
    "cases": [
        {
            "id": "s1",
            "kind": "qa",
            "tags": ["student"],
            "input": "Who funded the paper?",
            "sources": ["peng2026#fund-project"],
            "must_include": [["ZJS2025ZD43"]],
            "blocking": True,
        },
        {"id": "s2", "kind": "refusal", "tags": ["student"], "input": "What's the weather tomorrow?"},
    ],
}


def _invoke(args, kb_settings, monkeypatch):
    return invoke_cli(args, kb_settings.data_dir)


def test_eval_run_in_process_writes_every_output_and_gates(kb_container, kb_settings, monkeypatch, tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(SMALL), encoding="utf-8")
    out = tmp_path / "out"
    result = _invoke(["eval", "run", str(path), "--out", str(out)], kb_settings, monkeypatch)
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} == {"cases.jsonl", "summary.json", "junit.xml", "report.html"}
    # A stricter copy of the suite fails the gate, and the baseline shows no case flipped.
    failing = {**SMALL, "thresholds": {"key_fact_recall": 1.1}}
    path.write_text(yaml.safe_dump(failing), encoding="utf-8")
    second = _invoke(
        ["eval", "run", str(path), "--out", str(tmp_path / "again"), "--baseline", str(out / "summary.json")],
        kb_settings,
        monkeypatch,
    )
    assert second.exit_code == 1
    summary = json.loads((tmp_path / "again" / "summary.json").read_text(encoding="utf-8"))
    assert summary["suites"]["small"]["regressions"] == [] and summary["gate_passed"] is False


def test_eval_run_against_a_running_server(kb_container, kb_settings, monkeypatch, tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(SMALL), encoding="utf-8")
    with serving(create_app(container=kb_container, rate_limit=1_000_000)) as url:
        result = _invoke(
            ["eval", "run", str(path), "--against", url, "--out", str(tmp_path / "out")], kb_settings, monkeypatch
        )
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["meta"]["target"] == url


def test_unknown_suite_is_a_usage_error(kb_settings, monkeypatch):
    result = _invoke(["eval", "run", "nope"], kb_settings, monkeypatch)
    assert result.exit_code == 2 and "no suite 'nope'" in result.output


def test_from_feedback_drafts_cases_from_thumbs_down(tmp_path, kb_settings, monkeypatch):
    feedback = tmp_path / "feedback.jsonl"
    feedback.write_text(
        "\n".join(
            json.dumps(r)
            for r in [
                {"rating": "down", "message": "Is there a welding apprenticeship?", "answer": "…", "comment": "wrong"},
                {"rating": "up", "message": "What is a training base?"},
            ]
        ),
        encoding="utf-8",
    )
    out = tmp_path / "drafts.yaml"
    result = _invoke(["eval", "from-feedback", str(feedback), "--out", str(out)], kb_settings, monkeypatch)
    assert result.exit_code == 0, result.output
    drafts = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert [c["input"] for c in drafts["cases"]] == ["Is there a welding apprenticeship?"]
    assert drafts["cases"][0]["notes"]["user_comment"] == "wrong"
