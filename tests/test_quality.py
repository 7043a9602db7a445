"""The foundation's quality bar, measured on the team's own question sets through POST /v1/chat.

Thresholds sit a little under what `python -m evals.check_questions` measures today, so a change that
makes answers worse fails here; README "Quality" has the current figures.
"""

import pytest

from evals.check_questions import load_questions, measure, section_matches


@pytest.fixture(scope="module")
def report(client):
    return measure(lambda m: client.post("/v1/chat", json={"message": m}).json(), load_questions())


def test_question_sets_cover_the_paper_policies_and_chinese():
    questions = load_questions()
    answerable = [q for q in questions if not q.get("refuse")]
    assert len(answerable) >= 40
    assert sum(q.get("lang") == "zh" for q in answerable) >= 20
    paper_sections = {s.split("#")[1] for q in answerable for s in q["sources"] if s.startswith("peng2026#")}
    assert {"abstract", "1.3", "2.1", "3.2", "4.1.1", "4.2.3", "4.3.3", "5.4", "6.2", "fund-project"} <= paper_sections


def test_section_matching_uses_dotted_prefixes():
    assert section_matches("peng2026#4.2", "peng2026#4.2.1")
    assert section_matches("peng2026#4.2.1", "peng2026#4.2")
    assert not section_matches("peng2026#4.2", "peng2026#4.21")
    assert not section_matches("other#4.2", "peng2026#4.2")


def test_english_paper_questions_cite_the_right_section(report):
    assert report.groups["paper-en"].as_dict()["cites_right_section"] >= 0.85


def test_chinese_questions_cite_the_right_section_two_times_in_three(report):
    for group in ("paper-zh", "policy-zh"):
        assert report.groups[group].as_dict()["cites_right_section"] >= 0.67, group


def test_policy_questions_cite_the_right_section(report):
    assert report.groups["policy-en"].as_dict()["cites_right_section"] >= 0.88


def test_key_facts_are_in_the_answers(report):
    assert report.groups["paper-en"].as_dict()["key_facts"] >= 0.6
    assert report.groups["policy-en"].as_dict()["key_facts"] >= 0.78


def test_out_of_scope_questions_are_declined(report):
    assert report.declined >= report.out_of_scope - 2
    assert all(score.refused <= 1 for score in report.groups.values())
