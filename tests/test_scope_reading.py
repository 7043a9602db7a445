"""Off-topic by reading and relevance together: read first as off-topic and not answered strongly."""

from assistant.answer.scope import Decline, ScopePolicy, judge_reading
from assistant.understanding.intents import IntentScore
from assistant.understanding.understander import Intents


def reading(*pairs: tuple[str, float]) -> Intents:
    return Intents(tuple(IntentScore(name, share) for name, share in pairs))


POLICY = ScopePolicy(floor=0.4)


def test_read_as_off_topic_however_unsure_and_weakly_answered_is_declined():
    unsure = reading(("off_topic", 0.41), ("ask_knowledge", 0.39))
    assert judge_reading(unsure, 0.53, POLICY) is Decline.OFF_TOPIC


def test_read_as_off_topic_but_answered_strongly_is_served():
    # "How should a college and a company split the risk of joint R&D?" reads like business advice.
    sure = reading(("off_topic", 0.71), ("ask_knowledge", 0.2))
    assert judge_reading(sure, 1.0, POLICY) is None


def test_another_reading_first_is_left_to_the_floor():
    knowledge = reading(("ask_knowledge", 0.46), ("off_topic", 0.45))
    assert judge_reading(knowledge, 0.21, POLICY) is None
    assert judge_reading(None, 0.21, POLICY) is None
