import itertools

from assistant.chunking import chunk_document, text_units
from assistant.documents import Document, Section, load_document
from assistant.tokens import count_tokens
from tests.documents.test_paper_loader import PAPER


def test_chunks_respect_sections_and_token_budget():
    document = load_document(PAPER)
    chunks = chunk_document(document, max_tokens=120, overlap_tokens=20, embedder_id="e")
    by_section = {s.id: s.text for s in document.sections}
    for chunk in chunks:
        assert count_tokens(chunk.text) <= 120
        # Never spans sections: every sentence of the chunk is in its own section's text.
        for unit in text_units(chunk.text):
            assert unit in by_section[chunk.section]
    assert {c.section for c in chunks} == set(by_section)


def test_chunk_ids_are_stable_and_depend_on_the_embedder():
    document = load_document(PAPER)
    first = [c.chunk_id for c in chunk_document(document, 200, 40, "model-a")]
    again = [c.chunk_id for c in chunk_document(document, 200, 40, "model-a")]
    other = [c.chunk_id for c in chunk_document(document, 200, 40, "model-b")]
    assert first == again
    assert not set(first) & set(other)
    assert len(set(first)) == len(first)


def test_overlap_repeats_the_tail_of_the_previous_chunk():
    sentences = [f"Sentence number {i} talks about shared training bases." for i in range(30)]
    document = Document("d", "D", "d.md", "h", sections=[Section("1", "One", " ".join(sentences))])
    chunks = chunk_document(document, max_tokens=60, overlap_tokens=25, embedder_id="e")
    assert len(chunks) > 3
    for previous, current in itertools.pairwise(chunks):
        previous_units = text_units(previous.text)
        carried = text_units(current.text)[: len(previous_units)]
        assert previous_units[-1] in carried  # the overlap ends with the previous chunk's last sentence
        assert current.text.startswith(tuple(previous_units[1:]))
        assert count_tokens(current.text) <= 60
