"""The prompt service: templates are files, and a missing variable is an error, never a silent blank."""

import pytest

from tutor.prompts import PromptError, render


def test_templates_fill_from_files():
    text = render("grounding", passages="[1] A passage.")
    assert "[1] A passage." in text and "$" not in text


def test_missing_variable_raises():
    with pytest.raises(PromptError, match="passages"):
        render("grounding")


def test_missing_template_raises():
    with pytest.raises(PromptError, match="no-such-prompt"):
        render("no-such-prompt")


def test_every_mode_prompt_names_its_variables():
    assert "$question" in render("explain", grounding="G", question="$question")
    debate = render("debate", grounding="G", question="Q", name="Joseph Stalin", voice="V", motion="M", claim="C", reasoning="R", cutoff="1953-03-05")
    assert "Joseph Stalin" in debate and "1953-03-05" in debate
