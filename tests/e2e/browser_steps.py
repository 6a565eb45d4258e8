"""Steps a person takes on the Triage page, in a real browser.

Locators follow what a person sees (roles, labels, texts). Where the page draws the same words in
two places (a question's old and new form during a rerun, "Yes"/"No" on consecutive questions),
the search is scoped to the widget's container, which Streamlit marks with ``st-key-<key>``;
the keys come from the page (``q_<question>``, ``next_<question>``, ``in_...``), the same keys
tests/test_app.py drives through AppTest.

Streamlit reruns the script on the server after each action. A step is done when the page shows
its result (the next question's heading, the outcome's title, ...) and the app reports that the
script has stopped running (``data-test-script-state`` on ``stApp``, what Streamlit's own
end-to-end tests wait for) with no stale elements left on screen.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Locator, Page, expect

from triage.paths import tree_ids, trees_dir
from triage.tree.loader import load_tree
from triage.tree.model import (
    AnswerValue,
    CaseContext,
    Question,
    Scenario,
    Tree,
)
from triage.ui.state import CHOOSING, PageState
from triage.ui.text_marks import JOINER
from triage.ui.url_codec import decode_payload
from triage.ui.widgets import day

UPWORK: Tree = load_tree(trees_dir() / "upwork.yaml").tree
REVIEW = "The review, as the client wrote it"
TIMEOUT = 25.0  # seconds, as the fixtures' Playwright timeouts
IDLE = (
    "() => { const app = document.querySelector('[data-testid=\"stApp\"]');"
    " return !!app && app.dataset.testConnectionState === 'CONNECTED'"
    " && app.dataset.testScriptState !== 'running'"
    " && !document.querySelector('[data-stale=\"true\"]'); }"
)


def scenario(prefix: str, tree: Tree = UPWORK) -> Scenario:
    return next(s for s in tree.scenarios if s.name.startswith(prefix))


def facts(context: CaseContext) -> str:
    """The one-line summary of the review details above each question (as the page writes
    it, after "Upwork review · ")."""
    parts = [context.client_name, context.project_title]
    if context.rating is not None:
        parts.append(f"{context.rating:g} star{'' if context.rating == 1 else 's'}")
    if context.contract_end is not None:
        parts.append(f"ended {day(context.contract_end)}")
    return " · ".join(p for p in parts if p)


def settle(page: Page) -> None:
    """Wait until the app is connected, its script is not running and nothing is stale."""
    page.wait_for_function(IDLE)


def click_then_expect(page: Page, target: Locator, shown: Locator, tries: int = 2) -> None:
    """Click ``target`` once the page is idle and expect ``shown``; click again if it did not
    show. On a loaded machine (two cores running the suite) a click landing as Streamlit
    swaps the element's subtree is occasionally dropped by the browser; a person would click
    again, and so does this."""
    for attempt in range(tries):
        settle(page)
        target.click()
        try:
            expect(shown).to_be_visible(timeout=8_000)
            return
        except AssertionError:
            if attempt == tries - 1 or not target.is_visible():
                raise


def key(page: Page, name: str) -> Locator:
    """The element container of the widget with this Streamlit key."""
    return page.locator(f".st-key-{name}")


def main(page: Page) -> Locator:
    return page.get_by_test_id("stMain")


def sidebar(page: Page) -> Locator:
    return page.get_by_test_id("stSidebar")


def summary(page: Page, context: CaseContext, platform: str = "Upwork") -> Locator:
    """The review details' line above the question."""
    return main(page).get_by_text(f"{platform} review · {facts(context)}", exact=True)


def open_answers(page: Page) -> Locator:
    """Open the "Your answers" select box under the question and return its list."""
    listbox = page.get_by_role("listbox")
    settle(page)
    if listbox.count() == 0:
        click_then_expect(page, key(page, "answers").get_by_role("combobox"), listbox)
    expect(listbox).to_be_visible()
    return listbox


def current_question(page: Page) -> str | None:
    """The id of the question on screen (from its Continue button's key), or None."""
    settle(page)
    found = page.locator('[class*="st-key-next_"]')
    if found.count() == 0:
        return None
    classes = found.first.get_attribute("class") or ""
    match = re.search(r"\bst-key-next_(\S+)", classes)
    return match.group(1) if match else None


START_HEADING = "What do you need?"


def open_home(page: Page, query: str = "", tree: Tree | None = UPWORK) -> None:
    """Open the page's address (with ``query``); on the start screen, pick ``tree`` as a person
    would (``None``: stay on the start screen)."""
    page.goto("/" + query)
    page.wait_for_selector('[data-testid="stApp"]')
    settle(page)
    if not query and tree is not None and len(tree_ids()) > 1:
        pick(page, tree)


def pick(page: Page, tree: Tree) -> None:
    """Click the start screen's choice for ``tree``: its own, or its label's and then its
    platform ("Which platform?")."""
    expect(page.get_by_role("heading", name=START_HEADING, exact=True)).to_be_visible()
    settle(page)
    own = key(page, f"start_{tree.id}")
    if own.count() == 0 and tree.offer is not None:
        group = page.locator('[class*="st-key-start_group_"]').filter(has_text=tree.offer.label)
        group.get_by_role("button").first.click()
        expect(own).to_be_visible()
        settle(page)
    own.get_by_role("button").click()
    expect(own).to_have_count(0)
    settle(page)


def start_button(page: Page) -> Locator:
    """The intake's Start button (its label reads "Continue to the questions" once answered).

    Found by its key: "Start over" in the side panel also holds the word, and may still be on
    screen for a moment while the page goes back to the first screen.
    """
    return key(page, "in_start").get_by_role("button")


def expect_intake(page: Page) -> None:
    settle(page)
    expect(page.get_by_role("heading", name="Got a bad review?", exact=True)).to_be_visible()
    expect(start_button(page)).to_be_visible()
    settle(page)


def type_date(group: Locator, date: dt.date) -> None:
    """Type a date into a date box, as people write it, and leave the box."""
    box = group.get_by_role("textbox")
    box.fill(f"{date.day} {date:%b %Y}")
    box.press("Tab")


def fill_intake(page: Page, context: CaseContext) -> None:
    """Type the review details as a person would; each field is kept when it loses focus."""
    expect_intake(page)
    page.get_by_label(REVIEW, exact=True).fill(context.review_text)
    page.get_by_label("Client's name", exact=True).fill(context.client_name)
    page.get_by_label("Project title", exact=True).fill(context.project_title)
    if context.rating is not None:
        page.get_by_label("Stars the client gave", exact=True).fill(f"{context.rating:g}")
    if context.contract_end is not None:
        type_date(key(page, "in_end"), context.contract_end)
    if context.review_date is not None:
        type_date(key(page, "in_review_date"), context.review_date)
    if context.messages:
        page.get_by_text("Add the client's messages (optional)").click()
        page.get_by_label("Messages from the client", exact=True).fill(context.messages)
    page.keyboard.press("Tab")
    # Every field is sent when it loses focus; the page then mirrors it in its link. Wait until
    # the link holds all of them, so Start is pressed on a page that has everything.
    wait_for_link(page, lambda state: state.context == context, "the review details")


def link_state(page: Page) -> PageState:
    """The state the page's address holds (what a refresh or a shared link would restore)."""
    query = parse_qs(urlsplit(page.url).query)
    tree = query.get("tree", [CHOOSING])[-1]
    if "s" not in query:
        return PageState(tree=tree)
    return decode_payload(query["s"][-1], tree)


def wait_for_link(
    page: Page, check: Callable[[PageState], bool], what: str, timeout: float = TIMEOUT
) -> PageState:
    """Wait until the page's address holds a state that passes ``check``."""
    deadline = time.monotonic() + timeout
    while True:
        settle(page)
        state = link_state(page)
        if check(state):
            return state
        if time.monotonic() > deadline:
            raise AssertionError(f"the link never held {what}: {state}")
        page.wait_for_timeout(100)


def press_start(page: Page, context: CaseContext) -> None:
    """Press Start; a second time when the case has no review or no end date (the page first
    says what would help, then starts on the second press)."""
    start_button(page).click()
    if not context.review_text.strip() or context.contract_end is None:
        expect(main(page).get_by_text("Press the button again to start anyway")).to_be_visible()
        start_button(page).click()


def start(page: Page, context: CaseContext, first: str = "feedback_kind") -> None:
    """Press Start and check the first question is asked with every detail kept."""
    press_start(page, context)
    expect_question(page, first)
    expect(summary(page, context)).to_be_visible()


def expect_question(page: Page, qid: str, tree: Tree = UPWORK) -> None:
    question = tree.questions[qid]
    form = page.get_by_test_id("stForm")
    expect(form.get_by_role("heading", name=question.ask, exact=True)).to_be_visible()
    expect(key(page, f"next_{qid}")).to_be_visible()
    settle(page)
    assert current_question(page) == qid


def _tick(page: Page, box: Locator, role: str, label: str) -> None:
    option = box.get_by_role(role, name=label, exact=True)
    if not option.is_checked():
        # Streamlit hides the native input under its own drawing: click the label, like a person.
        box.locator("label").filter(has=page.get_by_role(role, name=label, exact=True)).click()
    expect(option).to_be_checked()


def choose(page: Page, qid: str, value: AnswerValue, tree: Tree = UPWORK) -> None:
    """Set the answer in the question's form (nothing is sent until Continue)."""
    question = tree.questions[qid]
    BROWSER_FILLERS[question.widget](page, qid, question, value)


def shown(label: str) -> str:
    """A label as the page writes it: a word joiner after ":" and "@" (see ui/text_marks.py),
    invisible on screen but part of the element's accessible name."""
    return label.replace(":", ":" + JOINER).replace("@", "@" + JOINER)


def _radio(page: Page, qid: str, question: Question, value: AnswerValue) -> None:
    label = next(c.label for c in question.choices if c.value == value)
    _tick(page, key(page, f"q_{qid}"), "radio", shown(label))


def _boxes(page: Page, qid: str, question: Question, value: AnswerValue) -> None:
    picked = value if isinstance(value, list) else [value]
    for choice in question.choices:
        box = key(page, f"q_{qid}__{choice.value}")
        option = box.get_by_role("checkbox", name=shown(choice.label), exact=True)
        if (choice.value in picked) != option.is_checked():
            box.locator("label").first.click()
        expect(option).to_be_checked(checked=choice.value in picked)


def _date(page: Page, qid: str, question: Question, value: AnswerValue) -> None:
    assert isinstance(value, str)
    if value:  # an optional date left empty: nothing to type
        type_date(key(page, f"q_{qid}"), dt.date.fromisoformat(value))


def _text(page: Page, qid: str, question: Question, value: AnswerValue) -> None:
    assert isinstance(value, str)
    box = key(page, f"q_{qid}").get_by_role("textbox")
    box.fill(value)
    expect(box).to_have_value(value)


# How a person fills each of the page's inputs (a question type names its input: model.py).
BROWSER_FILLERS: dict[str, Callable[[Page, str, Question, AnswerValue], None]] = {
    "radio": _radio,
    "boxes": _boxes,
    "date": _date,
    "text": _text,
}


def answer(page: Page, qid: str, value: AnswerValue, tree: Tree = UPWORK) -> None:
    """Answer the question on screen and wait until the page has moved past it."""
    assert current_question(page) == qid, (current_question(page), qid)
    choose(page, qid, value, tree)
    key(page, f"next_{qid}").get_by_role("button", name="Continue").click()
    expect(key(page, f"next_{qid}")).to_have_count(0)
    page.wait_for_selector('[class*="st-key-next_"], [data-testid="stMain"] h2')
    settle(page)


def drive(page: Page, answers: dict[str, AnswerValue], tree: Tree = UPWORK) -> list[str]:
    """Answer each question the page asks from ``answers`` until it asks one they lack.

    Returns the ids answered, in order.
    """
    done: list[str] = []
    for _ in range(40):
        qid = current_question(page)
        if qid is None or qid not in answers:
            return done
        answer(page, qid, answers[qid], tree)
        done.append(qid)
    raise AssertionError("the page kept asking questions")


def expect_outcome(page: Page, outcome: str, tree: Tree = UPWORK) -> None:
    title = tree.outcomes[outcome].title
    expect(main(page).get_by_role("heading", name=title, exact=True)).to_be_visible()
    settle(page)
    assert current_question(page) is None


def answer_buttons(page: Page) -> Locator:
    """The choices of the open "Your answers" box: "Edit the review details", one per answer,
    then "Start over"."""
    return page.get_by_role("listbox").get_by_role("option")


def expect_answers_listed(page: Page, answers: dict[str, AnswerValue], tree: Tree = UPWORK) -> None:
    """ "Your answers" lists exactly these answers (by their short names), in the person's words,
    each a choice that opens it for a change, between "Edit the review details" and
    "Start over". The box is closed again afterwards."""
    listbox = open_answers(page)
    options = answer_buttons(page)
    expected = (
        ["Edit the review details"]
        + [
            f"{tree.questions[qid].short or tree.questions[qid].ask}: "
            f"{tree.questions[qid].display(value)}"
            for qid, value in answers.items()
        ]
        + ["Start over"]
    )
    expect(options).to_have_count(len(expected))
    for i, text in enumerate(expected):
        expect(options.nth(i)).to_have_text(text)
    page.keyboard.press("Escape")
    expect(listbox).to_have_count(0)


def visible_text(page: Page) -> str:
    return str(page.locator("body").inner_text())


def no_error_screen(page: Page) -> None:
    """No exception box, no error box, no traceback text anywhere on the page."""
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    text = visible_text(page)
    for word in ("Traceback", "Exception", 'File "', "Error:"):
        assert word not in text, f"{word!r} on screen"
