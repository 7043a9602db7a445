"""Figures as people write them: magnitudes multiplied out exactly, Chinese numerals read, guesses refused."""

import pytest

from assistant.agreements.templates import templates
from assistant.agreements.values import ValueProblem, parse_value

BUDGET = templates()["joint_rd"].field("budget_cny")
TRAINEES = templates()["employee_training"].field("trainees")


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("RMB 1.2 million", "1200000"),
        ("800k yuan", "800000"),
        ("30万元", "300000"),
        ("1.5万", "15000"),
        ("人民币贰拾万元整", "200000"),
        ("壹拾贰万伍仟元", "125000"),
        ("三十万元", "300000"),
        ("CNY 300,000", "300,000"),  # the digits as typed: the draft repeats them
    ],
)
def test_an_amount_is_the_figure_it_names(written, value):
    assert parse_value(BUDGET, written) == value


@pytest.mark.parametrize(("written", "value"), [("四十五人", "45"), ("一百二十名", "120"), ("学员 60 人", "60")])
def test_a_count_in_chinese_numerals(written, value):
    assert parse_value(TRAINEES, written, "zh") == value


@pytest.mark.parametrize("written", ["5m", "1.5 thousand people", "30 to 40"])
def test_a_figure_that_cannot_be_read_for_sure_is_asked_again(written):
    field = BUDGET if written == "5m" else TRAINEES
    with pytest.raises(ValueProblem):
        parse_value(field, written)
