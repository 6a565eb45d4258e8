"""The Triage page in a real browser against `streamlit run app.py`: a walk to a report and to a
reply, a refresh mid-way, a saved case file taken to another browser, two people at once, and
forged links. The day is pinned (TRIAGE_TODAY=2026-11-27) by the server fixture."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from browser_steps import (
    REVIEW,
    START_HEADING,
    UPWORK,
    answer,
    drive,
    expect_answers_listed,
    expect_intake,
    expect_outcome,
    expect_question,
    facts,
    fill_intake,
    key,
    link_state,
    main,
    no_error_screen,
    open_home,
    scenario,
    sidebar,
    start,
    summary,
    wait_for_link,
)
from playwright.sync_api import Page, expect

from triage.paths import tree_ids
from triage.tree.model import Case
from triage.ui.state import NOTICE_DAMAGED, NOTICE_UNKNOWN_TREE
from triage.walk.engine import start as engine_start

pytestmark = pytest.mark.e2e

THREAT = scenario("Threat in Upwork Messages")
PARTLY = scenario("Partly related criticism")
INSULT = "Thanks. You are an IDIOT and I WILL SUE YOU."


def begin(page: Page, context: Any = THREAT.context) -> None:
    open_home(page)
    fill_intake(page, context)
    start(page, context)


def upload(page: Page, path: Path) -> None:
    """Open "Continue from saved answers" and choose ``path`` in its file picker."""
    page.get_by_text("Continue from saved answers").click()
    chooser = key(page, "in_upload")
    expect(chooser).to_be_visible()
    chooser.locator('input[type="file"]').set_input_files(str(path))


def starts_with(text: str) -> re.Pattern[str]:
    return re.compile("^" + re.escape(text))


# --- whole walks ---------------------------------------------------------------------------------


def test_a_walk_to_a_dispute_shows_the_warning_the_report_and_the_fallback_reply(
    new_page: Any,
) -> None:
    page = new_page()
    begin(page)
    asked = drive(page, THREAT.answers)
    assert asked == list(THREAT.answers), "the page asked the scenario's questions in order"
    expect_outcome(page, "report_manipulation")
    body = main(page)
    # The report comes first, ready to paste, with its copy button; "only once" is said there.
    heading = body.get_by_role("heading", name="Your report, ready to paste")
    expect(heading).to_be_visible()
    expect(body.get_by_text(re.compile("You can report this review only once"))).to_be_visible()
    report = body.get_by_test_id("stCode").filter(has_text="I am reporting the feedback")
    expect(report).to_have_count(1)
    expect(report).to_contain_text('Dana left on my contract "Landing page redesign"')
    expect(report).to_contain_text("feedback manipulation")
    expect(report).to_contain_text("Refused a fair discount. Avoid.")
    # The fallback public reply, editable, folded under the report.
    body.locator("summary", has_text="If the report fails: your public reply").click()
    reply = body.get_by_label("Public reply (you can edit it)", exact=True)
    expect(reply).to_be_visible()
    expect(reply).to_have_value(starts_with("Thank you, Dana"))
    expect(body.get_by_text("The tone reads calm and factual.")).to_be_visible()
    expect(body.get_by_text("11 days left").first).to_be_visible()  # the next date: the decision
    body.locator("summary", has_text="Evidence to gather").click()
    # The evidence checklist counts what is ticked, and the tick is kept in the link.
    evidence = UPWORK.outcomes["report_manipulation"].evidence
    expect(body.get_by_text(f"0 of {len(evidence)} ready.")).to_be_visible()
    first = key(page, "ev_report_manipulation_0")
    expect(first.get_by_role("checkbox", name=evidence[0].item, exact=True)).not_to_be_checked()
    first.locator("label").first.click()
    expect(body.get_by_text(f"1 of {len(evidence)} ready.")).to_be_visible()
    wait_for_link(page, lambda s: s.ticks == {"report_manipulation": (0,)}, "the ticked box")
    # Every answer is listed under the result, each with a way to change it.
    expect_answers_listed(page, THREAT.answers)
    expect(page.get_by_role("button", name="Your saved answers (.yaml)")).to_be_visible()
    no_error_screen(page)


def test_a_walk_to_a_public_reply_checks_the_tone_as_it_is_edited(new_page: Any) -> None:
    page = new_page()
    begin(page, PARTLY.context)
    drive(page, PARTLY.answers)
    expect_outcome(page, "respond_publicly")
    body = main(page)
    expect(body.get_by_text("You can report a review only once.")).to_have_count(0)
    box = body.get_by_label("Your public reply (edit it to make it yours)", exact=True)
    expect(box).to_be_visible()
    expect(box).to_be_editable()
    expect(box).to_have_value(starts_with("Thank you, Dana"))
    calm = body.get_by_text("The tone reads calm and factual.")
    expect(calm).to_be_visible()
    expect(body.get_by_text("Before you post:")).to_have_count(0)

    box.fill(INSULT)
    box.press("Control+Enter")  # Streamlit sends a text area's value on Ctrl+Enter or blur
    expect(body.get_by_text("Before you post:")).to_be_visible()
    expect(calm).to_have_count(0)
    # Each finding says what to change and shows where: the words at fault, by line.
    finding = body.get_by_test_id("stMarkdown").filter(has_text="Change this:")
    expect(finding.first).to_be_visible()
    where = finding.first.locator("blockquote")
    expect(where).to_contain_text("line 1")
    expect(where.locator("span", has_text="IDIOT").first).to_be_visible()
    expect(body.get_by_test_id("stCode").filter(has_text=INSULT)).to_have_count(0)  # shown once
    expect(body.get_by_role("button", name="Go back to the suggested draft")).to_be_visible()
    wait_for_link(page, lambda s: s.edits == {"respond_publicly/reply": INSULT}, "the edited reply")

    # The edited text survives a refresh (it is in the link), and is checked again.
    page.reload()
    expect_outcome(page, "respond_publicly")
    expect(
        main(page).get_by_label("Your public reply (edit it to make it yours)", exact=True)
    ).to_have_value(INSULT)
    expect(main(page).get_by_text("Before you post:")).to_be_visible()
    no_error_screen(page)


# --- nothing lost --------------------------------------------------------------------------------


def test_a_refresh_in_the_middle_restores_the_question_and_the_answers(new_page: Any) -> None:
    page = new_page()
    begin(page)
    so_far = dict(list(THREAT.answers.items())[:3])
    assert drive(page, so_far) == list(so_far)
    expect_question(page, "pressure_where")
    page.reload()
    page.wait_for_selector('[data-testid="stApp"]')
    expect_question(page, "pressure_where")
    expect(
        main(page).get_by_text(f"{UPWORK.platform} review · {facts(THREAT.context)}")
    ).to_be_visible()
    expect_answers_listed(page, so_far)
    # The answers are really there, not just listed: Back shows the last one picked.
    key(page, "back_pressure_where").get_by_role("button", name="Back").click()
    expect_question(page, "client_pressure")
    (ticked,) = THREAT.answers["client_pressure"]
    label = UPWORK.questions["client_pressure"].display([ticked])
    expect(
        key(page, f"q_client_pressure__{ticked}").get_by_role("checkbox", name=label, exact=True)
    ).to_be_checked()
    # And the review typed on the first screen is back in its box.
    key(page, "back_client_pressure").get_by_role("button", name="Back").click()
    expect_question(page, "already_reported")
    key(page, "back_already_reported").get_by_role("button", name="Back").click()
    expect_question(page, "feedback_kind")
    key(page, "back_feedback_kind").get_by_role("button", name="Back").click()
    expect_intake(page)
    expect(page.get_by_label(REVIEW, exact=True)).to_have_value(THREAT.context.review_text)
    expect(page.get_by_label("Client's name", exact=True)).to_have_value("Dana")
    no_error_screen(page)


def test_a_downloaded_case_file_resumes_the_walk_in_another_browser(
    new_page: Any, tmp_path: Path
) -> None:
    page = new_page()
    begin(page)
    drive(page, THREAT.answers)
    expect_outcome(page, "report_manipulation")
    with page.expect_download() as info:
        page.get_by_role("button", name="Your saved answers (.yaml)").click()
    download = info.value
    assert download.suggested_filename == "upwork-saved-answers.yaml"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    case = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert case["tree"] == "upwork"
    assert case["answers"] == THREAT.answers
    assert case["context"]["client_name"] == "Dana"

    # Someone else's browser (a new context: no cookies, no session, no link).
    other = new_page()
    open_home(other)
    expect_intake(other)
    upload(other, saved)
    welcome = main(other).get_by_test_id("stAlertContentSuccess").filter(has_text="Welcome back")
    expect(welcome).to_have_count(1)
    expect(welcome).to_contain_text("your saved answers are loaded")
    expect_outcome(other, "report_manipulation")
    expect(summary(other, THREAT.context)).to_be_visible()
    expect_answers_listed(other, THREAT.answers)
    expect(main(other).get_by_label("Public reply (you can edit it)", exact=True)).to_have_value(
        starts_with("Thank you, Dana")
    )
    # A file saved part-way (the last answers missing) resumes at the first open question.
    part = dict(list(THREAT.answers.items())[:-2])
    partial = tmp_path / "part.yaml"
    partial.write_text(yaml.safe_dump({**case, "answers": part}), encoding="utf-8")
    third = new_page()
    open_home(third)
    upload(third, partial)
    expect_question(third, list(THREAT.answers)[-2])
    expect_answers_listed(third, part)
    no_error_screen(other)
    no_error_screen(third)


# --- two people at once --------------------------------------------------------------------------


def test_two_browsers_at_once_never_see_each_others_answers(new_page: Any) -> None:
    first, second = new_page(), new_page()
    second_answers: dict[str, Any] = {
        "feedback_kind": "private",
        "private_visible": "can_read",
        "private_red_flags": "yes",
    }
    theirs = THREAT.context.model_copy(
        update={
            "review_text": "Never replied to my messages. Zero stars if I could.",
            "client_name": "Morgan",
            "project_title": "Podcast intro",
            "rating": 2.0,
        }
    )
    # Interleave every step: intake, start, then the questions, one each in turn.
    open_home(first)
    open_home(second)
    fill_intake(first, THREAT.context)
    fill_intake(second, theirs)
    start(first, THREAT.context)
    start(second, theirs)
    answer(first, "feedback_kind", "public")
    answer(second, "feedback_kind", "private")
    answer(first, "already_reported", "not_yet")
    expect_question(second, "private_visible")
    answer(second, "private_visible", "can_read")
    expect_question(second, "private_red_flags")
    answer(second, "private_red_flags", "yes")
    expect_question(first, "client_pressure")
    there = engine_start(UPWORK, Case(tree="upwork", context=theirs, answers=second_answers)).at
    assert there in UPWORK.outcomes
    expect_outcome(second, there)

    expect_answers_listed(first, {"feedback_kind": "public", "already_reported": "not_yet"})
    expect_answers_listed(second, second_answers)
    expect(summary(first, THREAT.context)).to_be_visible()
    expect(summary(second, theirs)).to_be_visible()
    for page, stranger in ((first, theirs), (second, THREAT.context)):
        text = page.locator("body").inner_text()
        assert stranger.client_name not in text
        assert stranger.project_title not in text
    assert first.url != second.url
    assert link_state(first).answers == {"feedback_kind": "public", "already_reported": "not_yet"}
    assert link_state(second).answers == second_answers
    assert link_state(second).context.review_text == theirs.review_text

    # Each refresh restores its own walk, not the other's (nor the last one saved on the server).
    second.reload()
    first.reload()
    expect_question(first, "client_pressure")
    expect_outcome(second, there)
    expect_answers_listed(second, second_answers)
    expect_answers_listed(first, {"feedback_kind": "public", "already_reported": "not_yet"})
    assert "Morgan" not in first.locator("body").inner_text()
    assert "Dana" not in second.locator("body").inner_text()


# --- forged links --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ("?tree=nope&s=garbage", NOTICE_UNKNOWN_TREE),
        ("?tree=upwork&s=garbage", NOTICE_DAMAGED),
    ],
    ids=["unknown-tree", "damaged-answers"],
)
def test_a_forged_link_shows_a_short_notice_and_a_clean_start(
    new_page: Any, query: str, notice: str
) -> None:
    page = new_page()
    open_home(page, query)
    # With several trees, a link to an unknown one opens the start screen ("What do you need?").
    to_start = "nope" in query and len(tree_ids()) > 1
    first_screen = (
        (lambda p: expect(p.get_by_role("heading", name=START_HEADING)).to_be_visible())
        if to_start
        else expect_intake
    )
    first_screen(page)
    shown = main(page).get_by_test_id("stAlertContentInfo")
    expect(shown).to_have_count(1)
    expect(shown.get_by_test_id("stMarkdownContainer")).to_have_text(notice)
    if not to_start:
        expect(page.get_by_label(REVIEW, exact=True)).to_have_value("")
    expect(sidebar(page).get_by_text("How it works")).to_be_visible()
    no_error_screen(page)
    # The forged values are gone from the address: a clean link for a clean start.
    expect(page).to_have_url(re.compile(r"/\??$" if to_start else r"/\?tree=upwork$"))
    # The notice shows once: a refresh of the clean link is just the first screen.
    page.reload()
    first_screen(page)
    expect(main(page).get_by_test_id("stAlertContentInfo")).to_have_count(0)
    no_error_screen(page)
