import pytest


def test_filters_restrict_both_dense_and_lexical_results(kb_container):
    retrieval = kb_container.retriever.search("apprenticeship", k=8, filters={"doc_type": ["paper"]})
    assert retrieval.passages and {p.chunk.doc_id for p in retrieval.passages} == {"peng2026"}
    only = kb_container.retriever.search("apprenticeship", k=5, filters={"doc_id": ["vocational-education-law-2022"]})
    assert {p.chunk.doc_id for p in only.passages} == {"vocational-education-law-2022"}


def test_unknown_filter_key_names_the_valid_ones(kb_container):
    with pytest.raises(ValueError, match="doc_id, doc_type, language"):
        kb_container.retriever.search("x", filters={"colour": ["red"]})


def test_glossary_bridges_chinese_terms_to_the_english_corpus(kb_container):
    retrieval = kb_container.retriever.search("双师型教师的标准是什么？")
    assert "Double-qualified teacher" in retrieval.bridge_terms
    best = retrieval.passages[0].chunk
    # The section is found, and quoted from its Chinese version (one hit for both languages).
    assert best.canonical_id == "double-qualified-teachers" and best.language == "zh"


def test_chinese_question_about_the_paper_finds_the_paper(kb_container):
    retrieval = kb_container.retriever.search("论文认为专利共享应该怎么推进？")
    assert [p.chunk.citation_key for p in retrieval.passages[:3]].count("peng2026#4.2.3") >= 1


def test_search_tokens_are_the_same_from_many_threads_at_once():
    from concurrent.futures import ThreadPoolExecutor

    from assistant import text
    from assistant.text import search_tokens

    texts = [f"cooperating enterprises {i} standardization of internationalization training" * 20 for i in range(64)]
    expected = [search_tokens(t) for t in texts]
    with ThreadPoolExecutor(max_workers=16) as pool:
        for _ in range(5):
            # Tokens are memoised: start cold each round, so the threads really stem at the same time.
            text._search_tokens.cache_clear()
            text._stem.cache_clear()
            assert list(pool.map(search_tokens, texts)) == expected


def _rank_of(retrieval, section: str) -> int:
    keys = [p.chunk.citation_key for p in retrieval.passages]
    return keys.index(f"peng2026#{section}") if f"peng2026#{section}" in keys else len(keys)


def test_a_question_about_remedies_prefers_the_paths_and_one_about_problems_the_difficulties(kb_container):
    # The paper discusses majors in 3.1 (what is wrong) and 4.1.1 (what to do) with the same words.
    remedy = kb_container.retriever.search("How should vocational colleges decide which majors to open or shut down?")
    assert _rank_of(remedy, "4.1.1") < _rank_of(remedy, "3.1")
    problem = kb_container.retriever.search("What problems do vocational colleges have in setting their majors?")
    assert _rank_of(problem, "3.1") < _rank_of(problem, "4.1.1")


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("How should schools and enterprises promote patent sharing?", "en"),
        ("论文认为专利共享应该怎么推进？", "zh"),
        ("实习生的工资最低是多少？", "zh"),
    ],
)
def test_a_section_and_its_translation_are_one_hit_in_the_questions_language(kb_container, question, language):
    passages = kb_container.retriever.search(question, k=8).passages
    # Every passage in the question's language (every shipped document has both), and never the same
    # section twice in two languages.
    assert {p.chunk.language for p in passages} == {language}
    sections = [(p.chunk.citation_key, p.chunk.language) for p in passages]
    assert len({key for key, _ in sections}) == len({key for key, _ in set(sections)})


def test_the_reply_language_picks_the_version_quoted(kb_container):
    english = kb_container.retriever.search("What is a double-qualified teacher?", quote_language="zh")
    assert {p.chunk.language for p in english.passages} == {"zh"}
    assert "double-qualified-teachers" in [p.chunk.canonical_id for p in english.passages[:3]]


def test_filtering_by_a_documents_id_takes_in_its_translation(kb_container):
    found = kb_container.retriever.search("论文认为专利共享应该怎么推进？", k=5, filters={"doc_id": ["peng2026"]})
    assert {p.chunk.canonical_id for p in found.passages} == {"peng2026"}
    assert {p.chunk.doc_id for p in found.passages} == {"peng2026-zh"}


def test_a_translated_quote_comes_with_the_english_it_renders(kb_container):
    retriever = kb_container.retriever
    (chunk, *_) = retriever.section_chunks("peng2026-zh", "4.2.3")
    sentence = next(s for s in chunk.text.split("。") if "专利" in s) + "。"
    original_id, text = retriever.original_of(chunk.chunk_id, sentence)
    original = retriever.chunk(original_id)
    assert original.doc_id == "peng2026" and original.section == "4.2.3"
    assert text in original.text and "patent" in text.lower()
    # Only a translation has an original; the English text is its own.
    (english, *_) = retriever.section_chunks("peng2026", "4.2.3")
    assert retriever.original_of(english.chunk_id, english.text[:80]) is None
