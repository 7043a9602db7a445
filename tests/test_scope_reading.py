"""Off-topic by reading and relevance together: read first as off-topic and not answered strongly."""

from assistant.answer.scope import Decline, ScopePolicy, judge_reading
from assistant.understanding.intents import IntentScore
from assistant.understanding.understander import Intents


class _Retrieval:
    """Only what relevance() reads."""

    def __init__(self, dense: float, coverage: float) -> None:
        passage = type("Passage", (), {"unit_scores": [dense], "dense": dense, "coverage": coverage})()
        self.best = passage
        self.passages = [passage]


def reading(*pairs: tuple[str, float]) -> Intents:
    return Intents(tuple(IntentScore(name, share) for name, share in pairs))


POLICY = ScopePolicy(floor=0.4)


def test_read_as_off_topic_however_unsure_and_weakly_answered_is_declined():
    unsure = reading(("off_topic", 0.41), ("ask_knowledge", 0.39))
    assert judge_reading(unsure, _Retrieval(dense=0.83, coverage=0.2), POLICY) is Decline.OFF_TOPIC


def test_read_as_off_topic_but_answered_strongly_is_served():
    # "How should a college and a company split the risk of joint R&D?" reads like business advice.
    sure = reading(("off_topic", 0.71), ("ask_knowledge", 0.2))
    assert judge_reading(sure, _Retrieval(dense=0.9, coverage=0.6), POLICY) is None


def test_another_reading_first_is_left_to_the_floor():
    knowledge = reading(("ask_knowledge", 0.46), ("off_topic", 0.45))
    assert judge_reading(knowledge, _Retrieval(dense=0.81, coverage=0.1), POLICY) is None
    assert judge_reading(None, _Retrieval(dense=0.81, coverage=0.1), POLICY) is None
