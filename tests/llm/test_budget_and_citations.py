"""The context budget and the streaming citation filter, on their own."""

from assistant.llm.budget import ContextBudget
from assistant.llm.citations import CitationFilter, best_quote
from assistant.tokens import count_tokens

PASSAGE = "Schools and enterprises share the training. " * 40  # about 280 tokens


def test_passages_are_kept_by_relevance_and_history_newest_first_within_the_window():
    budget = ContextBudget(window=2048, reply=512)
    passages = [(n, PASSAGE) for n in range(1, 9)]
    history = [(i, f"message {i} " * 30) for i in range(10)]
    kept, recent, used = budget.fit(["system prompt " * 50, "the question"], passages, history)
    assert kept == list(range(1, len(kept) + 1)) and 0 < len(kept) < 8  # the most relevant first, the rest dropped
    assert recent == list(range(10 - len(recent), 10))  # the newest messages survive
    assert used <= budget.usable


def test_a_long_tool_result_loses_items_from_the_end_and_says_so():
    budget = ContextBudget(window=4096, reply=512, tool_result_tokens=200)
    result = {"total": 40, "items": [{"id": f"O{i}", "title": "Welding apprenticeship in Nantong"} for i in range(40)]}
    text = budget.tool_result(result)
    assert count_tokens(text) <= 200 and '"items_omitted"' in text and '"O0"' in text and '"O39"' not in text


def test_markers_split_across_streamed_pieces_are_checked_and_renumbered():
    checker = CitationFilter(valid={2, 5})
    pieces = ["Apprentices get two tutors [", "5", "]. Wages are set by contract [7", "]. See [2,", " 5]."]
    out = "".join(checker.feed(p) for p in pieces) + checker.finish()
    assert out == "Apprentices get two tutors [1]. Wages are set by contract. See [2][1]."
    assert checker.removed == 1 and checker.order == {5: 1, 2: 2}


def test_brackets_that_are_not_citations_pass_through():
    checker = CitationFilter(valid={1})
    text = "Article [a] and a list [1] of [x, y]."
    assert checker.feed(text) + checker.finish() == text


def test_the_quote_is_the_passage_sentence_closest_to_the_claim():
    passage = "Enterprises host apprentices. Schools pay tutors a monthly allowance. Certificates follow."
    assert best_quote(passage, "tutors get an allowance every month") == "Schools pay tutors a monthly allowance."


def test_old_tool_results_give_way_when_tool_rounds_outgrow_the_window():
    from langchain_core.messages import HumanMessage, SystemMessage, ToolMessage

    from assistant.llm.agent import LLMAgent

    agent = LLMAgent.__new__(LLMAgent)  # only the budget matters here
    agent.budget = ContextBudget(window=2048, reply=512)
    big = "row " * 1000
    messages = [
        SystemMessage("rules"),
        HumanMessage("q"),
        ToolMessage(big, tool_call_id="a"),
        ToolMessage(big, tool_call_id="b"),
    ]
    agent._fit_tool_results(messages)
    assert "omitted" in messages[2].content and messages[3].content == big


def test_sentences_join_back_to_the_answer_and_markers_are_not_figures():
    from assistant.llm.claims import drop_uncited_figures, sentences_of, states_a_figure

    answer = "Pay rose 9.5% [2]. It helps!\n- a list item [1]\n人才培养脱节 [1]。每月三千元。"
    assert "".join(sentences_of(answer)) == answer
    assert not states_a_figure("Schools lag [12].") and states_a_figure("每月三千元。")
    assert drop_uncited_figures(answer) == ("Pay rose 9.5% [2]. It helps!\n- a list item [1]\n人才培养脱节 [1]。", 1)


def test_the_end_of_a_growing_answer_waits_while_it_could_be_starting_to_repeat_the_instructions():
    from assistant.llm.stream import LeakGuard

    guard = LeakGuard("You are the assistant for schools and enterprises. Cite passages as [1] and never invent.")
    text = "Training lags [1]. Remember: you are the assistant for schools and"
    # "you" is not "You": the run starts at "are", and the unfinished "and" would wait anyway.
    assert text[: guard.safe_length(text)] == "Training lags [1]. Remember: you "
    assert not guard.leaks(text) and guard.leaks(text + " enterprises. Cite passages as")
    # Text without spaces (Chinese) is not held back word by word: only what could start an instruction word.
    assert guard.safe_length("人才培养与产业需求脱节") == len("人才培养与产业需求脱节")
