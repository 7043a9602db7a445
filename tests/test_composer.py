"""The offline composer's sentence choice under the word budget, on hand-made passages."""

from assistant.answer.composer import MAX_WORDS, compose, select_sentences
from assistant.chunking import Chunk
from assistant.retrieval import Passage, Retrieval
from assistant.text import word_count

# Two long sentences leave room for one short one (20 or 25 words), never for a third long one or both.
LONG = (MAX_WORDS - 40) // 2


def _sentence(stem: str, words: int) -> str:
    body = " ".join(f"{stem}{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(words - 1))
    return f"{stem.capitalize()} {body}."


def _passage(section: str, sentences: list[tuple[str, float]], rank: int) -> Passage:
    chunk = Chunk(
        chunk_id=f"c{rank}",
        doc_id="doc",
        section=section,
        section_title=f"Section {section}",
        section_path=f"Section {section}",
        title="Doc",
        text=" ".join(text for text, _ in sentences),
        position=rank,
        doc_type="paper",
        language="en",
        content_hash="h",
        source="doc.md",
    )
    return Passage(chunk, 1.0, 0.8, 1.0, 0.5, tuple(sim for _, sim in sentences))


def _retrieval(*passages: Passage) -> Retrieval:
    return Retrieval(query="q", language="en", bridge_terms=[], passages=list(passages))


def test_a_lead_too_long_for_the_budget_gives_way_to_a_shorter_sentence_of_its_section():
    retrieval = _retrieval(
        _passage("1", [(_sentence("alpha", LONG), 0.90), (_sentence("apple", 8), 0.50)], 0),
        _passage("2", [(_sentence("beta", LONG), 0.89), (_sentence("berry", 25), 0.87)], 1),
        _passage("3", [(_sentence("gamma", LONG), 0.88), (_sentence("grape", 20), 0.85)], 2),
    )
    chosen = select_sentences(retrieval)
    assert {c.chunk.section for c in chosen} == {"1", "2", "3"}
    assert any(c.text.startswith("Grape") for c in chosen)
    assert sum(word_count(c.text) for c in chosen) <= MAX_WORDS


def test_the_best_sentence_of_all_is_quoted_even_from_the_third_passage():
    retrieval = _retrieval(
        _passage("1", [(_sentence("alpha", LONG), 0.80), (_sentence("apple", 8), 0.50)], 0),
        _passage("2", [(_sentence("beta", LONG), 0.79)], 1),
        _passage("3", [(_sentence("gamma", LONG), 0.95)], 2),
    )
    composed = compose(retrieval)
    assert {c.section for c in composed.citations} >= {"1", "3"}
    assert all(c.quote in retrieval.passages[int(c.section) - 1].chunk.text for c in composed.citations)


def test_an_earlier_lead_gives_way_to_a_shorter_sentence_to_make_room_for_a_later_section():
    retrieval = _retrieval(
        _passage("1", [(_sentence("alpha", LONG), 0.90), (_sentence("apple", 8), 0.50)], 0),
        _passage("2", [(_sentence("beta", LONG), 0.89), (_sentence("berry", 20), 0.86)], 1),
        _passage("3", [(_sentence("gamma", LONG), 0.88)], 2),
    )
    chosen = select_sentences(retrieval)
    assert [c.text.split()[0] for c in chosen] == ["Alpha", "Berry", "Gamma"]
    assert sum(word_count(c.text) for c in chosen) <= MAX_WORDS
