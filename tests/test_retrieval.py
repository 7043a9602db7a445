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
