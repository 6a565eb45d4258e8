"""The questions can be answered with the keyboard alone: focus, pick, continue."""

from __future__ import annotations

from typing import Any

import pytest
from browser_steps import (
    answer_buttons,
    expect_question,
    fill_intake,
    key,
    open_answers,
    open_home,
    scenario,
    settle,
    start_button,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

THREAT = scenario("Threat in Upwork Messages")


def test_a_question_can_be_answered_with_the_keyboard_only(new_page: Any) -> None:
    page = new_page()
    open_home(page)
    fill_intake(page, THREAT.context)
    start_button(page).focus()
    page.keyboard.press("Enter")
    expect_question(page, "feedback_kind")
    first = key(page, "q_feedback_kind").get_by_role("radio").first
    first.focus()
    # Space picks the focused option, as in any radio group.
    page.keyboard.press("Space")
    expect(first).to_be_checked()
    # Tab moves on through the form to Continue; Enter presses it.
    for _ in range(12):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement && document.activeElement.innerText")
        if focused and focused.strip().endswith("Continue"):
            break
    else:
        pytest.fail("Tab never reached the Continue button")
    page.keyboard.press("Enter")
    expect(key(page, "next_feedback_kind")).to_have_count(0)
    settle(page)
    open_answers(page)
    expect(answer_buttons(page).nth(1)).to_contain_text("Kind of feedback")
