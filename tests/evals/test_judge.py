import pytest

from assistant.fakes.openai_server import FakeOpenAIServer
from evals.judge import JudgeError, LLMJudge
from evals.runner import run_suite
from tests.evals.test_harness import GOOD, QA, scripted, suite


@pytest.fixture
def fake_llm():
    server = FakeOpenAIServer().start()
    yield server
    server.stop()


def test_judge_scores_answers_and_caches_verdicts(fake_llm, tmp_path):
    fake_llm.enqueue('Sure: {"faithfulness": 0.9, "relevance": 1.0, "reason": "supported"}')
    judge = LLMJudge(fake_llm.base_url, "judge-model", "key", tmp_path / "cache.json")
    result = run_suite(suite(QA), scripted(GOOD), judge=judge)
    assert result.metrics["judge_faithfulness"] == 0.9 and result.metrics["judge_relevance"] == 1.0
    request = fake_llm.requests[0]
    assert request["model"] == "judge-model" and "patent sharing platform" in request["messages"][1]["content"]
    # Same case, same answer, same model and prompt version: answered from the cache, no new call.
    again = LLMJudge(fake_llm.base_url, "judge-model", "key", tmp_path / "cache.json")
    run_suite(suite(QA), scripted(GOOD), judge=again)
    assert again.calls == 0 and len(fake_llm.requests) == 1
    # A different answer is a different key.
    assert again.key("q1", "other answer") != again.key("q1", GOOD["answer"])


def test_a_failing_judge_is_reported_without_losing_offline_metrics(fake_llm, tmp_path):
    fake_llm.enqueue(500)
    judge = LLMJudge(fake_llm.base_url, "judge-model", None, tmp_path / "cache.json")
    result = run_suite(suite(QA), scripted(GOOD), judge=judge)
    assert any("judge unavailable" in p for p in result.cases[0].problems)
    assert result.metrics["citation_validity"] == 1.0


def test_malformed_verdicts_raise_a_clear_error(fake_llm, tmp_path):
    fake_llm.enqueue("I think it is fine.")
    judge = LLMJudge(fake_llm.base_url, "judge-model", None, tmp_path / "cache.json")
    with pytest.raises(JudgeError, match="not the expected JSON"):
        judge.grade("c", "q", "a", [])
