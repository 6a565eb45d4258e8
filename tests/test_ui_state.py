"""The page's pure parts: URL state, case files, uploads, escaping, progress and change notices.

No Streamlit here: these run in milliseconds and pin down what the page relies on.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import string
import zlib
from collections.abc import Mapping
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage.tree.loader import load_case_text, load_tree
from triage.tree.model import AnswerValue, Case, CaseContext, Tree
from triage.tree.topology import most_questions_left
from triage.ui import state as ui_state
from triage.ui.case_file import UploadError, case_yaml, state_from_upload
from triage.ui.changes import describe, summarise
from triage.ui.clock import pinned_today
from triage.ui.progress import progress
from triage.ui.state import NOTICE_DAMAGED, NOTICE_STALE, NOTICE_UNKNOWN_TREE, PageState, case_of
from triage.ui.text_marks import (
    INLINE_SPECIAL,
    JOINER,
    Mark,
    escape,
    excerpt,
    excerpts,
    highlight,
    line_of,
    link,
)
from triage.ui.url_codec import MAX_PARAM, decode_payload, encode_params, encode_payload, restore
from triage.walk.engine import start

ROOT = Path(__file__).resolve().parent.parent
UPWORK: Tree = load_tree(ROOT / "decision_trees" / "upwork.yaml").tree
TREES = ["upwork"]
TODAY = dt.date(2026, 11, 27)


def load(name: str) -> Tree:
    assert name == "upwork"
    return UPWORK


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def payload(data: object) -> str:
    return b64(zlib.compress(json.dumps(data).encode()))


MANIPULATION: dict[str, AnswerValue] = {
    "feedback_kind": "public",
    "already_reported": "not_yet",
    "client_pressure": ["threatened_review"],
    "pressure_where": "upwork_messages",
    "pressure_demand": "",
    "review_language": "no",
    "review_relevance": "about_the_work",
    "reviewer_connection": "genuine",
    "agency_account": "no",
}
CONTEXT = CaseContext(
    client_name="Dana",
    project_title="Landing page redesign",
    contract_end=dt.date(2026, 11, 20),
    rating=1,
    review_text="Refund me or I'll leave one star.",
)


# --- URL state -----------------------------------------------------------------------------------

texts = st.text(max_size=300)
answer_values = st.one_of(st.text(max_size=40), st.lists(st.text(max_size=20), max_size=4))
states = st.builds(
    PageState,
    tree=st.just("upwork"),
    context=st.builds(
        CaseContext,
        client_name=st.text(max_size=200),
        project_title=st.text(max_size=300),
        contract_end=st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)),
        rating=st.none() | st.floats(0, 5, allow_nan=False),
        review_text=texts,
        messages=texts,
    ),
    answers=st.dictionaries(st.from_regex(r"[a-z][a-z_]{0,20}", fullmatch=True), answer_values),
    started=st.booleans(),
    running=st.booleans(),
    edits=st.dictionaries(st.text(max_size=30), texts, max_size=3),
    ticks=st.dictionaries(
        st.text(max_size=30),
        st.lists(st.integers(0, 99), max_size=5, unique=True).map(lambda v: tuple(sorted(v))),
        max_size=3,
    ),
)


@given(states)
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
def test_every_state_round_trips_through_the_url(state: PageState) -> None:
    assert decode_payload(encode_payload(state), state.tree) == state


@given(states)
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
def test_url_parameters_are_plain_ascii_and_bounded(state: PageState) -> None:
    params, dropped = encode_params(state)
    assert params["tree"] == "upwork"
    assert not dropped
    if state.is_blank:
        assert "s" not in params
    else:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", params["s"])
        assert len(params["s"]) <= MAX_PARAM


def test_a_blank_state_keeps_the_link_clean() -> None:
    assert encode_params(PageState(tree="upwork")) == ({"tree": "upwork"}, ())
    assert encode_params(PageState()) == ({}, ()), "no tree chosen: the bare address"


def _noise(n: int, seed: int) -> str:
    # Text that does not compress: what a worst-case paste looks like to zlib.
    import random

    rng = random.Random(seed)
    return "".join(rng.choice(string.ascii_letters + string.digits + "äöüçøł€") for _ in range(n))


def test_long_texts_leave_the_link_in_order_messages_first() -> None:
    context = CONTEXT.model_copy(update={"messages": _noise(40_000, 1)})
    state = PageState(
        tree="upwork", context=context, started=True, answers={"feedback_kind": "public"}
    )
    params, dropped = encode_params(state)
    assert dropped == ("messages",)
    assert len(params["s"]) <= MAX_PARAM
    back = decode_payload(params["s"])
    assert back.context.messages == ""
    assert back.context.review_text == CONTEXT.review_text
    assert back.answers == {"feedback_kind": "public"}


def _cjk_noise(n: int, seed: int) -> str:
    import random

    rng = random.Random(seed)
    return "".join(chr(rng.randrange(0x4E00, 0x9FFF)) for _ in range(n))


def test_a_huge_review_is_left_out_last() -> None:
    context = CONTEXT.model_copy(
        update={"messages": _noise(30_000, 2), "review_text": _cjk_noise(20_000, 3)}
    )
    state = PageState(tree="upwork", context=context, edits={"x/reply": _noise(20_000, 4)})
    params, dropped = encode_params(state)
    assert dropped == ("messages", "edits", "review_text")
    assert len(params["s"]) <= MAX_PARAM


def test_no_link_gives_a_fresh_start_without_a_notice() -> None:
    assert restore({}, TREES, load) == ui_state.Restored(PageState(tree="upwork"))


def test_a_valid_link_restores_the_walk() -> None:
    state = PageState(tree="upwork", context=CONTEXT, answers=MANIPULATION, started=True)
    params, _ = encode_params(state)
    restored = restore(params, TREES, load, TODAY)
    assert restored.notice is None
    assert restored.state == state
    assert start(UPWORK, case_of(restored.state, TODAY)).at == "report_manipulation"


def test_repeated_parameters_use_the_last_value() -> None:
    params, _ = encode_params(PageState(tree="upwork", context=CONTEXT, started=True))
    restored = restore({"tree": ["nope", "upwork"], "s": ["junk", params["s"]]}, TREES, load)
    assert restored.notice is None
    assert restored.state.context == CONTEXT


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"tree": "fiverr"}, NOTICE_UNKNOWN_TREE),
        ({"tree": "../../etc/passwd"}, NOTICE_UNKNOWN_TREE),
        ({"tree": "decision_trees/upwork.yaml"}, NOTICE_UNKNOWN_TREE),
        ({"tree": "upwork", "s": "!!!not base64!!!"}, NOTICE_DAMAGED),
        ({"tree": "upwork", "s": b64(b"not zlib at all")}, NOTICE_DAMAGED),
        ({"tree": "upwork", "s": b64(zlib.compress(b"\xff\xfe"))}, NOTICE_DAMAGED),
        ({"tree": "upwork", "s": b64(zlib.compress(b"[1, 2]"))}, NOTICE_DAMAGED),
        ({"tree": "upwork", "s": payload({"v": 2, "p": 1})}, NOTICE_DAMAGED),
        ({"tree": "upwork", "s": payload({"v": 1, "x": 1})}, NOTICE_DAMAGED),
        ({"tree": "upwork", "s": payload({"v": 1, "p": "yes"})}, NOTICE_DAMAGED),
        ({"tree": "upwork", "s": payload({"v": 1, "c": {"rating": 9}})}, NOTICE_DAMAGED),
        ({"tree": "upwork", "s": payload({"v": 1, "c": {"evil": 1}})}, NOTICE_DAMAGED),
        ({"tree": "upwork", "s": payload({"v": 1, "a": {"q": {"x": 1}}})}, NOTICE_DAMAGED),
        ({"tree": "upwork", "s": payload({"v": 1, "k": {"o": [-1]}})}, NOTICE_DAMAGED),
        ({"tree": "upwork", "s": payload({"v": 1, "e": {"o/reply": 5}})}, NOTICE_DAMAGED),
        ({"tree": "upwork", "s": "A" * 70_000}, NOTICE_DAMAGED),
        (
            {"tree": "upwork", "s": payload({"v": 1, "c": {"contract_end": "2030-01-01"}})},
            NOTICE_DAMAGED,
        ),
    ],
)
def test_forged_or_damaged_links_start_clean_with_a_notice(
    params: Mapping[str, str], notice: str
) -> None:
    restored = restore(params, TREES, load, TODAY)
    assert restored.notice == notice
    assert restored.state.answers == {}
    assert restored.state.tree == "upwork"
    assert not restored.state.started


def test_a_zip_bomb_is_refused_without_inflating_it() -> None:
    bomb = b64(zlib.compress(b'{"v":1,"c":{"review_text":"' + b"a" * 5_000_000 + b'"}}', 9))
    assert len(bomb) < MAX_PARAM
    assert restore({"tree": "upwork", "s": bomb}, TREES, load).notice == NOTICE_DAMAGED


@pytest.mark.parametrize(
    "answers",
    [
        {"feedback_kind": "public", "no_such_question": "yes"},
        {"feedback_kind": "sideways"},
        {"feedback_kind": "public", "already_reported": ["not_yet"]},
        {"feedback_kind": "public", "already_reported": "declined", "main_complaint": "grumpy"},
    ],
)
def test_answers_the_tree_refuses_restart_the_questions_but_keep_the_review(
    answers: dict[str, object],
) -> None:
    context = {"review_text": "Slow.", "client_name": "Kim", "contract_end": "2026-11-20"}
    data = {"v": 1, "p": 1, "c": context, "a": answers}
    restored = restore({"tree": "upwork", "s": payload(data)}, TREES, load, TODAY)
    assert restored.notice == NOTICE_STALE
    assert restored.state.answers == {}
    assert restored.state.context.review_text == "Slow."
    assert not restored.state.started


def test_answers_off_the_path_are_dropped_quietly() -> None:
    answers = {
        "feedback_kind": "private",
        "private_visible": "can_read",
        "private_red_flags": "no",
        "main_complaint": "delay",
    }
    state = PageState(tree="upwork", context=CONTEXT, answers=answers, started=True)
    restored = restore(encode_params(state)[0], TREES, load, TODAY)
    assert restored.notice is None
    assert restored.state.answers == {
        "feedback_kind": "private",
        "private_visible": "can_read",
        "private_red_flags": "no",
    }


def test_only_the_current_outcomes_edits_and_ticks_survive_a_link() -> None:
    state = PageState(
        tree="upwork",
        context=CONTEXT,
        answers=MANIPULATION,
        started=True,
        edits={"report_manipulation/reply": "Mine.", "respond_publicly/reply": "Old."},
        ticks={"report_manipulation": (0, 2), "report_irrelevant": (1,)},
    )
    restored = restore(encode_params(state)[0], TREES, load, TODAY).state
    assert restored.edits == {"report_manipulation/reply": "Mine."}
    assert restored.ticks == {"report_manipulation": (0, 2)}


def test_page_state_changes_return_new_states() -> None:
    state = PageState()
    edited = state.with_edit("o/reply", "text")
    assert state.edits == {} and edited.edits == {"o/reply": "text"}
    assert edited.with_edit("o/reply", None).edits == {}
    ticked = state.with_ticks("o", [2, 0, 2])
    assert ticked.ticks == {"o": (0, 2)}
    assert ticked.with_ticks("o", []).ticks == {}


# --- the day -------------------------------------------------------------------------------------


def test_only_the_environment_pins_the_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_TODAY", "2026-11-27")
    assert pinned_today() == TODAY
    monkeypatch.setenv("TRIAGE_TODAY", "not a date")
    assert pinned_today() is None
    monkeypatch.delenv("TRIAGE_TODAY")
    assert pinned_today() is None


# --- case files ----------------------------------------------------------------------------------


def test_the_saved_case_file_loads_back_to_the_same_case() -> None:
    walk = start(UPWORK, Case(tree="upwork", today=TODAY, context=CONTEXT, answers=MANIPULATION))
    text = case_yaml(walk)
    assert "\n  contract_end: '2026-11-20'\n" in text  # dates as ISO strings
    data = yaml.safe_load(text)
    assert data["answers"]["client_pressure"] == ["threatened_review"]
    assert load_case_text(text) == walk.to_case()


def test_an_uploaded_case_file_resumes_where_it_stopped() -> None:
    walk = start(UPWORK, Case(tree="upwork", context=CONTEXT, answers=MANIPULATION))
    state = state_from_upload("saved.yaml", case_yaml(walk).encode(), TREES, load, TODAY)
    assert state.started
    assert state.answers == MANIPULATION
    assert state.context == CONTEXT


def test_an_uploaded_json_case_file_works_too() -> None:
    context = {"client_name": "Kim", "contract_end": "2026-11-20"}
    data = {"tree": "upwork", "context": context, "answers": MANIPULATION}
    state = state_from_upload("case.json", json.dumps(data).encode(), TREES, load, TODAY)
    assert state.context.client_name == "Kim"
    assert state.answers == MANIPULATION


def test_the_day_in_an_uploaded_file_is_ignored() -> None:
    # In 2030 the reply window of this case would long be closed; the page's day rules.
    scenario = next(s for s in UPWORK.scenarios if s.name.startswith("Partly related"))
    text = yaml.safe_dump(
        {
            "tree": "upwork",
            "today": "2030-01-01",
            "context": {"contract_end": "2026-11-20"},
            "answers": scenario.answers,
        }
    )
    state = state_from_upload("case.yaml", text.encode(), TREES, load, TODAY)
    assert case_of(state).today is None
    assert dict(state.answers) == dict(scenario.answers)
    assert start(UPWORK, case_of(state, TODAY)).at == "respond_publicly"


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("case.txt", b"tree: upwork\n", r"ending in \.yaml or \.json"),
        ("case.yaml", b"tree: upwork\n" + b"#" * 1_000_001, "larger than 1 MB"),
        ("case.yaml", b"tree: upwork\nanswers: [\n", r"case\.yaml:\d+:\d+"),
        ("case.yaml", b"tree: upwork\nanswer: {}\n", r"case\.yaml:2:1: .*answer"),
        ("case.yaml", b"tree: upwork\ncontext: {rating: 9}\n", r"case\.yaml:2:\d+"),
        ("case.yaml", b"tree: ../../etc/passwd\n", "platform this page doesn't know"),
        ("case.yaml", b"tree: /etc/hosts.yaml\n", "platform this page doesn't know"),
        ("case.yaml", b"tree: fiverr\n", r"doesn't know \(\"fiverr\"\)"),
        ("case.yaml", b"tree: upwork\nanswers: {feedback_kind: sideways}\n", "sideways"),
        ("case.yaml", b"tree: upwork\nanswers: {nope: yes}\n", "nope"),
        ("/home/me/secret/case.yaml", b"tree: [\n", r"^case\.yaml:"),
    ],
)
def test_a_bad_upload_gets_a_clear_located_message(name: str, data: bytes, expected: str) -> None:
    with pytest.raises(UploadError) as caught:
        state_from_upload(name, data, TREES, load, TODAY)
    message = str(caught.value)
    assert re.search(expected, message), message
    assert "/home/me" not in message
    assert "Traceback" not in message


# --- escaping and highlights ---------------------------------------------------------------------

NASTY = [
    "[x](javascript:alert(1))",
    "![img](https://evil.example/x.png)",
    "<b>bold</b><script>alert(1)</script>",
    "**bold** _em_ ~~gone~~ `code`",
    ":red[x] :orange-background[y] :material/home: :smile:",
    "$x^2$ and $$y$$",
    "# Heading\n- list\n1. item\n> quote\n    code\n---",
    "| a | b |\n|---|---|",
    "https://evil.example www.evil.example a@b.example",
    "&lt;b&gt; &amp; \\* \\",
]
_DIRECTIVE = re.compile(r":[a-z]+-background\[")


def _unescape(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown.replace(JOINER, ""), flags=re.DOTALL)


def _bare_punctuation(markdown: str) -> list[str]:
    """ASCII punctuation that is not escaped (our own directive syntax removed first: each
    opening directive, the escaped characters, then one closing "]" per directive)."""
    opened = len(_DIRECTIVE.findall(markdown))
    stripped = re.sub(r"\\.", "", _DIRECTIVE.sub("", markdown))
    for _ in range(opened):
        stripped = stripped.replace("]", "", 1)
    return [ch for ch in stripped if ch in string.punctuation]


def _bare_inline(markdown: str) -> list[str]:
    """Characters that start markup in a line and are not escaped."""
    stripped = re.sub(r"\\.", "", markdown)
    return [ch for ch in stripped if ch in INLINE_SPECIAL]


@pytest.mark.parametrize("text", NASTY)
def test_escaped_labels_have_no_markdown_left(text: str) -> None:
    markdown = escape(text)
    assert _bare_inline(markdown) == []
    assert not re.match(r"[-+=]|\d+[.)]", markdown), "no list or heading at the start"
    assert _unescape(markdown) == " ".join(text.split())


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("What is the client's main complaint?", "What is the client's main complaint?"),
        ("- a list", "\\- a list"),
        ("12. item", "12\\. item"),
        ("1) item", "1\\) item"),
        ("Rate 1-5, 3.5 is fine!", "Rate 1-5, 3.5 is fine!"),
    ],
)
def test_labels_keep_ordinary_punctuation_for_screen_readers(text: str, shown: str) -> None:
    assert escape(text) == shown


@pytest.mark.parametrize("text", NASTY)
def test_highlighted_text_only_adds_our_own_directives(text: str) -> None:
    markdown = highlight(text, [Mark(0, min(5, len(text)))])
    assert markdown.startswith(":orange-background[")
    assert _bare_punctuation(markdown) == []
    assert "javascript:" not in markdown.replace("\\", "") or "\\:" in markdown


@given(st.text(max_size=200))
def test_escaping_keeps_every_character(text: str) -> None:
    markdown = escape(text)
    assert _unescape(markdown) == " ".join(text.split())
    assert _bare_inline(markdown) == []


@given(st.text(max_size=200), st.integers(0, 200), st.integers(0, 200))
def test_highlights_never_leave_an_unescaped_character(text: str, a: int, b: int) -> None:
    markdown = highlight(text, [Mark(min(a, b), max(a, b))])
    assert _bare_punctuation(markdown) == []


def test_bare_addresses_are_broken_up_so_they_cannot_become_links() -> None:
    # GitHub-flavoured Markdown links bare addresses after parsing, escapes or not.
    markdown = escape("https://evil.example www.evil.example me@evil.example")
    assert "https\\:" + JOINER + "//" in markdown
    assert "www" + JOINER + "." in markdown
    assert "me@" + JOINER + "evil" in markdown
    block = highlight("https://evil.example www.evil.example me@evil.example", [])
    assert "https\\:" + JOINER + "\\/" in block
    assert "www" + JOINER + "\\." in block
    assert "me\\@" + JOINER + "evil" + JOINER + "\\.example" in block


def test_highlight_keeps_lines_and_marks_each_line_separately() -> None:
    markdown = highlight("one two\nthree four", [Mark(4, 13)])
    assert markdown == "one :orange-background[two]  \n:orange-background[three] four"


def test_leading_spaces_cannot_make_a_code_block() -> None:
    assert highlight("    indented", []) == "indented"


def test_excerpt_shows_the_span_in_context() -> None:
    text = "We started on time. Then you are an idiot, said the client, and left the job."
    start = text.index("idiot")
    shown = excerpt(text, start, start + 5, width=15)
    assert ":orange-background[idiot]" in shown
    assert shown.startswith("…") and shown.endswith("…")
    assert line_of("a\nb\nc", 4) == 3


def test_nearby_marks_share_one_excerpt() -> None:
    text = "Dana: if you don't refund 50% I will leave you 1 star.\n" + "x " * 60 + "refund now"
    shown = excerpts(text, [Mark(6, 25), Mark(30, 53), Mark(len(text) - 10, len(text))], 20)
    assert len(shown) == 2
    assert shown[0].count(":orange-background[") == 2
    assert shown[1].startswith("…") and shown[1].endswith(":orange-background[refund now]")


def test_links_are_made_only_for_https_addresses() -> None:
    assert link("Feedback", "https://x.example/a(b)") == "[Feedback](https://x.example/a%28b%29)"
    assert link("Feedback", "https://x.example/a b") == "Feedback"
    assert link("Evil", "javascript:alert(1)") == "Evil"
    assert link("[x]", "https://x.example") == "[\\[x\\]](https://x.example)"


# --- progress and change notices -----------------------------------------------------------------


def test_progress_counts_the_longest_way_still_possible(mini: Tree) -> None:
    left = most_questions_left(mini)
    assert left["kind"] == 4  # kind → threat → where → window → fixed → reply
    assert left["reply"] == 0
    walk = start(mini, Case(tree="mini", answers={"kind": "public"}))
    shown = progress(walk, left)
    assert (shown.number, shown.most) == (2, 4)
    assert 0 < shown.fraction < 1
    done = start(mini, Case(tree="mini", answers={"kind": "private"}))
    assert progress(done, left).fraction == 1.0


def test_progress_survives_a_tree_with_a_loop() -> None:
    looped = load_tree(ROOT / "tests" / "trees" / "broken.yaml").tree
    left = most_questions_left(looped)
    assert set(left) == set(looped.nodes)


def test_changing_an_answer_reports_kept_answers_and_a_new_outcome() -> None:
    base = {
        **MANIPULATION,
        "client_pressure": ["none_of_these"],
        "reviewer_connection": "competitor",
    }
    for asked in ("pressure_where", "pressure_demand"):
        del base[asked]
    old = start(UPWORK, Case(tree="upwork", today=TODAY, context=CONTEXT, answers=base))
    assert old.at == "report_conflict_of_interest"
    new = old.answer("yes", question="review_language")
    assert new.at == "report_inappropriate"
    change = summarise(old, new, "review_language")
    assert (change.kept, change.dropped) == (3, 0)
    important, text = describe(change, {k: o.title for k, o in UPWORK.outcomes.items()})
    assert important
    assert "3 later answers still apply and were kept." in text
    assert "The result has changed: it is now “Report the review – it uses abusive" in text


def test_a_change_that_needs_more_answers_says_so() -> None:
    old = start(UPWORK, Case(tree="upwork", today=TODAY, context=CONTEXT, answers=MANIPULATION))
    new = old.answer(["none_of_these"], question="client_pressure")
    change = summarise(old, new, "client_pressure")
    assert change.dropped >= 1 and change.after is None
    important, text = describe(change, {k: o.title for k, o in UPWORK.outcomes.items()})
    assert important and "a few more questions first" in text


def test_the_same_answer_keeps_the_result() -> None:
    old = start(UPWORK, Case(tree="upwork", today=TODAY, context=CONTEXT, answers=MANIPULATION))
    new = old.answer("not_yet", question="already_reported")
    important, text = describe(summarise(old, new, "already_reported"), {})
    assert not important and text.endswith("The result is the same.")


# --- the start screen ("What do you need?") ------------------------------------------------------

SEVERAL = ["upwork", "upwork_other"]


def test_with_several_trees_a_bare_link_opens_the_start_screen() -> None:
    assert restore({}, SEVERAL, load) == ui_state.Restored(PageState(tree=ui_state.CHOOSING))
    assert encode_params(PageState(tree=ui_state.CHOOSING)) == ({}, ())


def test_the_start_screen_keeps_what_was_typed_in_its_link() -> None:
    state = PageState(tree=ui_state.CHOOSING, context=CONTEXT, running=False)
    params, _ = encode_params(state)
    assert "tree" not in params and params["s"]
    assert restore(params, SEVERAL, load, TODAY) == ui_state.Restored(state)


def test_answers_without_a_tree_are_dropped_but_the_facts_are_kept() -> None:
    params, _ = encode_params(
        PageState(tree="upwork", context=CONTEXT, answers=MANIPULATION, started=True)
    )
    del params["tree"]
    restored = restore(params, SEVERAL, load, TODAY)
    assert restored.state == PageState(tree=ui_state.CHOOSING, context=CONTEXT)


def test_an_unknown_tree_with_several_trees_opens_the_start_screen_with_a_notice() -> None:
    restored = restore({"tree": "fiverr"}, SEVERAL, load)
    assert restored == ui_state.Restored(PageState(tree=ui_state.CHOOSING), NOTICE_UNKNOWN_TREE)
