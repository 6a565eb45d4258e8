"""The page, driven through Streamlit's AppTest: every scenario of every shipped tree to its end,
Back, changing an answer, forged links, uploads, the Authors page, and session isolation."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from triage.errors import TriageError
from triage.paths import tree_ids, trees_dir
from triage.tree.loader import load_tree
from triage.tree.model import (
    AnswerValue,
    Case,
    CaseContext,
    ManyChoice,
    Scenario,
    Tree,
)
from triage.ui.case_file import case_yaml
from triage.ui.intake_view import fill_first_screen
from triage.ui.safety import FRIENDLY
from triage.ui.state import NOTICE_DAMAGED, NOTICE_STALE, NOTICE_UNKNOWN_TREE, PageState
from triage.ui.text_marks import JOINER, escape
from triage.ui.url_codec import decode_payload, encode_params
from triage.ui.widgets import fill
from triage.walk.engine import start
from triage.walk.wording import fill as worded_text

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
TODAY = "2026-11-27"
TIMEOUT = 60


@pytest.fixture(autouse=True)
def pinned_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_TODAY", TODAY)


def shipped() -> Iterator[tuple[str, Tree]]:
    for name in tree_ids():
        yield name, load_tree(trees_dir() / f"{name}.yaml").tree


SCENARIOS = [
    pytest.param(tree, scenario, id=f"{name}: {scenario.name}")
    for name, tree in shipped()
    for scenario in tree.scenarios
]
UPWORK = load_tree(trees_dir() / "upwork.yaml").tree


# --- helpers -------------------------------------------------------------------------------------


def new_app(tree: str | None = "upwork") -> AppTest:
    """The page opened on ``tree``'s link (``None``: the bare address, the start screen)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if tree is not None:
        at.query_params = {"tree": tree}
    return at


def ok(at: AppTest) -> AppTest:
    """The run showed no exception and no error box."""
    assert not at.exception, [e.value for e in at.exception]
    assert not [e.value for e in at.error], [e.value for e in at.error]
    return at


def texts(at: AppTest) -> list[str]:
    """Every piece of text on the page (main area and sidebar)."""
    out: list[str] = []
    for kind in ("markdown", "caption", "header", "subheader", "title", "info", "warning",
                 "success", "error"):  # fmt: skip
        out.extend(str(e.value) for e in getattr(at, kind))
    out.extend(str(b.label) for b in at.button)
    for kind in ("radio", "checkbox", "text_area", "text_input", "date_input", "number_input"):
        out.extend(str(w.label) for w in getattr(at, kind))
    return out


def plain(markdown: str) -> str:
    """Markdown as read on screen: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown.replace(JOINER, ""), flags=re.DOTALL)


def page_text(at: AppTest) -> str:
    """All text on the page, as a person reads it (escapes removed)."""
    return plain("\n".join(texts(at)))


def current_question(at: AppTest) -> str | None:
    for button in at.button:
        if button.key and button.key.startswith("next_"):
            return button.key[len("next_") :]
    return None


def fill_intake(at: AppTest, scenario: Scenario) -> None:
    """Type the scenario's facts into the fields the first screen shows (a fact it doesn't ask
    for is given only to the engine: the test compares where both end)."""
    fill_first_screen(at, scenario.context)


def set_answer(at: AppTest, tree: Tree, qid: str, value: AnswerValue) -> None:
    fill(at, qid, tree.questions[qid], value)


def answer(at: AppTest, tree: Tree, qid: str, value: AnswerValue) -> AppTest:
    assert current_question(at) == qid, (current_question(at), qid)
    set_answer(at, tree, qid, value)
    return ok(at.button(key=f"next_{qid}").click().run())


def drive(at: AppTest, tree: Tree, answers: dict[str, AnswerValue], limit: int = 40) -> AppTest:
    """Answer each question the page asks from ``answers`` until it asks one they lack."""
    for _ in range(limit):
        qid = current_question(at)
        if qid is None or qid not in answers:
            return at
        answer(at, tree, qid, answers[qid])
    raise AssertionError("the page kept asking questions")


def pick(at: AppTest, tree: Tree) -> None:
    """On the start screen, choose ``tree``: its own choice, or its label's, then its platform."""
    keys = {b.key: b for b in at.button if b.key}
    if f"start_{tree.id}" not in keys and tree.offer is not None:
        group = next(
            (
                k
                for k, b in keys.items()
                if k.startswith("start_group_") and b.label == tree.offer.label
            ),
            None,
        )
        if group is not None:
            ok(at.button(key=group).click().run())
            keys = {b.key: b for b in at.button if b.key}
    if f"start_{tree.id}" in keys:
        ok(at.button(key=f"start_{tree.id}").click().run())


def begin(scenario: Scenario, tree: Tree = UPWORK) -> AppTest:
    """From the start screen: pick ``tree``, fill its first screen and press Start, as a person
    would: a second time when the page says what would help first (no review, no end date)."""
    at = ok(new_app(None).run())
    pick(at, tree)
    if not tree.intake:
        return at
    fill_intake(at, scenario)
    ok(at.button(key="in_start").click().run())
    if current_question(at) is None and at.warning:
        assert "Press the button again to start anyway" in at.warning[0].value
        ok(at.button(key="in_start").click().run())
    return at


def state_of(at: AppTest) -> PageState:
    value = at.session_state["tri.state"]
    assert isinstance(value, PageState)
    return value


def scenario_named(name: str) -> Scenario:
    return next(s for s in UPWORK.scenarios if s.name.startswith(name))


# --- every scenario, through the page ------------------------------------------------------------


@pytest.mark.parametrize(("tree", "scenario"), SCENARIOS)
def test_every_scenario_reaches_its_end_through_the_page(tree: Tree, scenario: Scenario) -> None:
    assert scenario.today == dt.date.fromisoformat(TODAY), "scenarios pin the day the tests pin"
    at = drive(begin(scenario, tree), tree, scenario.answers)
    expected = tree.nodes[scenario.expect]
    if scenario.expect in tree.outcomes:
        assert current_question(at) is None
        assert [h.value for h in at.header] == [escape(tree.outcomes[scenario.expect].title)]
        assert at.download_button(key="dl_case") is not None
    else:
        assert current_question(at) == scenario.expect
        # Worded with the facts the page was given ({client_name} and the rest).
        asked = worded_text(getattr(expected, "ask", ""), state_of(at).context)
        assert at.subheader[0].value == escape(asked)
    walk = start(tree, Case(tree=tree.id, today=scenario.today, context=scenario.context,
                            answers=dict(state_of(at).answers)))  # fmt: skip
    assert walk.at == scenario.expect
    # The link holds the same place: a new session opened on it lands there too.
    again = new_app()
    again.query_params = dict(at.query_params)
    ok(again.run())
    if scenario.expect in tree.outcomes:
        assert [h.value for h in again.header] == [h.value for h in at.header]
    else:
        assert current_question(again) == scenario.expect
    jargon = re.compile(r"\b(node|nodes|walk|yaml|tree)\b", re.IGNORECASE)
    for shown in (at, again):
        visible = page_text(shown).replace("(.yaml)", "")
        assert not jargon.search(visible), jargon.search(visible)


# --- the questions -------------------------------------------------------------------------------


def test_the_first_screen_is_calm_and_explains_the_link() -> None:
    at = ok(new_app().run())
    assert at.title[0].value == "Got a bad review?"
    assert at.button(key="in_start").label == "Start"
    assert "link" in page_text(at)
    assert at.query_params == {"tree": "upwork"}


def _two_trees(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A trees folder with the Upwork tree and a small tree that asks no facts first."""
    import yaml
    from tree_data import mini_tree_data

    (folder / "upwork.yaml").write_text((trees_dir() / "upwork.yaml").read_text("utf-8"), "utf-8")
    mini = mini_tree_data() | {
        "offer": {"label": "Something small", "help": "A short check.", "order": 9},
        "intake": [],
    }
    (folder / "mini.yaml").write_text(yaml.safe_dump(mini, sort_keys=False), "utf-8")
    monkeypatch.setenv("TRIAGE_TREES", str(folder))


def test_the_start_screen_offers_each_tree_in_its_own_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_trees(tmp_path, monkeypatch)
    at = ok(new_app(None).run())
    assert at.title[0].value == "What do you need?"
    picks = [b for b in at.button if b.key and b.key.startswith("start_")]
    assert [(b.key, b.label) for b in picks] == [
        ("start_upwork", "I got a bad review"),
        ("start_mini", "Something small"),
    ], "the trees' offer labels, in their order"
    assert "A short check." in page_text(at)
    assert at.query_params == {}, "no tree chosen yet: the bare address"
    # A tree that asks no facts first opens at its first question; the link names the tree.
    ok(at.button(key="start_mini").click().run())
    assert current_question(at) == "kind"
    assert at.query_params["tree"] == "mini"
    again = new_app(None)
    again.query_params = dict(at.query_params)
    assert current_question(ok(again.run())) == "kind", "a refresh lands on the same question"


def test_something_else_goes_back_to_the_start_screen_keeping_what_was_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_trees(tmp_path, monkeypatch)
    at = ok(new_app(None).run())
    ok(at.button(key="start_upwork").click().run())
    assert at.title[0].value == "Got a bad review?"
    at.text_input(key="in_client").set_value("Dana")
    ok(at.run())
    ok(at.button(key="in_back").click().run())
    assert at.title[0].value == "What do you need?"
    assert state_of(at).context.client_name == "Dana"
    assert "tree" not in at.query_params
    # A refresh on the start screen keeps the name too, and the next tree starts with it.
    again = new_app(None)
    again.query_params = dict(at.query_params)
    ok(again.run())
    assert again.title[0].value == "What do you need?"
    ok(again.button(key="start_upwork").click().run())
    assert again.text_input(key="in_client").value == "Dana", "never ask twice"


def test_with_one_tree_the_page_opens_on_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "upwork.yaml").write_text((trees_dir() / "upwork.yaml").read_text("utf-8"), "utf-8")
    monkeypatch.setenv("TRIAGE_TREES", str(tmp_path))
    at = ok(new_app(None).run())
    assert at.title[0].value == "Got a bad review?"
    assert not any(b.key == "in_back" for b in at.button), "nowhere else to go"


@pytest.mark.parametrize("name", [n for n, t in shipped() if t.offer is not None])
def test_the_start_screen_leads_into_every_shipped_tree(name: str) -> None:
    tree = load_tree(trees_dir() / f"{name}.yaml").tree
    at = ok(new_app(None).run())
    if len(tree_ids()) > 1:
        pick(at, tree)
    assert at.query_params["tree"] == name
    if tree.intake:
        expected = tree.offer.heading if tree.offer and tree.offer.heading else tree.title
        assert at.title[0].value == escape(expected)
    else:
        assert current_question(at) == tree.start


def test_back_keeps_the_answer_that_was_given() -> None:
    at = begin(scenario_named("Threat in Upwork Messages"))
    answer(at, UPWORK, "feedback_kind", "public")
    answer(at, UPWORK, "already_reported", "declined")
    assert current_question(at) == "main_complaint"
    at.radio(key="q_main_complaint").set_value("delay")
    ok(at.button(key="back_main_complaint").click().run())
    assert current_question(at) == "already_reported"
    assert at.radio(key="q_already_reported").value == "declined"
    assert state_of(at).answers == {"feedback_kind": "public"}
    ok(at.button(key="next_already_reported").click().run())
    assert current_question(at) == "main_complaint"
    assert at.radio(key="q_main_complaint").value == "delay"  # kept through Back, not submitted


def test_back_from_the_first_question_returns_to_the_review() -> None:
    scenario = scenario_named("Threat in Upwork Messages")
    at = begin(scenario)
    ok(at.button(key="back_feedback_kind").click().run())
    assert current_question(at) is None
    assert at.text_area(key="in_review").value == scenario.context.review_text
    assert at.text_input(key="in_client").value == "Dana"
    ok(at.button(key="in_start").click().run())
    assert current_question(at) == "feedback_kind"


def test_continuing_without_an_answer_asks_for_one() -> None:
    at = begin(scenario_named("Threat in Upwork Messages"))
    ok(at.button(key="next_feedback_kind").click().run())
    assert current_question(at) == "feedback_kind"
    assert "Pick an answer to continue." in [w.value for w in at.warning]
    answer(at, UPWORK, "feedback_kind", "public")
    answer(at, UPWORK, "already_reported", "not_yet")
    for choice in ("threatened_review", "offered_incentive", "withheld_something", "none_of_these"):
        at.checkbox(key=f"q_client_pressure__{choice}").set_value(False)
    ok(at.button(key="next_client_pressure").click().run())
    assert any("Tick at least one box" in w.value for w in at.warning)


def test_none_of_these_cannot_be_ticked_with_another_box() -> None:
    question = UPWORK.questions["client_pressure"]
    assert isinstance(question, ManyChoice)
    alone = [c for c in question.choices if c.exclusive]
    assert alone, 'the tree marks "None of these" as exclusive'
    at = begin(scenario_named("Threat in Upwork Messages"))
    answer(at, UPWORK, "feedback_kind", "public")
    answer(at, UPWORK, "already_reported", "not_yet")
    at.checkbox(key="q_client_pressure__threatened_review").check()
    at.checkbox(key=f"q_client_pressure__{alone[0].value}").check()
    ok(at.button(key="next_client_pressure").click().run())
    assert current_question(at) == "client_pressure"
    assert any("cannot be ticked with other choices" in plain(w.value) for w in at.warning)


def test_progress_moves_forward() -> None:
    at = begin(scenario_named("Threat in Upwork Messages"))
    first = at.get("progress")[0].proto.value
    answer(at, UPWORK, "feedback_kind", "public")
    assert at.get("progress")[0].proto.value > first


def test_changing_an_earlier_answer_keeps_later_ones_and_says_the_result_changed() -> None:
    scenario = scenario_named("Competitor posing as a client")
    at = drive(begin(scenario), UPWORK, scenario.answers)
    assert at.header[0].value == escape(UPWORK.outcomes["report_conflict_of_interest"].title)
    ok(at.selectbox(key="answers").set_value("review_language").run())
    assert at.radio(key="q_review_language").value == "no"
    at.radio(key="q_review_language").set_value("yes")
    ok(at.button(key="save_review_language").click().run())
    assert at.header[0].value == escape(UPWORK.outcomes["report_inappropriate"].title)
    notice = " ".join(w.value for w in at.warning)
    assert "3 later answers still apply and were kept" in notice
    assert "The result has changed" in notice
    assert state_of(at).answers["reviewer_connection"] == "competitor"


def test_cancelling_a_change_keeps_everything() -> None:
    scenario = scenario_named("Competitor posing as a client")
    at = drive(begin(scenario), UPWORK, scenario.answers)
    before = dict(state_of(at).answers)
    ok(at.selectbox(key="answers").set_value("already_reported").run())
    at.radio(key="q_already_reported").set_value("declined")
    ok(at.button(key="cancel_already_reported").click().run())
    assert dict(state_of(at).answers) == before
    assert at.header[0].value == escape(UPWORK.outcomes["report_conflict_of_interest"].title)


def test_start_over_asks_first_then_clears_everything() -> None:
    scenario = scenario_named("Threat in Upwork Messages")
    at = begin(scenario)
    answer(at, UPWORK, "feedback_kind", "public")
    ok(at.selectbox(key="answers").set_value("__start_over").run())
    assert state_of(at).answers  # nothing cleared yet
    assert "clears the review" in at.warning[0].value
    ok(at.button(key="side_reset_yes").click().run())
    assert state_of(at) == PageState(tree="upwork")
    assert at.text_area(key="in_review").value == ""
    assert at.query_params == {"tree": "upwork"}


def test_the_answers_box_lists_each_answer_and_says_what_the_link_holds() -> None:
    scenario = scenario_named("Threat in Upwork Messages")
    at = begin(scenario)
    answer(at, UPWORK, "feedback_kind", "public")
    box = at.selectbox(key="answers")
    assert box.label == "Your answers (1): pick one to change it"
    assert box.value is None, "nothing picked: the box is an action, not a setting"
    shown = list(box.options)  # as the person reads them
    question = UPWORK.questions["feedback_kind"]
    assert shown == [
        "Edit the review details",
        f"{question.short or question.ask}: {question.display('public')}",
        "Start over",
    ]
    assert "link holds your answers" in box.help


def test_after_start_nothing_is_in_the_side_panel() -> None:
    at = ok(new_app().run())
    assert "How it works" in " ".join(str(m.value) for m in at.sidebar.markdown)
    at = begin(scenario_named("Threat in Upwork Messages"))
    assert current_question(at) is not None
    assert len(at.sidebar.children) == 0, "a phone shows no panel over the question"


def test_the_authors_page_is_a_button_away_and_back_keeps_the_case() -> None:
    at = begin(scenario_named("Threat in Upwork Messages"))
    answer(at, UPWORK, "feedback_kind", "public")
    before = state_of(at)
    # Edit the details to reach the first screen, whose side panel holds the link.
    ok(at.selectbox(key="answers").set_value("__details").run())
    ok(at.button(key="to_authors").click().run())
    assert at.query_params == {"page": "authors"}
    assert at.title[0].value == "Check a decision tree"
    ok(at.button(key="to_triage").click().run())
    assert state_of(at).answers == before.answers, "nothing was lost on the way"
    assert at.query_params["tree"] == "upwork"


# --- the outcomes --------------------------------------------------------------------------------


def copy_buttons(at: AppTest) -> list[str]:
    """The page of each copy button (its iframe's HTML), with the text it copies as JSON."""
    return [
        str(e.proto.srcdoc).replace("\\u003c", "<").replace("\\u003e", ">")
        for e in at.get("iframe")
    ]


def test_a_dispute_shows_the_warning_checklist_dates_report_and_fallback() -> None:
    scenario = scenario_named("Threat in Upwork Messages")
    at = drive(begin(scenario), UPWORK, scenario.answers)
    outcome = UPWORK.outcomes["report_manipulation"]
    assert "You can report this review only once" in page_text(at)
    # The text to paste comes first, with its copy button, before the checklist and the dates.
    report = at.code[0].value
    assert report.startswith("Hello,")
    assert json.dumps(report) in copy_buttons(at)[0]
    boxes = [c for c in at.checkbox if c.key and c.key.startswith("ev_")]
    assert [c.label for c in boxes] == [escape(e.item) for e in outcome.evidence]
    boxes[0].check().run()
    assert state_of(at).ticks == {"report_manipulation": (0,)}
    assert decode_payload(at.query_params["s"]).ticks == {"report_manipulation": (0,)}
    text = page_text(at)
    assert "days left" in text
    assert {"dl_md", "dl_txt", "dl_case"} <= {b.key for b in at.download_button}
    assert at.code, "copy boxes"
    assert at.text_area(key="edit_report_manipulation_reply").value


def test_the_reply_is_tone_checked_as_it_is_edited_and_kept_in_the_link() -> None:
    scenario = scenario_named("Partly related criticism")
    at = drive(begin(scenario), UPWORK, scenario.answers)
    box = at.text_area(key="edit_respond_publicly_reply")
    draft = box.value
    assert draft
    box.set_value("Thanks. You are an IDIOT and I WILL SUE YOU.").run()
    ok(at)
    shown = page_text(at)
    assert ":red-background[IDIOT]" in shown
    assert "Before you post:" in shown
    assert "line 1" in shown
    # The reply appears once: the edit box, whose copy button copies the edit and, with
    # "Change this" findings, asks before copying.
    assert not [c for c in at.code if "IDIOT" in (c.value or "")]
    (button,) = copy_buttons(at)
    assert json.dumps("Thanks. You are an IDIOT and I WILL SUE YOU.") in button
    assert "Copy it anyway?" in button
    edits = decode_payload(at.query_params["s"]).edits
    assert edits == {"respond_publicly/reply": "Thanks. You are an IDIOT and I WILL SUE YOU."}
    # A refresh (a new session on the same link) keeps the edit.
    again = new_app()
    again.query_params = dict(at.query_params)
    ok(again.run())
    kept = again.text_area(key="edit_respond_publicly_reply").value
    assert kept is not None and kept.startswith("Thanks. You are")
    # Back to the suggested draft.
    ok(at.button(key="reset_respond_publicly_reply").click().run())
    assert at.text_area(key="edit_respond_publicly_reply").value == draft
    assert decode_payload(at.query_params["s"]).edits == {}


def test_the_saved_answers_download_is_the_case_file() -> None:
    scenario = scenario_named("Threat in Upwork Messages")
    at = drive(begin(scenario), UPWORK, scenario.answers)
    walk = start(UPWORK, Case(tree="upwork", today=scenario.today, context=scenario.context,
                              answers=scenario.answers))  # fmt: skip
    data = at.download_button(key="dl_case").proto
    assert data.label == "Your saved answers (.yaml)"
    assert case_yaml(walk).startswith("# Your saved answers")


# --- nothing lost: the link ----------------------------------------------------------------------


def test_the_intake_is_mirrored_in_the_link_as_it_is_typed() -> None:
    at = ok(new_app().run())
    at.text_area(key="in_review").set_value("Late and rude.").run()
    again = new_app()
    again.query_params = dict(at.query_params)
    ok(again.run())
    assert again.text_area(key="in_review").value == "Late and rude."


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"tree": "myspace"}, NOTICE_UNKNOWN_TREE),
        ({"tree": "../decision_trees/upwork.yaml"}, NOTICE_UNKNOWN_TREE),
        ({"tree": "upwork", "s": "%%%garbage%%%"}, NOTICE_DAMAGED),
        ({"tree": "upwork", "s": "eJzLSM3JyVcozy_KSQEAGgQEXQ"}, NOTICE_DAMAGED),
        (
            encode_params(
                PageState(tree="upwork", started=True, answers={"no_such_question": "yes"})
            )[0],
            NOTICE_STALE,
        ),
        (
            encode_params(
                PageState(tree="upwork", started=True, answers={"feedback_kind": "sideways"})
            )[0],
            NOTICE_STALE,
        ),
        (
            encode_params(
                PageState(
                    tree="upwork",
                    context=CaseContext(contract_end=dt.date(2030, 1, 1)),
                    started=True,
                )
            )[0],
            NOTICE_DAMAGED,
        ),
    ],
)
def test_forged_links_start_clean_with_a_short_notice(params: dict[str, str], notice: str) -> None:
    at = new_app()
    at.query_params = dict(params)
    ok(at.run())
    assert [i.value for i in at.info] == [escape(notice)]
    assert current_question(at) is None
    if notice == NOTICE_UNKNOWN_TREE and len(tree_ids()) > 1:
        # No tree to fall back on: the start screen, "What do you need?".
        assert at.title[0].value == "What do you need?"
        assert at.query_params == {}
    else:
        assert at.button(key="in_start")
        assert at.query_params == {"tree": "upwork"}
    ok(at.run())
    assert not at.info, "the notice shows once"


def test_two_sessions_never_share_answers() -> None:
    scenario = scenario_named("Threat in Upwork Messages")
    first = begin(scenario)
    answer(first, UPWORK, "feedback_kind", "public")
    second = ok(new_app().run())
    assert state_of(second) == PageState(tree="upwork")
    assert second.text_area(key="in_review").value == ""
    second.text_area(key="in_review").set_value("Someone else's review.").run()
    answer(first, UPWORK, "already_reported", "not_yet")
    assert state_of(first).context.review_text == scenario.context.review_text
    assert state_of(first).answers == {"feedback_kind": "public", "already_reported": "not_yet"}
    assert state_of(second).answers == {}


# --- uploads -------------------------------------------------------------------------------------


def test_uploading_a_saved_case_resumes_the_check() -> None:
    scenario = scenario_named("Threat in Upwork Messages")
    walk = start(UPWORK, Case(tree="upwork", context=scenario.context, answers=scenario.answers))
    at = ok(new_app().run())
    at.file_uploader(key="in_upload").upload("saved.yaml", case_yaml(walk).encode(), "text/yaml")
    ok(at.run())
    assert at.header[0].value == escape(UPWORK.outcomes["report_manipulation"].title)
    assert "Welcome back" in at.success[0].value
    assert state_of(at).context.client_name == "Dana"


def test_an_uploaded_case_gives_back_the_edited_reply_and_the_ticks() -> None:
    scenario = scenario_named("Partly related criticism")
    walk = start(UPWORK, Case(tree="upwork", context=scenario.context, answers=scenario.answers))
    mine = "Thank you for the review. I delivered every page on 12 November."
    state = PageState(
        context=scenario.context,
        answers=dict(walk.answers),
        edits={"respond_publicly/reply": mine, "other_outcome/reply": "dropped"},
        ticks={"respond_publicly": (0,)},
        started=True,
    )
    saved = case_yaml(walk, state)
    assert "other_outcome" not in saved
    at = ok(new_app().run())
    at.file_uploader(key="in_upload").upload("saved.yaml", saved.encode(), "text/yaml")
    ok(at.run())
    assert at.text_area(key="edit_respond_publicly_reply").value == mine
    assert state_of(at).edits == {"respond_publicly/reply": mine}


def test_the_review_and_the_phrase_that_bears_on_it_are_at_the_question() -> None:
    scenario = scenario_named("Threat in Upwork Messages")
    at = begin(scenario)
    for qid in ("feedback_kind", "already_reported"):
        answer(at, UPWORK, qid, scenario.answers[qid])
    assert current_question(at) == "client_pressure"
    # The pressure question quotes the message the pre-screen flagged, and ticks nothing.
    noticed = page_text(at)
    assert "What the pre-screen noticed for this question" in noticed
    assert "the client's messages" in noticed
    assert UPWORK.grounds["manipulation"].name in noticed
    assert not any(c.value for c in at.checkbox if c.key and c.key.startswith("q_client_pressure"))
    box = [e for e in at.expander if e.label.startswith("The review")]
    assert len(box) == 1 and box[0].proto.expanded  # open on a question about the text
    answer(at, UPWORK, "client_pressure", scenario.answers["client_pressure"])
    assert current_question(at) == "pressure_where"
    box = [e for e in at.expander if e.label.startswith("The review")]
    assert len(box) == 1 and not box[0].proto.expanded  # folded elsewhere, but there


def test_start_says_what_would_help_before_the_questions() -> None:
    at = ok(new_app().run())
    ok(at.button(key="in_start").click().run())
    assert current_question(at) is None
    warned = at.warning[0].value
    assert "paste the review" in warned.lower() and "end date" in warned
    ok(at.button(key="in_start").click().run())  # a second press starts anyway
    assert current_question(at) == "feedback_kind"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("2026/11/10", "2026-11-10"), ("10 Nov 2026", "2026-11-10"), ("Nov 10", "2026-11-10")],
)
def test_a_date_is_typed_as_people_write_it(typed: str, stored: str) -> None:
    scenario = scenario_named("End date typed in, 17 days ago")
    at = begin(scenario)
    answer(at, UPWORK, "feedback_kind", "public")
    assert current_question(at) == "contract_end_date"
    at.text_input(key="q_contract_end_date").set_value(typed)
    ok(at.button(key="next_contract_end_date").click().run())
    assert state_of(at).answers["contract_end_date"] == stored


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"tree: upwork\nanswers: [\n", r"saved\.yaml:\d+:\d+: the file ends too early"),
        (b"tree: ../../etc/passwd\n", "doesn't know"),
        (b"answers: {feedback_kind: public}\n", 'it has no "tree:" line'),
        (b"tree: upwork\nanswers: {feedback_kind: sideways}\n", "sideways"),
    ],
)
def test_a_bad_case_file_gets_a_clear_message(content: bytes, expected: str) -> None:
    at = ok(new_app().run())
    at.file_uploader(key="in_upload").upload("saved.yaml", content, "text/yaml")
    at.run()
    assert not at.exception
    errors = [plain(e.value) for e in at.error]
    assert len(errors) == 1 and re.search(expected, errors[0]), errors
    assert errors[0].startswith("This file can't be used")
    assert state_of(at) == PageState(tree="upwork")
    at.run()
    assert [plain(e.value) for e in at.error] == errors, "the message stays while the file is there"


# --- safety --------------------------------------------------------------------------------------


def test_review_text_is_shown_escaped() -> None:
    nasty = "Refund me or I'll leave one star [x](javascript:alert(1)) <b>hi</b> **b** :red[x]"
    at = ok(new_app().run())
    at.text_area(key="in_review").set_value(nasty).run()
    shown = [m.value for m in at.markdown if "javascript" in m.value]
    assert shown, page_text(at)
    for markdown in shown:
        assert "](javascript" not in markdown
        assert "\\[x\\]\\(javascript\\:" in markdown
        assert (
            "\\<b\\>" in markdown
            and "\\*\\*b\\*\\*" in markdown
            and "\\:" + JOINER + "red\\[x\\]" in markdown
        )
    assert any(":orange-background[" in m for m in shown), "the pre-screen highlights"


def test_an_unexpected_error_shows_a_friendly_message(monkeypatch: pytest.MonkeyPatch) -> None:
    import triage.ui.triage_page as page

    def broken(*_: object) -> None:
        raise TriageError("boom /srv/secret/path")

    monkeypatch.setattr(page, "show_intake", broken)
    at = new_app().run()
    assert not at.exception
    assert [e.value for e in at.error] == [FRIENDLY]
    assert "/srv/secret" not in page_text(at)


# --- trees: cached, frozen, fresh ----------------------------------------------------------------


def test_a_cached_tree_cannot_be_changed() -> None:
    from pydantic import ValidationError

    from triage.ui.trees import load_shipped

    tree = load_shipped("upwork")
    assert load_shipped("upwork") is tree, "one shared copy"
    with pytest.raises(ValidationError):
        tree.title = "Hacked"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        tree.nodes["feedback_kind"].ask = "Hacked?"  # type: ignore[misc,union-attr]
    with pytest.raises(ValidationError):
        tree.sources["feedback_removal"].url = "https://evil.example"  # type: ignore[misc]
    assert load_shipped("upwork").title == UPWORK.title


def test_an_edited_tree_file_shows_without_a_restart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from triage.ui.trees import load_shipped

    copy = tmp_path / "upwork.yaml"
    copy.write_text((trees_dir() / "upwork.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("TRIAGE_TREES", str(tmp_path))
    assert load_shipped("upwork").title == UPWORK.title
    text = copy.read_text(encoding="utf-8").replace(f"title: {UPWORK.title}", "title: Edited", 1)
    copy.write_text(text, encoding="utf-8")
    stat = copy.stat()
    os.utime(copy, (stat.st_atime, stat.st_mtime + 5))
    assert load_shipped("upwork").title == "Edited"


# --- the authors' page ---------------------------------------------------------------------------


def authors(monkeypatch: pytest.MonkeyPatch, folder: Path) -> AppTest:
    monkeypatch.setenv("TRIAGE_TREES", str(folder))
    at = new_app(None)
    at.query_params = {"page": "authors"}  # the Authors page's link
    at.run()
    assert not at.exception
    return at


def test_the_authors_page_shows_a_broken_trees_problems_located(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    at = authors(monkeypatch, ROOT / "tests" / "trees")
    at.selectbox(key="au_tree").select("broken")
    at.run()
    assert not at.exception
    shown = page_text(at)
    assert "line 24, column 9" in shown
    assert 'did you mean "threat"?' in shown
    assert "line 43, column 3" in shown
    assert any("the tree can't be used" in e.value for e in at.error)
    assert "scenarios pass" in shown


def test_the_authors_page_checks_the_shipped_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    at = authors(monkeypatch, trees_dir())
    shown = page_text(at)
    assert "No errors" in shown or "No problems found" in shown
    passed = re.search(r"\*\*(\d+) of (\d+)\*\* scenarios pass", shown)
    assert passed and passed.group(1) == passed.group(2)


def test_the_authors_page_checks_an_uploaded_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    at = authors(monkeypatch, trees_dir())
    at.radio(key="au_source").set_value("uploaded").run()
    broken = (ROOT / "tests" / "trees" / "broken.yaml").read_bytes()
    at.file_uploader(key="au_upload").upload("mine.yaml", broken, "text/yaml")
    ok_run = at.run()
    assert not ok_run.exception
    shown = page_text(at)
    assert "line 24, column 9" in shown
    assert "Problems in mine.yaml" in shown
    bad = b"id: x\nnodes: {a: {type: nope}}\n"
    at.file_uploader(key="au_upload").clear().upload("bad.yaml", bad, "text/yaml")
    at.run()
    assert not at.exception
    assert "line 2" in page_text(at)


def test_a_misspelt_go_shows_one_problem_first_and_the_rest_under_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (trees_dir() / "upwork.yaml").read_text(encoding="utf-8")
    (tmp_path / "upwork.yaml").write_text(
        text.replace("    go: already_reported", "    go: already_reportd", 1), encoding="utf-8"
    )
    at = authors(monkeypatch, tmp_path)
    headline = at.error[0].value
    assert headline.startswith("1 problem to fix (and ")
    assert "that follow from it" in headline
    follow = [e for e in at.expander if "that follow from line" in e.label]
    assert len(follow) == 1
    found = re.search(r"follow from line (\d+)", follow[0].label)
    assert found is not None
    line = int(found.group(1))
    shown = page_text(at)
    assert 'did you mean "already_reported"?' in shown
    # The file opens at the problem, the line marked.
    assert any(f"▶ {line} |" in (c.value or "") for c in at.code)
    # Scenario results carry words, not only icons.
    assert "failed" in str(at.dataframe[0].value)


def test_an_explanation_shows_its_sources_on_the_page() -> None:
    """A kind with shows_document (the Job Success Score's explain) hands over nothing to copy:
    the page shows the document itself, sections and sources, not only its summary."""
    tree = load_tree(trees_dir() / "upwork_job_success.yaml").tree
    kinds = {o.kind for o in tree.outcomes.values()}
    assert kinds == {"explain"} and tree.kinds["explain"].shows_document
    scenario = next(s for s in tree.scenarios if s.expect in tree.outcomes)
    at = drive(begin(scenario, tree), tree, scenario.answers)
    outcome = tree.outcomes[scenario.expect]
    shown = page_text(at)
    assert "What Upwork publishes" in shown
    cited = [tree.sources[k].title for k in tree.sources if tree.sources[k].title in shown]
    assert cited, "the page names the pages its facts come from"
    assert "checked" in shown
    assert outcome.title in [plain(h.value) for h in at.header]


def test_questions_use_the_names_given_on_the_first_screen() -> None:
    """Never ask twice: the client's name typed once is in the questions that follow."""
    tree = load_tree(trees_dir() / "upwork_leave_feedback.yaml").tree
    scenario = next(
        s for s in tree.scenarios if s.expect in tree.outcomes and s.context.client_name
    )
    at = begin(scenario, tree)
    for _ in range(20):
        qid = current_question(at)
        assert qid is not None and qid in scenario.answers, "a worded question comes first"
        if "{client_name}" in tree.questions[qid].ask:
            break
        answer(at, tree, qid, scenario.answers[qid])
    shown = plain(at.subheader[0].value)
    assert shown == worded_text(tree.questions[qid].ask, scenario.context)
    assert scenario.context.client_name in shown and "{" not in shown


def test_trees_offered_under_one_label_ask_which_platform(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (trees_dir() / "upwork.yaml").read_text("utf-8")
    (tmp_path / "upwork.yaml").write_text(text, "utf-8")
    other = text.replace("id: upwork\n", "id: other\n").replace(
        "platform: Upwork\n", "platform: Otherplace\n"
    )
    (tmp_path / "other.yaml").write_text(other, "utf-8")
    monkeypatch.setenv("TRIAGE_TREES", str(tmp_path))
    at = ok(new_app(None).run())
    picks = [(b.key, b.label) for b in at.button if b.key and b.key.startswith("start")]
    assert picks == [("start_group_0", "I got a bad review")], "one choice for the label"
    assert "On Otherplace or Upwork" in page_text(at)
    ok(at.button(key="start_group_0").click().run())
    assert at.title[0].value == "I got a bad review"
    platforms = [(b.key, b.label) for b in at.button if b.key and b.key.startswith("start_")]
    assert platforms == [
        ("start_back", "Something else"),
        ("start_other", "Otherplace"),
        ("start_upwork", "Upwork"),
    ]
    ok(at.button(key="start_back").click().run())
    assert at.title[0].value == "What do you need?"
    ok(at.button(key="start_group_0").click().run())
    ok(at.button(key="start_upwork").click().run())
    assert at.title[0].value == "Got a bad review?"
    assert at.query_params["tree"] == "upwork"


def test_the_first_screen_says_what_the_platform_calls_the_reviewer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (trees_dir() / "upwork.yaml").read_text("utf-8")
    assert "settings:\n" in text
    (tmp_path / "upwork.yaml").write_text(
        text.replace("settings:\n", "settings:\n  other_party: guest\n", 1), "utf-8"
    )
    monkeypatch.setenv("TRIAGE_TREES", str(tmp_path))
    at = ok(new_app().run())
    labels = [w.label for w in at.text_input] + [w.label for w in at.text_area]
    assert "Guest's name" in labels and "The review, as the guest wrote it" in labels
    assert "Stars the guest gave" in [w.label for w in at.number_input]
    assert not [label for label in labels if "client" in label.lower()]
