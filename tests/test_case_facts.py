"""What the documents state about a case comes from the case: grounds from the tree's `when`,
dates and the client's words from the pasted messages, praise from the review, and the person's
own sentence only when the tone check passes it. Every reply and message the tree can produce
passes the tone check."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
from tree_data import RESPOND_ANSWERS

from triage.documents.case_facts import dates_in, praise_in, quotes_in
from triage.documents.render import render_all, template_problems
from triage.paths import tree_path, trees_dir
from triage.text.tone import check
from triage.tree.loader import LoadedTree, load_tree
from triage.tree.model import Case, CaseContext, Tree
from triage.walk.engine import Walk, start

TODAY = dt.date(2026, 11, 27)
TREES = sorted(trees_dir().glob("*.yaml"))


@pytest.fixture(scope="module")
def upwork() -> Tree:
    return load_tree(tree_path("upwork")).tree


def walk(tree: Tree, answers: dict[str, Any], **context: Any) -> Walk:
    facts: dict[str, Any] = {
        "review_date": dt.date(2026, 11, 21),
        "client_name": "Dana",
        "project_title": "Landing page redesign",
        "contract_end": dt.date(2026, 11, 20),
        "rating": 1,
        "review_text": "Refused a fair discount. Avoid.",
        **context,
    }
    return start(tree, Case(today=TODAY, context=CaseContext(**facts), answers=answers))


THREAT = {
    "feedback_kind": "public",
    "already_reported": "not_yet",
    "main_complaint": "price",
    "client_pressure": ["threatened_review"],
    "pressure_where": "upwork_messages",
    "pressure_demand": "the source files of another project",
    "review_language": "no",
    "review_relevance": "about_the_work",
    "reviewer_connection": "genuine",
    "agency_account": "no",
}
MESSAGES = (
    "[16 Nov 2026, 10:02] Dana: Thanks for the pages.\n"
    "[18 Nov 2026, 09:13] Dana: Send me the source files too, or I will leave you a one-star "
    "review.\n"
)
RESPOND = {**RESPOND_ANSWERS, "reply_fact": ""}


# --- the report uses what the person gave ----------------------------------------------------


def test_the_report_quotes_the_pasted_message_with_its_date(upwork: Tree) -> None:
    done = render_all(walk(upwork, THREAT, messages=MESSAGES))
    assert done.report is not None
    assert (
        'Their words, on 18 November 2026: "Send me the source files too, or I will leave you a '
        'one-star review."' in done.report
    )
    assert "[quote the message]" not in done.report and "[date]" not in done.report


def test_the_report_names_the_demand_and_the_sequence(upwork: Tree) -> None:
    done = render_all(walk(upwork, THREAT, messages=MESSAGES))
    assert done.report is not None
    assert '("the source files of another project")' in done.report
    # The pressure's date comes from the messages; the review's from the case.
    assert "On 18 November 2026, in our Upwork Messages" in done.report
    assert "I did not agree to this. The review below followed on 21 November 2026." in (
        done.report
    )


def test_without_messages_the_report_keeps_only_what_the_tool_cannot_know(upwork: Tree) -> None:
    done = render_all(walk(upwork, THREAT, review_date=None))
    assert done.report is not None
    assert 'Their words: "[quote the message]"' in done.report
    assert "The review below followed." in done.report
    assert "[contract ID]" in done.report


def test_every_ground_that_applies_is_named_once_own_ground_first(upwork: Tree) -> None:
    answers = {**THREAT, "review_language": "yes", "reviewer_connection": "personal_conflict"}
    done = render_all(walk(upwork, answers, review_text="You clown."))
    assert done.report is not None
    assert (
        "feedback manipulation, abusive or offensive language, and a conflict of interest"
        in done.report
    )
    assert 'abusive or offensive language: "clown"' in done.report
    assert "personal conflict with me" in done.report


def test_a_rival_is_the_tools_reading_never_inside_upworks_rule(upwork: Tree) -> None:
    answers = {**RESPOND, "reviewer_connection": "competitor", "agency_account": "no"}
    del answers["concern_fixed"], answers["reply_fact"]
    done = render_all(walk(upwork, answers))
    rule = done.markdown.split("**Upwork's rule:**")[1].split("\n\n")[0]
    assert "competitor" not in rule
    assert "The tool's reading, not Upwork's words:" in done.markdown


# --- the person's own sentence -----------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "The client is a liar and never paid.",
        "Call me at +1 555 123 4567 to sort this out.",
        "Please remove this review.",
    ],
)
def test_a_flagged_sentence_is_left_out_of_the_reply_and_reported(upwork: Tree, line: str) -> None:
    done = render_all(walk(upwork, {**RESPOND, "reply_fact": line}))
    assert done.reply is not None
    assert line not in done.reply
    assert check(done.reply, purpose="public_reply").findings == ()
    assert "Your sentence was left out." in done.text and line in done.text
    assert done.findings, "the left-out sentence's findings are reported"


def test_a_clean_sentence_stands_as_its_own_line(upwork: Tree) -> None:
    line = "I delivered all five pages by 14 November"
    done = render_all(walk(upwork, {**RESPOND, "reply_fact": line}))
    assert done.reply is not None
    assert f"\n\n{line}.\n\n" in done.reply
    assert done.findings == ()


def test_what_changed_is_asked_only_when_something_was_fixed(upwork: Tree) -> None:
    not_fixed = {k: v for k, v in RESPOND.items() if k != "reply_fact"}
    assert walk(upwork, not_fixed).at == "reply_fact"
    assert walk(upwork, {**not_fixed, "concern_fixed": "yes"}).at == "what_changed"


# --- replies by ground, then complaint ----------------------------------------------------------


def test_after_abuse_the_reply_neither_apologises_nor_repeats_the_words(upwork: Tree) -> None:
    answers = {**THREAT, "client_pressure": ["none_of_these"], "review_language": "yes"}
    for key in ("pressure_where", "pressure_demand"):
        del answers[key]
    done = render_all(walk(upwork, answers, review_text="You stupid clown."))
    assert done.reply is not None
    assert "sorry" not in done.reply.lower() and "seriously" not in done.reply
    assert "clown" not in done.reply and "stupid" not in done.reply


def test_after_pressure_the_reply_admits_nothing(upwork: Tree) -> None:
    done = render_all(walk(upwork, THREAT, messages=MESSAGES))
    assert done.reply is not None
    for admission in ("sorry", "wasn't what you had in mind", "learned", "learnt"):
        assert admission not in done.reply


def test_praise_is_thanked_and_sarcasm_is_not(upwork: Tree) -> None:
    praised = render_all(walk(upwork, RESPOND, review_text="Great freelancer, but late."))
    sarcastic = render_all(walk(upwork, RESPOND, review_text="Great job wasting my week."))
    assert praised.reply is not None and sarcastic.reply is not None
    assert "kind words" in praised.reply
    assert "kind words" not in sarcastic.reply


def test_price_and_scope_get_their_own_replies(upwork: Tree) -> None:
    price = render_all(walk(upwork, {**RESPOND, "main_complaint": "price"}))
    scope = render_all(walk(upwork, {**RESPOND, "main_complaint": "scope"}))
    assert price.reply != scope.reply


# --- every reply and message the tree can produce passes the tone check -------------------------


REVIEWS = [
    "Late and sloppy.",
    "Great freelancer, but the logo was late.",
    "You are an idiot. Refund me.",
    "This platform's fees are a scam.",
    "",
]
LINES = [
    "",
    "I delivered the revised files on 12 November",
    "The client never paid on time and lied about it",
    "I did the extra page for free",
    "As anyone can see, the review is untrue",
]


def _random_walk(tree: Tree, rng: random.Random) -> Walk:
    context = CaseContext(
        client_name=rng.choice(["Dana", "", "O'Brien & Sons"]),
        project_title=rng.choice(["Logo", ""]),
        contract_end=TODAY - dt.timedelta(days=rng.choice([1, 10, 27, 40])),
        rating=rng.choice([1, 2, 3]),
        review_text=rng.choice(REVIEWS),
        messages=rng.choice(["", MESSAGES]),
    )
    current = start(tree, Case(today=TODAY, context=context, answers={}))
    while current.question is not None:
        question = current.question
        value: Any
        if question.own_line_answer():  # the person's own sentence: one of the lines above
            limit = getattr(question, "max_length", 200)
            value = rng.choice(LINES)[:limit]
        else:
            value = question.sample(rng, TODAY)
        current = current.answer(value)
    return current


@pytest.mark.parametrize("path", TREES, ids=lambda p: p.stem)
def test_every_reply_and_message_passes_the_tone_check(path: Path) -> None:
    tree = load_tree(path).tree
    rng = random.Random(7)
    reached: set[str] = set()
    scenario_walks = [
        start(tree, Case(today=s.today, context=s.context, answers=s.answers))
        for s in tree.scenarios
    ]
    random_walks = [_random_walk(tree, rng) for _ in range(300)]
    for done_walk in scenario_walks + random_walks:
        if done_walk.outcome is None:
            continue
        reached.add(done_walk.at)
        done = render_all(done_walk)
        limit = tree.settings.reply_limit
        if done.reply is not None:
            assert check(done.reply, purpose="public_reply", limit=limit).findings == (), done.reply
        if done.message is not None:
            assert check(done.message, purpose="client_message", limit=limit).findings == (), (
                done.message
            )
    with_texts = {
        oid
        for oid, o in tree.outcomes.items()
        if o.kind in ("respond", "request_change") or o.fallback_reply
    }
    assert with_texts <= reached, with_texts - reached


# --- reading the text -----------------------------------------------------------------------


def test_dates_as_people_write_them() -> None:
    text = "On 20 Nov she wrote; Nov 3, 2026; 2026-11-02; 13/04/2026; 03/04/2026; Dec 25"
    found = [day for _, day in dates_in(text, TODAY)]
    assert found == [
        dt.date(2026, 11, 20),
        dt.date(2026, 11, 3),
        dt.date(2026, 11, 2),
        dt.date(2026, 4, 13),
        dt.date(2025, 12, 25),  # no year and after today: last year's
    ]


def test_a_quote_keeps_the_clients_words_not_the_chat_prefix() -> None:
    (quote,) = quotes_in(MESSAGES, TODAY)
    assert quote.text.startswith("Send me the source files too")
    assert quote.date == dt.date(2026, 11, 18)


@pytest.mark.parametrize(
    ("review", "praised"),
    [
        ("Great freelancer, but slow.", ("Great freelancer",)),
        (
            "Very professional and quick. However, the result was poor.",
            ("Very professional and quick",),
        ),
        ("Not great. Slow.", ()),
        ("Would be good if he answered.", ()),
        ("Thanks for nothing.", ()),
    ],
)
def test_praise_in_a_review(review: str, praised: tuple[str, ...]) -> None:
    assert praise_in(review) == praised


# --- the template check -------------------------------------------------------------------------


def test_a_misspelt_choice_value_in_a_template_fails_the_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = Path(__file__).resolve().parent.parent / "responses"
    copy = tmp_path / "responses"
    for file in source.rglob("*.j2"):
        target = copy / file.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = file.read_text(encoding="utf-8")
        target.write_text(text.replace('== "upwork_messages"', '== "upwork_mesages"'), "utf-8")
    monkeypatch.setenv("TRIAGE_RESPONSES", str(copy))
    loaded: LoadedTree = load_tree(tree_path("upwork"))
    problems = [p for p in template_problems(loaded) if p.code == "template-value"]
    assert problems, "the typo was not found"
    assert problems[0].hint == 'did you mean "upwork_messages"?'
    assert problems[0].line == loaded.positions.at("nodes", "report_manipulation", "template")[0]
