import pytest

from evals import metrics
from evals.schema import ToolCallExpectation


def test_retrieval_metrics_use_any_of_gold_with_dotted_prefixes():
    ranked = ["a#1", "peng2026#4.2.1", "peng2026#4.2", "b#2"]
    gold = ["peng2026#4.2"]
    assert metrics.recall_at(ranked, gold, 1) == 0.0
    assert metrics.recall_at(ranked, gold, 3) == 1.0
    assert metrics.reciprocal_rank(ranked, gold) == 0.5
    assert metrics.ndcg_at(ranked, gold) == pytest.approx(1.0)  # two relevant passages, one gold section
    assert metrics.ndcg_at(["x#1", "peng2026#4.2"], ["peng2026#4.2", "y#1"]) == pytest.approx(
        (1 / 1.5849625) / (1 + 1 / 1.5849625), rel=1e-4
    )
    assert metrics.section_matches("doc#3", "doc")  # a gold document without section matches any section
    assert not metrics.section_matches("peng2026#4.21", "peng2026#4.2")


def test_key_facts_and_forbidden_text():
    answer = "Interns get at least 80% of the wage and liability insurance."
    assert metrics.key_fact_recall(answer, [["80%"], ["insurance", "cover"], ["three-party"]]) == pytest.approx(2 / 3)
    assert metrics.forbidden_found(answer, ["100%", "Insurance"]) == ["Insurance"]


def test_citation_validity_needs_the_quote_in_a_retrieved_passage_of_that_document():
    retrieved = [{"doc_id": "d", "section": "1", "text": "Alpha beta gamma. Delta epsilon."}]
    good = {"n": 1, "doc_id": "d", "section": "1", "quote": "Delta epsilon."}
    invented = {"n": 2, "doc_id": "d", "section": "1", "quote": "Zeta eta."}
    wrong_doc = {"n": 3, "doc_id": "other", "section": "1", "quote": "Alpha beta gamma."}
    assert metrics.invalid_citations([good, invented, wrong_doc], retrieved) == [2, 3]


def test_groundedness_counts_claims_supported_by_their_cited_quote():
    citations = [{"n": 1, "quote": "Interns must be paid at least 80% of the wage for the same post."}]
    answer = (
        "From the policies: Interns must be paid at least 80% of the wage for the same post. [1] "
        "Students can also demand free housing near every enterprise campus."
    )
    assert metrics.groundedness(answer, citations) == pytest.approx(0.5)
    assert metrics.groundedness("Interns must be paid at least 80% of the wage. [1]", citations) == 1.0


def test_tool_call_matching_modes():
    want = [ToolCallExpectation(name="search_training_offers", arguments={"field": "welding"}, match="partial")]
    assert (
        metrics.tool_call_problems(want, [{"name": "search_training_offers", "arguments": {"field": "ship welding"}}])
        == []
    )
    assert metrics.tool_call_problems(want, [{"name": "search_training_offers", "arguments": {"field": "IT"}}])
    exact = [ToolCallExpectation(name="book_consultation", arguments={"slot_id": "S1"}, match="exact")]
    assert metrics.tool_call_problems(exact, [{"name": "book_consultation", "arguments": {"slot_id": "S1", "x": 1}}])
    ignore = [ToolCallExpectation(name="my_bookings", arguments={"user": "a"}, match="ignore")]
    assert metrics.tool_call_problems(ignore, [{"name": "my_bookings", "arguments": {}}]) == []
    assert metrics.tool_call_problems(ignore, []) == ["expected 1 tool call(s), got 0"]


def test_partial_matching_reaches_into_nested_arguments_and_reads_numbers_by_value():
    want = [
        ToolCallExpectation(
            name="draft_agreement", arguments={"fields": {"enterprise": "Haixing", "budget_cny": 500000}}
        )
    ]
    drafted = {
        "name": "draft_agreement",
        "arguments": {"fields": {"enterprise": "Haixing Co.", "budget_cny": "500000"}},
    }
    assert metrics.tool_call_problems(want, [drafted]) == []
    drafted["arguments"]["fields"]["budget_cny"] = "50000"
    assert metrics.tool_call_problems(want, [drafted])
    drafted["arguments"]["fields"] = {"budget_cny": "500,000"}  # the enterprise is missing
    assert metrics.tool_call_problems(want, [drafted])


def test_a_line_that_cites_a_record_the_tools_returned_rests_on_it():
    answer = (
        "Interns are paid at least 80% of the wage. [1]\n\nYou may also have meant the records:\n"
        "1. Welder internship — internship · Haixing Co., Ltd. · Nantong · starts 2027-03-01 [TO-0001]\n"
        "2. An invented internship with no record behind it, made up here. [TO-9999]"
    )
    citations = [{"n": 1, "quote": "Interns are paid at least 80% of the wage for the same post."}]
    assert metrics.groundedness(answer, citations, record_ids=frozenset({"TO-0001"})) == pytest.approx(2 / 3)
