"""Intents learned from the example bank: the data meets its bar, the classifier reads it, vectors ship."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.embedders import Embedder
from assistant.settings import Settings
from assistant.understanding import ExampleBank, ExampleBankError, IntentClassifier, Understander
from assistant.understanding.intents import cross_validated_accuracy, embed_examples, model_file_name

BANK_PATH = Settings().understanding_dir / "intents.yaml"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def bank() -> ExampleBank:
    return ExampleBank.load(BANK_PATH)


@pytest.fixture(scope="module")
def classifier(bank, embedder) -> IntentClassifier:  # type: ignore[no-untyped-def]
    return IntentClassifier.build(bank, embedder, [BANK_PATH.parent])


def test_the_bank_is_large_bilingual_and_covers_every_intent(bank):
    assert len(bank.texts) >= 800
    assert sum(bool(CJK.search(t)) for t in bank.texts) / len(bank.texts) >= 0.4
    counts = {name: bank.labels.count(name) for name in bank.intents}
    assert min(counts.values()) >= 40, counts
    assert len({t.lower() for t in bank.texts}) == len(bank.texts)  # no example twice


def test_the_model_fitted_on_the_bank_ships_with_it(bank, embedder):
    # After editing the examples, fit and ship the model again: `assistant seed-vectors`.
    path = BANK_PATH.parent / model_file_name(bank, embedder)
    assert path.exists(), f"{path.name} is missing: run `assistant seed-vectors`"
    shipped = IntentClassifier.build(bank, embedder, [BANK_PATH.parent])
    assert set(shipped.intents) == set(bank.intents) and shipped.weights.shape[1] == len(embedder.embed_query("x"))


def test_examples_are_read_right_by_a_model_fitted_without_them(bank, embedder):
    # Cross-validated over the bank: a measure of the examples and the embedder, not of any eval suite.
    assert cross_validated_accuracy(bank, embed_examples(bank, embedder)) >= 0.88


def test_shares_are_ranked_and_sum_to_one(classifier, embedder):
    ranked = classifier.rank(embedder.embed_query("有没有南通的焊接学徒岗位"))
    assert [s.intent for s in ranked][:1] == ["search_offers"]
    assert abs(sum(s.score for s in ranked) - 1) < 1e-5
    assert [s.score for s in ranked] == sorted((s.score for s in ranked), reverse=True)


class Counting(Embedder):
    def __init__(self, inner: Embedder) -> None:
        self.inner, self.id, self.texts = inner, inner.id, 0

    def embed_batch(self, texts, *, is_query):  # type: ignore[no-untyped-def]
        self.texts += len(texts)
        return self.inner.embed_batch(texts, is_query=is_query)


def test_without_a_shipped_model_it_is_fitted_once_and_kept(tmp_path, embedder):
    bank_file = tmp_path / "bank" / "intents.yaml"
    bank_file.parent.mkdir()
    bank_file.write_text(
        "intents:\n"
        "  greet_or_help: {description: hello, examples: ['hello there', '你好', 'what can you do', 'hi!']}\n"
        "  off_topic: {description: other, examples: ['weather tomorrow', '今天天气', 'a pasta recipe', 'NBA']}\n",
        encoding="utf-8",
    )
    counting = Counting(embedder)
    first = Understander(counting, bank_file, tmp_path / "data")
    question = embedder.embed_query("hi, what can you help me with?")
    assert first.intents("hi, what can you help me with?").top == "greet_or_help"
    assert counting.texts == 8 + 1  # the examples, then the message
    assert len(list((tmp_path / "data").glob("intents-*.npz"))) == 1
    again = Understander(counting, bank_file, tmp_path / "data")  # another worker, same data dir
    assert again.intents("", vector=question) == first.intents("", vector=question)
    assert counting.texts == 9  # nothing embedded: the kept model and the turn's own vector


@pytest.mark.parametrize(
    ("text", "fix"),
    [
        ("intents: [a, b]", "expected `intents: {name: {description, examples: [...]}}`"),
        ("intents:\n  x: {description: d, examples: []}\n", "intent 'x' has no examples"),
        ("intents: {x: {description: d, examples: [a]\n", "expected `intents:"),
    ],
)
def test_a_broken_bank_names_the_file_and_the_fix(tmp_path: Path, text, fix):
    path = tmp_path / "intents.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ExampleBankError, match=re.escape(fix)) as caught:
        ExampleBank.load(path)
    assert str(path) in str(caught.value)
