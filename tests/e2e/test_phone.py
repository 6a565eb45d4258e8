"""The Triage page at a phone's width (390 px): usable without sideways scrolling, start to end."""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_steps import (
    UPWORK,
    drive,
    expect_outcome,
    expect_question,
    facts,
    fill_intake,
    main,
    no_error_screen,
    open_home,
    press_start,
    scenario,
)
from playwright.sync_api import Page, expect
from viewports import PHONE

pytestmark = pytest.mark.e2e

THREAT = scenario("Threat in Upwork Messages")
OVERFLOW = """() => {
    const wide = [];
    const limit = document.documentElement.clientWidth;
    for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
        const box = el.getBoundingClientRect();
        if (box.width > 0 && box.right > limit + 1 && !el.closest('pre, [data-testid="stCode"]')) {
            wide.push((el.getAttribute('data-testid') || el.tagName) + ' ' + Math.round(box.right));
        }
    }
    return wide.slice(0, 5);
}"""


def sideways(page: Page) -> list[str]:
    """Elements of the main area that stick out past the screen's right edge (code excepted)."""
    return list(page.evaluate(OVERFLOW))


def test_a_phone_can_go_from_the_review_to_the_report_without_scrolling_sideways(
    new_page: Any,
) -> None:
    page = new_page(**PHONE)
    open_home(page)
    assert sideways(page) == []
    fill_intake(page, THREAT.context)
    press_start(page, THREAT.context)
    expect_question(page, "feedback_kind")
    # The side panel starts folded on a phone; the question area repeats the review's facts.
    expect(
        main(page).get_by_text(f"{UPWORK.platform} review · {facts(THREAT.context)}")
    ).to_be_visible()
    assert sideways(page) == []
    drive(page, THREAT.answers)
    expect_outcome(page, "report_manipulation")
    once = main(page).get_by_text(re.compile("You can report this review only once"))
    expect(once).to_be_visible()
    assert sideways(page) == []
    no_error_screen(page)
