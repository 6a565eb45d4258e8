"""The tone check of a freelancer's public feedback about a client (purpose ``client_review``).

The labelled drafts live in tests/data/client_review_labelled.yaml: the train split was written
first and the rules were tuned on it (asserted exactly here); the test split was written after
the rules, which were not changed for it (its precision and recall are measured, and the floors
measured then are asserted).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

import pytest
import yaml
from tone_findings import assert_spans_match, by_rule

from triage.errors import TreeError
from triage.text.tone import PURPOSES, ToneReport, ToneRules, check, load_rules, parse_rules
from triage.tree.model import KindInfo

LABELLED = yaml.safe_load(
    (Path(__file__).parent / "data" / "client_review_labelled.yaml").read_text(encoding="utf-8")
)
GOOD: list[dict[str, Any]] = LABELLED["good"]
BAD: list[dict[str, Any]] = LABELLED["bad"]
TONE_LABELLED = yaml.safe_load(
    (Path(__file__).parent / "data" / "tone_labelled.yaml").read_text(encoding="utf-8")
)

# Measured on the test split when it was written (rule by rule: a rule that fires on a draft is a
# true positive if the draft's label lists it). Raise them when the rules get better.
TEST_PRECISION_FLOOR = 0.95  # measured 20/21 = 0.952
TEST_RECALL_FLOOR = 0.80  # measured 20/25 = 0.800


def split(entry: dict[str, Any]) -> str:
    return str(entry.get("split", "train"))


def train(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in entries if split(e) == "train"]


def held_out(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in entries if split(e) == "test"]


def review(text: str, limit: int | None = 1500) -> ToneReport:
    return check(text, purpose="client_review", limit=limit)


def run(entry: dict[str, Any]) -> ToneReport:
    return review(entry["text"], entry.get("limit", 1500))


def assert_located(text: str, report: ToneReport) -> None:
    """Each finding points at the phrase it objects to and says what to write instead."""
    assert_spans_match(text, report)
    for f in report.findings:
        assert f.message.strip() and f.suggestion.strip()


def review_rules() -> list[str]:
    return [r.id for r in load_rules().rules if "client_review" in r.applies_to]


# --- the labelled set ----------------------------------------------------------------------------


def test_the_labelled_set_is_big_balanced_and_a_quarter_of_it_held_out() -> None:
    entries = GOOD + BAD
    assert len(entries) >= 60
    assert abs(len(GOOD) - len(BAD)) <= len(entries) // 10  # about half factual, half not
    assert {split(e) for e in entries} == {"train", "test"}
    share = len(held_out(entries)) / len(entries)
    assert 0.2 <= share <= 0.3, share
    assert len(held_out(GOOD)) >= 8 and len(held_out(BAD)) >= 8
    known = set(review_rules())
    for entry in BAD:
        assert entry["expect"], entry["text"]
        assert set(entry["expect"]) <= known, entry["text"]


def test_every_rule_for_client_reviews_has_a_bad_training_draft() -> None:
    covered = {rule for entry in train(BAD) for rule in entry["expect"]}
    assert sorted(set(review_rules()) - covered) == []


@pytest.mark.parametrize("entry", train(GOOD), ids=[f"good{i}" for i in range(len(train(GOOD)))])
def test_factual_training_draft_passes_clean(entry: dict[str, Any]) -> None:
    report = run(entry)
    assert by_rule(report) == {}
    assert report.ok


@pytest.mark.parametrize("entry", train(BAD), ids=[f"bad{i}" for i in range(len(train(BAD)))])
def test_bad_training_draft_fires_exactly_the_labelled_rules_on_the_labelled_words(
    entry: dict[str, Any],
) -> None:
    report = run(entry)
    found = by_rule(report)
    expected: dict[str, list[str]] = entry["expect"]
    assert {rule: sorted(texts) for rule, texts in found.items()} == {
        rule: sorted(texts) for rule, texts in expected.items()
    }
    assert_located(entry["text"], report)


def measure(entries: list[dict[str, Any]]) -> tuple[int, int, int]:
    """True positives, false positives and false negatives, rule by rule and draft by draft."""
    tp = fp = fn = 0
    for entry in entries:
        wanted = set(entry.get("expect", ()))
        fired = {f.rule for f in run(entry).findings}
        tp += len(fired & wanted)
        fp += len(fired - wanted)
        fn += len(wanted - fired)
    return tp, fp, fn


def test_held_out_drafts_meet_the_measured_precision_and_recall() -> None:
    tp, fp, fn = measure(held_out(GOOD) + held_out(BAD))
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= TEST_PRECISION_FLOOR, (tp, fp, fn)
    assert recall >= TEST_RECALL_FLOOR, (tp, fp, fn)


def test_held_out_factual_drafts_have_no_error_and_every_bad_draft_is_flagged() -> None:
    for entry in held_out(GOOD):
        report = run(entry)
        assert not [f for f in report.findings if f.severity == "error"], by_rule(report)
    for entry in held_out(BAD):
        report = run(entry)
        assert report.findings, entry["text"]
        assert_located(entry["text"], report)


def test_the_training_split_is_exact() -> None:
    tp, fp, fn = measure(train(GOOD) + train(BAD))
    assert (fp, fn) == (0, 0) and tp > 0


# --- what passes and what does not ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "There were several unexpected delays in communication that impacted our project timeline.",
        "Payments were released 10 days after approval.",
        "The final milestone was not funded.",
        "The client paid on time and gave a bonus at the end.",
        "Scope creep: three extra pages were added without a new milestone.",
        "I would not work with this client again.",
        "The client did not reply to messages for 12 days in October.",
        "The client disappeared for two weeks in the middle of the project.",
        "The client kept changing the requirements after each delivery.",
        "Because the client sent the content three weeks late, the launch moved to June.",
        "The budget was tight, so we reduced the scope to five pages.",
        "I'm new to Upwork, and the client was patient with my questions.",
        "Thank you, Sue! Good luck with the launch.",
        "I built the refund flow and a fraud detection report for their store.",
        "Easy-going client, no drama. I'd recommend this client to fellow freelancers.",
        "In the worst case we planned for a week's delay, and we needed four days.",
    ],
)
def test_calm_factual_feedback_passes(text: str) -> None:
    assert review(text).ok, by_rule(review(text))


@pytest.mark.parametrize(
    "text, rule, words",
    [
        ("This client is a nightmare.", "emotional", "nightmare"),
        ("The worst client I've had.", "emotional", "worst"),
        ("Horrible to work with.", "emotional", "Horrible"),
        ("Good luck to the next freelancer.", "sarcasm", "Good luck to the next"),
        ("Reach him at dana@example.com.", "contact_email", "dana@example.com"),
        ("His number is 555-123-4567.", "contact_phone", "555-123-4567"),
        ("I'll report you to Upwork.", "threat", "I'll report you"),
        ("See you in court.", "threat", "See you in court"),
        ("He is a scammer.", "insult", "scammer"),
        ("They stole my work.", "accusation", "stole my work"),
        ("A dishonest client.", "accuse_lying", "dishonest"),
        ("A total fraud.", "insult", "fraud"),
        ("He still owes me the last milestone.", "dispute", "still owes me"),
        ("I'll update this feedback once he pays.", "feedback_trade", "I'll update this feedback"),
        ("He left me a bad review out of spite.", "their_review", "left me a bad review"),
        ("Her home address is on the invoice.", "private_details", "home address"),
        ("He lives at 12 Baker Street.", "street_address", "12 Baker Street"),
        ("The owner, Mr. Jensen, ignored me.", "full_name", "Mr. Jensen"),
        ("Rude and arrogant.", "judgment", "Rude"),
        ("Stay away from this one.", "warn_others", "Stay away"),
        ("The most stressful project ever.", "venting", "stressful"),
        ("His English was terrible.", "personal_remarks", "English was terrible"),
    ],
)
def test_each_family_is_found_located_and_comes_with_a_factual_rewrite(
    text: str, rule: str, words: str
) -> None:
    report = review(text)
    assert words in by_rule(report).get(rule, []), by_rule(report)
    assert_located(text, report)
    [finding] = [f for f in report.findings if f.rule == rule and f.text == words]
    assert finding.suggestion and finding.message


def test_the_rewrite_suggested_for_a_money_dispute_is_the_fact_that_passes() -> None:
    [finding] = review("He still owes me for the last milestone.").findings
    assert finding.rule == "dispute"
    assert '"Payments were released 10 days after approval."' in finding.suggestion
    assert review("Payments were released 10 days after approval.").ok


def test_shared_rules_speak_of_feedback_not_of_a_reply_when_checking_a_client_review() -> None:
    for text, rule in [
        ("What the f*** was that brief.", "profanity"),
        ("A nightmare.", "emotional"),
        ("He lied about the scope.", "accuse_lying"),
        ("See you in court.", "threat"),
        ("dana@example.com", "contact_email"),
    ]:
        [finding] = [f for f in review(text).findings if f.rule == rule]
        said = f"{finding.message} {finding.suggestion}"
        assert "the review" not in said and "a reply" not in said and "calm reply" not in said
    # The same rules keep their words for replies and messages.
    rules = load_rules()
    for purpose in ("public_reply", "client_message"):
        [finding] = check("A nightmare.", purpose=purpose).findings
        assert finding.message == rules.rule("emotional").message


def test_rules_about_answering_a_review_do_not_check_feedback_about_a_client() -> None:
    rules = load_rules()
    for rule_id in (
        "blame",
        "defensive",
        "reported_review",
        "ask_review_change",
        "third_person",
        "hardship",
        "payment_details",
        "money_amount",
        "offer_for_feedback",
    ):
        assert "client_review" not in rules.rule(rule_id).applies_to, rule_id


# --- other purposes are untouched ----------------------------------------------------------------


def without_review_rules() -> ToneRules:
    """The shipped rules minus those that check client reviews only, and minus any wording for
    client reviews."""
    rules = load_rules()
    kept = [
        r.model_copy(update={"wording": {}})
        for r in rules.rules
        if r.applies_to != ["client_review"]
    ]
    return ToneRules(rules=kept)


def test_replies_and_messages_of_the_existing_labelled_set_are_unchanged() -> None:
    # tests/test_tone.py asserts the labelled rules and words of every entry; here: nothing added
    # for client reviews (rules, wording) changes a single finding of a reply or a message.
    reference = without_review_rules()
    for entry in TONE_LABELLED["good"] + TONE_LABELLED["bad"]:
        for purpose in ("public_reply", "client_message"):
            limit = entry.get("limit", 1500)
            assert check(entry["text"], purpose=purpose, limit=limit) == check(
                entry["text"], purpose=purpose, limit=limit, rules=reference
            ), entry["text"]


def test_rules_for_client_reviews_only_never_fire_on_a_reply_or_a_message() -> None:
    only = {r.id for r in load_rules().rules if r.applies_to == ["client_review"]}
    assert len(only) >= 8
    for entry in BAD:
        for purpose in ("public_reply", "client_message"):
            fired = {f.rule for f in check(entry["text"], purpose=purpose).findings}
            assert not fired & only, (purpose, entry["text"])


def test_the_kinds_tone_literal_names_every_purpose() -> None:
    # The tree model writes the purposes out (it cannot import the tone module).
    [_, literal] = get_args(KindInfo.model_fields["tone"].annotation)
    assert get_args(literal) == PURPOSES


# --- the wording key -----------------------------------------------------------------------------

RULE = """\
version: 1
rules:
  - id: demo
    severity: warning
    message: m
    suggestion: s
    phrases: [banana]
"""


def test_wording_replaces_the_message_or_the_suggestion_for_one_purpose() -> None:
    rules = parse_rules(
        RULE + "    wording:\n      client_review: {message: about feedback}\n", "rules.yaml"
    )
    [mine] = check("banana", purpose="client_review", rules=rules).findings
    assert (mine.message, mine.suggestion) == ("about feedback", "s")
    [theirs] = check("banana", purpose="public_reply", rules=rules).findings
    assert (theirs.message, theirs.suggestion) == ("m", "s")


@pytest.mark.parametrize(
    "extra, says",
    [
        (
            "    applies_to: [public_reply]\n    wording:\n      client_review: {message: x}\n",
            "does not check",
        ),
        ("    wording:\n      client_review: {}\n", "needs a message or a suggestion"),
        ("    wording:\n      tweet: {message: x}\n", "tweet"),
    ],
)
def test_a_wording_for_nothing_is_refused(extra: str, says: str) -> None:
    with pytest.raises(TreeError) as caught:
        parse_rules(RULE + extra, "rules.yaml")
    assert says in str(caught.value)


# --- hostile input -------------------------------------------------------------------------------

ADVERSARIAL = [
    "1 A ",
    "12 Ab Cd Ef ",
    "Mr. A ",
    "his wife A ",
    "name is A ",
    "p.o. box ",
    "took my ",
]


@pytest.mark.parametrize("unit", ADVERSARIAL)
def test_the_review_rules_scan_adversarial_text_without_raising(unit: str) -> None:
    # How the time grows with the text is measured in bench/bench_text.py, not asserted here.
    text = unit * (20_000 // len(unit))
    assert_located(text, review(text, limit=None))
