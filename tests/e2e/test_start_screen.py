"""From the start screen ("What do you need?") into every shipped tree and on to an outcome, in a
real browser at a desktop's and a phone's width, as a person would: pick, give the facts the
tree's first screen asks for, answer, read the result."""

from __future__ import annotations

from typing import Any

import pytest
from browser_steps import (
    REVIEW,
    START_HEADING,
    drive,
    expect_outcome,
    key,
    main,
    no_error_screen,
    open_home,
    pick,
    settle,
    shown,
    start_button,
    type_date,
    wait_for_link,
)
from playwright.sync_api import Page, expect
from test_phone import sideways
from viewports import DESKTOP, PHONE

from triage.paths import tree_ids, trees_dir
from triage.tree.loader import load_tree
from triage.tree.model import Scenario, Tree

pytestmark = pytest.mark.e2e

TREES = [load_tree(trees_dir() / f"{name}.yaml").tree for name in tree_ids()]
OFFERED = [t for t in TREES if t.offer is not None]
LABELS = {
    "client_name": "Client's name",
    "project_title": "Project title",
    "freelancer_name": "Your name",
}


def first_outcome(tree: Tree) -> Scenario:
    """The tree's first scenario that ends at an outcome."""
    return next(s for s in tree.scenarios if s.expect in tree.outcomes)


def give_facts(page: Page, tree: Tree, scenario: Scenario) -> None:
    """Type the facts the tree's first screen asks for, then press Start (twice when the page
    first says what would help)."""
    ctx = scenario.context
    expect(start_button(page)).to_be_visible()
    party = tree.settings.other_party
    if "review_text" in tree.intake:
        page.get_by_label(REVIEW.replace("client", party), exact=True).fill(ctx.review_text)
    for field, label in LABELS.items():
        if field in tree.intake and getattr(ctx, field):
            label = label.replace("Client", party[:1].upper() + party[1:])
            page.get_by_label(label, exact=True).fill(getattr(ctx, field))
    if "contract_end" in tree.intake and ctx.contract_end is not None:
        type_date(key(page, "in_end"), ctx.contract_end)
    if "review_date" in tree.intake and ctx.review_date is not None:
        type_date(key(page, "in_review_date"), ctx.review_date)
    if "rating" in tree.intake and ctx.rating is not None:
        page.get_by_label(f"Stars the {party} gave", exact=True).fill(f"{ctx.rating:g}")
    if "messages" in tree.intake and ctx.messages:
        page.get_by_text(f"Add the {party}'s messages (optional)").click()
        page.get_by_label(f"Messages from the {party}", exact=True).fill(ctx.messages)
    page.keyboard.press("Tab")
    facts = (*LABELS, "contract_end", "review_date", "rating", "messages")
    shown = {f: getattr(ctx, f) for f in facts if f in tree.intake}
    wait_for_link(
        page,
        lambda state: all(getattr(state.context, f) == v for f, v in shown.items()),
        "the facts",
    )
    start_button(page).click()
    lacking = ("review_text" in tree.intake and not ctx.review_text.strip()) or (
        "contract_end" in tree.intake and ctx.contract_end is None
    )
    if lacking:  # the page first says what would help, then starts on the second press
        expect(main(page).get_by_text("Press the button again to start anyway")).to_be_visible()
        start_button(page).click()
    expect(start_button(page)).to_have_count(0)
    page.wait_for_selector('[class*="st-key-next_"], [data-testid="stMain"] h2')
    settle(page)


# One tree per choice of the start screen (the review trees share one: each platform has its own
# test below).
FIRST_OF_EACH = list({t.offer.label: t for t in OFFERED if t.offer is not None}.values())


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("tree", FIRST_OF_EACH, ids=[t.id for t in FIRST_OF_EACH])
def test_from_the_start_screen_to_an_outcome(new_page: Any, tree: Tree, size: Any) -> None:
    page = new_page(**size)
    open_home(page, tree=None)
    scenario = first_outcome(tree)
    if len(tree_ids()) > 1:
        expect(page.get_by_role("heading", name=START_HEADING, exact=True)).to_be_visible()
        for label in {t.offer.label for t in OFFERED if t.offer is not None}:
            expect(main(page).get_by_role("button", name=shown(label), exact=True)).to_be_visible()
        assert sideways(page) == []
        pick(page, tree)
    if tree.intake:
        give_facts(page, tree, scenario)
    drive(page, dict(scenario.answers), tree)
    expect_outcome(page, scenario.expect, tree)
    assert sideways(page) == []
    no_error_screen(page)
    # The link names the tree: a refresh comes back to the same result.
    page.reload()
    expect_outcome(page, scenario.expect, tree)


def _walks_by_kind() -> list[Any]:
    """For every review tree (each platform's "I got a bad review"), its first scenario that
    ends at a report and its first that ends at a public reply."""
    found = []
    for tree in OFFERED:
        kinds = {o: tree.outcomes[o].kind for o in tree.outcomes}
        for kind in ("dispute", "respond"):
            scenario = next(
                (
                    s
                    for s in tree.scenarios
                    if kinds.get(s.expect) == kind and "review_text" in tree.intake
                ),
                None,
            )
            if scenario is not None:
                found.append(pytest.param(tree, scenario, id=f"{tree.id}-{kind}"))
    return found


@pytest.mark.parametrize(("tree", "scenario"), _walks_by_kind())
def test_each_platform_to_a_report_and_to_a_reply(
    new_page: Any, tree: Tree, scenario: Scenario
) -> None:
    page = new_page()
    open_home(page, tree=tree)
    give_facts(page, tree, scenario)
    drive(page, dict(scenario.answers), tree)
    expect_outcome(page, scenario.expect, tree)
    no_error_screen(page)
