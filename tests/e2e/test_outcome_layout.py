"""The result page leads with the deliverable, at a desktop's and a phone's width: the text to
paste and its copy button are in the first screenful, the copy button puts exactly that text on
the clipboard (asking first when the tone check marks something to change), a change of an
earlier answer on a phone never leaves a panel over the question, an edited reply survives the
saved case file, and the browser asks nothing of any host but the page's own.

Set TRIAGE_E2E_SHOTS to keep the screenshots this file takes (intake, a question, each outcome
kind, at both widths); the heights and positions it measures are printed with ``-s``."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml
from browser_steps import (
    UPWORK,
    answer,
    answer_buttons,
    click_then_expect,
    drive,
    expect_outcome,
    expect_question,
    fill_intake,
    key,
    main,
    no_error_screen,
    open_answers,
    open_home,
    scenario,
    settle,
    start,
    wait_for_link,
)
from playwright.sync_api import Page, expect
from viewports import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
KINDS = {
    "dispute": scenario("Threat in Upwork Messages"),
    "respond": scenario("Partly related criticism"),
    "request_change": scenario("Fixed, and the client agreed"),
    "no_action": scenario("Mid-contract feedback"),
}
SHOTS = os.environ.get("TRIAGE_E2E_SHOTS")


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def copy_frame(page: Page) -> Any:
    """The first copy button's frame on the page."""
    frame = main(page).locator("iframe").first
    expect(frame).to_be_visible()
    return frame.content_frame


def page_height(page: Page) -> int:
    return int(
        page.evaluate(
            "() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight || 0))"
        )
    )


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("kind", list(KINDS))
def test_the_text_to_paste_and_its_copy_button_are_in_the_first_screenful(
    new_page: Any, kind: str, width: str
) -> None:
    size = WIDTHS[width]
    page = new_page(**size)
    case = KINDS[kind]
    open_home(page)
    fill_intake(page, case.context)
    shot(page, f"{width}-intake")
    start(page, case.context)
    shot(page, f"{width}-question")
    drive(page, case.answers)
    outcome = next(o for o in UPWORK.outcomes if o == _reached(case))
    expect_outcome(page, outcome)
    no_error_screen(page)
    settle(page)
    shot(page, f"{width}-{kind}")
    height = page_height(page)
    if kind == "no_action":
        steps = main(page).get_by_role("heading", name="What to do", exact=True)
        top = steps.bounding_box()
        assert top is not None and top["y"] < size["height"], top
        print(f"\n{width} {kind}: page {height} px, what to do starts at {top['y']:.0f} px")
        return
    button = main(page).locator("iframe").first
    box = button.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= size["height"], f"copy button at {box}"
    print(f"\n{width} {kind}: page {height} px, copy button at {box['y']:.0f} px")


def _reached(case: Any) -> str:
    from triage.tree.model import Case
    from triage.walk.engine import start as walk

    return walk(UPWORK, Case(today=case.today, context=case.context, answers=case.answers)).at


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_copy_button_puts_the_report_on_the_clipboard(new_page: Any, width: str) -> None:
    page = new_page(**WIDTHS[width])
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    case = KINDS["dispute"]
    open_home(page)
    fill_intake(page, case.context)
    start(page, case.context)
    drive(page, case.answers)
    report = main(page).get_by_test_id("stCode").first.inner_text()
    frame = copy_frame(page)
    frame.get_by_role("button", name="Copy the report").click()
    expect(frame.get_by_role("status")).to_have_text("Copied")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.strip() == report.strip()
    assert copied.startswith("Hello,")


def test_copying_a_reply_with_findings_asks_first(new_page: Any) -> None:
    page = new_page(**PHONE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    case = KINDS["respond"]
    open_home(page)
    fill_intake(page, case.context)
    start(page, case.context)
    drive(page, case.answers)
    box = main(page).get_by_role("textbox", name=re.compile("Your public reply"))
    box.fill("Thanks. You are an IDIOT and I WILL SUE YOU.")
    box.press("Control+Enter")
    settle(page)
    expect(main(page).get_by_text("Before you post:")).to_be_visible()
    frame = copy_frame(page)
    asked: list[str] = []

    def dismiss(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    frame.get_by_role("button", name="Copy the reply").click()
    expect(frame.get_by_role("status")).to_have_text("Not copied.")
    assert asked and "Copy it anyway?" in asked[0]


def test_changing_an_earlier_answer_on_a_phone_leaves_nothing_over_the_question(
    new_page: Any,
) -> None:
    page = new_page(**PHONE)
    case = KINDS["dispute"]
    open_home(page)
    fill_intake(page, case.context)
    start(page, case.context)
    answer(page, "feedback_kind", "public")
    answer(page, "already_reported", "not_yet")
    expect_question(page, "client_pressure")
    open_answers(page)
    pill = answer_buttons(page).filter(has_text="Already reported")
    expect(pill).to_be_visible()
    heading = main(page).get_by_role("heading", name=UPWORK.questions["already_reported"].ask)
    click_then_expect(page, pill, heading)
    # Nothing covers the question: the side panel stays closed and the heading is on top.
    box = heading.bounding_box()
    assert box is not None
    x, y = box["x"] + 5, box["y"] + box["height"] / 2
    script = f"() => document.elementFromPoint({x}, {y})?.closest('h1,h2,h3') !== null"
    on_top = page.evaluate(script)
    assert on_top
    sidebar = page.get_by_test_id("stSidebar")
    assert sidebar.count() == 0 or sidebar.get_attribute("aria-expanded") != "true"
    key(page, "save_already_reported").get_by_role("button").click()
    expect_question(page, "client_pressure")
    no_error_screen(page)


def test_the_saved_case_file_keeps_the_edited_reply(new_page: Any, tmp_path: Path) -> None:
    page = new_page()
    case = KINDS["respond"]
    open_home(page)
    fill_intake(page, case.context)
    start(page, case.context)
    drive(page, case.answers)
    mine = "Thank you for the review. I delivered every page on 12 November."
    box = main(page).get_by_role("textbox", name=re.compile("Your public reply"))
    box.fill(mine)
    box.press("Control+Enter")
    wait_for_link(page, lambda s: s.edits == {"respond_publicly/reply": mine}, "the edited reply")
    settle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Your saved answers (.yaml)").click()
    saved = tmp_path / "saved.yaml"
    info.value.save_as(saved)
    assert yaml.safe_load(saved.read_text(encoding="utf-8"))["edits"] == {
        "respond_publicly/reply": mine
    }
    other = new_page()
    open_home(other)
    other.get_by_text("Continue from saved answers").click()
    key(other, "in_upload").locator('input[type="file"]').set_input_files(str(saved))
    expect_outcome(other, "respond_publicly")
    kept = main(other).get_by_role("textbox", name=re.compile("Your public reply"))
    expect(kept).to_have_value(mine)


def test_the_page_asks_nothing_of_any_other_host(new_page: Any, server: str) -> None:
    page = new_page()
    own = urlparse(server).hostname
    outside: set[str] = set()

    def record(request: Any) -> None:
        host = urlparse(request.url)
        if host.scheme in ("http", "https", "ws", "wss") and host.hostname != own:
            outside.add(str(host.hostname))

    page.on("request", record)
    case = KINDS["dispute"]
    open_home(page)
    fill_intake(page, case.context)
    start(page, case.context)
    drive(page, case.answers)
    main(page).get_by_text("See the whole decision map").click()
    settle(page)
    assert not outside, f"requests to {sorted(outside)}"
    print(json.dumps({"outside_hosts": sorted(outside)}))


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_authors_page_leads_with_the_root_cause(
    new_page: Any, width: str, tmp_path: Path
) -> None:
    from triage.paths import trees_dir

    text = (trees_dir() / "upwork.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace("    go: already_reported", "    go: already_reportd", 1))
    page = new_page(**WIDTHS[width])
    page.goto("/?page=authors")
    settle(page)
    main(page).get_by_text("Upload a file").click()
    main(page).locator('input[type="file"]').set_input_files(str(broken))
    headline = main(page).get_by_text(re.compile(r"^1 problem to fix \(and \d+ that follow"))
    expect(headline).to_be_visible()
    expect(main(page).get_by_text('did you mean "already_reported"?', exact=False)).to_be_visible()
    marked = main(page).get_by_test_id("stCode").filter(has_text=re.compile(r"▶ \d+ \|"))
    expect(marked).to_be_visible()
    shot(page, f"{width}-authors-broken")
    expect(page.get_by_test_id("stException")).to_have_count(0)  # the tree's errors, no crash
