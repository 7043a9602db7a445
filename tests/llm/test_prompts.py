"""The model's prompts are data rendered strictly: a missing variable fails at once, not as a broken prompt."""

import jinja2
import pytest

from assistant.prompts import render

SYSTEM_VARIABLES = {
    "persona": "a student",
    "persona_needs": "internships",
    "language_name": "English",
    "today": "2027-01-01",
}


def test_the_system_prompt_renders_with_all_its_variables():
    assert "2027-01-01" in render("llm/system", "system", **SYSTEM_VARIABLES)


@pytest.mark.parametrize("missing", sorted(SYSTEM_VARIABLES))
def test_a_missing_system_prompt_variable_fails_at_once(missing):
    given = {name: value for name, value in SYSTEM_VARIABLES.items() if name != missing}
    with pytest.raises(jinja2.UndefinedError, match=missing):
        render("llm/system", "system", **given)
