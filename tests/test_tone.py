"""The tone check: labelled replies, the rule syntax, broken rules files, hostile input."""

from __future__ import annotations

import contextlib
import json
import pickle
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from tone_findings import assert_spans_match, by_rule

from triage.errors import TreeError, TriageError, UsageError
from triage.text.phrases import (
    PhraseSyntaxError,
    compile_phrases,
    expand,
    merge_overlapping,
    parse_phrase,
)
from triage.text.tone import (
    PURPOSES,
    Finding,
    ToneReport,
    check,
    load_rules,
    parse_rules,
)

# The texts this labelled set holds; feedback about a client (client_review) has its own set,
# tests/data/client_review_labelled.yaml (tests/test_client_review_tone.py).
HERE = ("public_reply", "client_message")
LABELLED = yaml.safe_load((Path(__file__).parent / "data" / "tone_labelled.yaml").read_text())
GOOD: list[dict[str, Any]] = LABELLED["good"]
BAD: list[dict[str, Any]] = LABELLED["bad"]


def run(entry: dict[str, Any]) -> ToneReport:
    return check(
        entry["text"],
        purpose=entry.get("purpose", "public_reply"),
        limit=entry.get("limit", 1500),
    )


def test_labelled_set_is_big_enough_and_covers_every_rule() -> None:
    assert len(GOOD) >= 25
    assert len(GOOD) + len(BAD) >= 60
    covered = Counter(rule for entry in BAD for rule in entry["expect"])
    # Rules for client reviews only have their examples in client_review_labelled.yaml.
    checked_here = [r for r in load_rules().rules if set(r.applies_to) & set(HERE)]
    missing = [r.id for r in checked_here if not covered[r.id]]
    assert not missing, f"rules with no bad example: {missing}"


@pytest.mark.parametrize("entry", GOOD, ids=[f"good{i}" for i in range(len(GOOD))])
def test_polite_factual_reply_has_no_findings(entry: dict[str, Any]) -> None:
    report = run(entry)
    assert by_rule(report) == {}
    assert report.ok


@pytest.mark.parametrize("entry", BAD, ids=[f"bad{i}" for i in range(len(BAD))])
def test_bad_reply_fires_exactly_the_labelled_rules_on_the_labelled_words(
    entry: dict[str, Any],
) -> None:
    report = run(entry)
    found = by_rule(report)
    assert set(found) == set(entry["expect"])
    for rule, texts in entry["expect"].items():
        for text in texts:
            assert text in found[rule], f"{rule}: expected a finding on {text!r}, got {found[rule]}"
    assert_spans_match(entry["text"], report)
    assert not report.ok


# The categories ("Words safe to post", section 7) and the rules that catch them. Each
# rule needs at least six bad examples in the labelled set, in the texts it applies to.
CATEGORIES = {
    "asking publicly to change the rating": "ask_review_change",
    "defensive denials and passive aggression": "defensive",
    "the client in the third person": "third_person",
    "money in public": "payment_details",
    "amounts in public": "money_amount",
    "free work or money next to a feedback request": "offer_for_feedback",
    "saying the review was reported": "reported_review",
    "personal hardship": "hardship",
    "blaming the client side": "blame",
}

# What the tool itself hands over (responses/upwork): each must pass, word for word.
TOOL_REPLIES = [
    'Thank you, Dana, for taking the time to leave feedback on "Landing page redesign". '
    "I'm sorry the result wasn't what you had in mind. Your feedback will shape how I agree on "
    "the direction of future projects: early, and in detail. I wish you every success with the "
    "project.",
    "Thank you, Dana, for your kind words about my communication. I'm sorry the timing didn't "
    "work for you, and for the disruption that caused. Going forward, I'll confirm timelines in "
    "writing and flag any risk to a date as early as I can. I wish you all the best with the "
    "project.",
    "Thank you for taking the time to leave feedback. I'm sorry we saw the scope of the work "
    "differently. Going forward, I'll put the scope in writing before the work starts and confirm "
    "any change to it in writing too, so expectations stay clear on both sides. I wish you all "
    "the best.",
    "Thank you for your feedback on \"Pitch deck\". I'm sorry the project didn't match what you "
    "expected from our agreement. Going forward, I'll confirm in writing what each milestone "
    "includes before the work starts, and check with you before anything changes. I wish you all "
    "the best with the project.",
    "Thank you for your feedback. For anyone reading: this review doesn't describe the work "
    "delivered on this contract. I'm glad to talk through my work with any future client.",
    "Thank you to everyone who takes the time to read reviews here. I keep every exchange "
    "professional and polite, and I'm always glad to discuss a project in detail.",
    "Thank you for your feedback. I'm always glad to talk through my work with anyone "
    "considering a project.",
    'Thank you for your feedback on "Logo design". I delivered the work as agreed in the '
    "contract, and I'm happy to go through it with any future client.",
]
TOOL_MESSAGE = (
    'Hi Dana,\n\nThank you for your feedback on "Landing page redesign". Since then, I\'ve worked '
    "on the points you raised: I delivered the two missing pages on 24 November.\n\nIf you feel "
    "the issue is now resolved, would you consider updating your review? If so, just reply here "
    "and I'll enable feedback changes on the contract; you would then have 14 days to edit it, "
    "and you could raise or lower the rating. If you'd rather leave it as it is, I understand "
    "completely.\n\nThank you again, and all the best with the project.\n\nBest regards,\n"
    "[your name]"
)


def purposes(entry: dict[str, Any]) -> str:
    return str(entry.get("purpose", "public_reply"))


def test_labelled_set_covers_replies_and_messages_good_and_bad() -> None:
    assert len(GOOD) + len(BAD) >= 150
    for entries in (GOOD, BAD):
        assert {purposes(e) for e in entries} == set(HERE)
    assert set(HERE) < set(PURPOSES)


def test_every_category_has_six_bad_examples_in_the_texts_its_rule_checks() -> None:
    rules = load_rules()
    for category, rule_id in CATEGORIES.items():
        applies_to = set(rules.rule(rule_id).applies_to)
        examples = [e for e in BAD if rule_id in e["expect"]]
        assert len(examples) >= 6, category
        seen = Counter(purposes(e) for e in examples)
        assert set(seen) <= applies_to, category
        assert set(seen) == applies_to, f"{category}: no bad example for {applies_to - set(seen)}"


def test_rules_for_public_replies_never_fire_in_a_private_message() -> None:
    public_only = {r.id for r in load_rules().rules if r.applies_to == ["public_reply"]}
    assert {"ask_review_change", "third_person", "payment_details"} <= public_only
    for entry in BAD:
        if purposes(entry) == "public_reply" and public_only & set(entry["expect"]):
            found = by_rule(check(entry["text"], purpose="client_message"))
            assert not public_only & set(found), entry["text"]


def test_the_tools_own_texts_are_in_the_labelled_set_and_pass() -> None:
    tool_entries = {(e["text"], purposes(e)) for e in GOOD if e.get("tool")}
    wanted = {(t, "public_reply") for t in TOOL_REPLIES} | {(TOOL_MESSAGE, "client_message")}
    assert tool_entries == wanted
    for text in TOOL_REPLIES:
        assert check(text, purpose="public_reply").ok, by_rule(check(text))
    assert check(TOOL_MESSAGE, purpose="client_message").ok


@pytest.mark.parametrize(
    "text, words",
    [
        ("I hope you'll reconsider the stars.", "you'll reconsider the stars"),
        ("Would you mind updating your rating?", "updating your rating"),
        ("Kindly revisit your feedback.", "Kindly revisit your feedback"),
        ("A fairer rating would be appreciated.", "fairer rating"),
        ("Please remove the 1 star.", "Please remove"),
        ("I'd ask you to take another look at your score.", "take another look at your score"),
        ("Please change your review.", "change your review"),
    ],
)
def test_asking_for_a_new_rating_in_any_words_is_flagged_in_public_only(
    text: str, words: str
) -> None:
    assert by_rule(check(text, purpose="public_reply")) == {"ask_review_change": [words]}
    assert check(text, purpose="client_message").ok


@pytest.mark.parametrize(
    "text, words",
    [
        ("I fixed it at no extra cost. Would you update your review?", "no extra cost"),
        ("The fix was free. Would you consider updating your feedback?", "was free"),
        ("I didn't charge for the fix. Could you revise the rating?", "didn't charge"),
        ("I fixed it for free. Would you update your review?", "for free"),
    ],
)
def test_free_work_next_to_a_feedback_request_is_an_error_in_a_message(
    text: str, words: str
) -> None:
    [finding] = check(text, purpose="client_message").findings
    assert (finding.rule, finding.text, finding.severity) == ("offer_for_feedback", words, "error")


@pytest.mark.parametrize(
    "text",
    [
        "I'm happy to show future clients how I work.",
        "All my clients get a weekly update.",
        "Clients often ask me about hosting.",
        "The client-side rendering now loads in a second.",
        "I moved the checks to the client side of the app.",
        "Thank you, Dana. The client portal is live.",
        "I built the refund flow, the discount code feature and the pricing page.",
        "The payment gateway integration passed every test.",
        "I fixed the rate limit errors and set up hourly backups.",
        "The review widget and the rating component are done.",
        "Thank you for updating your review.",
        "I'll update you on the feedback from the test group.",
        "The final report was complete and accurate.",
        "I was ill-prepared for the scope, and I've changed how I estimate.",
    ],
)
def test_work_vocabulary_and_the_client_in_general_are_not_flagged(text: str) -> None:
    assert check(text).ok, by_rule(check(text))


@pytest.mark.parametrize(
    "text",
    [
        "Hi Sam, could you check whether it works on your end?",
        "Thank you for all the effort on your side during testing.",
        "I'm on your side and want the launch to go well.",
        "Hi Jo, I'm free on Thursday if a call on Upwork helps.",
    ],
)
def test_friendly_messages_are_not_flagged(text: str) -> None:
    assert check(text, purpose="client_message").ok, by_rule(check(text, purpose="client_message"))


# --- phrase matching -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, word",
    [
        ("what the f*** is this", "f***"),
        ("F*CK this", "F*CK"),
        ("total f**king mess", "f**king"),
        ("this is sh!t", "sh!t"),
        ("sh1t happens", "sh1t"),
        ("such a b!tch", "b!tch"),
        ("a pain in the a$$", "a$$"),
        ("@ss", "@ss"),
        ("pure bullsh*t.", "bullsh*t"),
        ("WTF", "WTF"),
    ],
)
def test_censored_profanity_is_caught(text: str, word: str) -> None:
    assert by_rule(check(text)).get("profanity") == [word]


@pytest.mark.parametrize(
    "text",
    [
        "I passed the class and assessed the assets.",
        "Scunthorpe and Essex are in England.",
        "The Galaxy A55 build is attached.",
        "Use **bold** or *italic* text, or a ** b.",
        "The shell script and the hello page.",
        "I recall the cocktail bar site by Dickens & Co.",
    ],
)
def test_innocent_words_containing_profanity_are_not_flagged(text: str) -> None:
    assert "profanity" not in by_rule(check(text))


@pytest.mark.parametrize(
    "text",
    [
        "I raised the issue earlier with the client.",  # sue, lie, lied inside words
        "I will pursue every lead.",
        "Thank you, Sue.",
        "I documented the steps clearly.",
        "The problem lies in the plugin.",
        "The underlying cause was a timeout.",
        "I emailed the files through Upwork Messages.",
        "I recall the call we had on Upwork.",
        "Thank you for your feedback.",
    ],
)
def test_traps_are_not_flagged(text: str) -> None:
    assert check(text).ok, by_rule(check(text))


def test_phrases_match_across_line_breaks_commas_and_curly_apostrophes() -> None:
    assert by_rule(check("It was YOUR\nfault."))["blame"] == ["YOUR\nfault"]
    assert by_rule(check("Clearly, you did not read it."))["sarcasm"] == ["Clearly, you"]
    assert by_rule(check("That’s false."))["accuse_lying"] == ["That’s false"]
    assert by_rule(check("e-mail me"))["off_platform"] == ["e-mail me"]


def test_unless_phrases_excuse_a_match_only_inside_them() -> None:
    assert check("Good luck with the launch.").ok
    assert by_rule(check("Good luck with your next freelancer."))["sarcasm"] == ["Good luck with"]
    assert check("I can help with whatever you need.").ok
    assert by_rule(check("Whatever. I am done."))["sarcasm"] == ["Whatever"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("update review", ["update review"]),
        ("update your review", ["update your review"]),
        ("update your 1-star review", ["update your 1-star review"]),
        ("Update it, your review", ["Update it, your review"]),
        ("update the long old review", []),  # three words in between: too far
        ("update. The review", []),  # a gap stops at the end of a sentence
        ('update the "review"', []),
        ("reupdate reviews", []),  # still whole words
    ],
)
def test_a_gap_stands_for_up_to_two_words_in_one_clause(text: str, expected: list[str]) -> None:
    regex = compile_phrases(["update ... review"])
    assert [m.group() for m in regex.finditer(text)] == expected


@pytest.mark.parametrize(
    "phrase", ["... review", "update ...", "...", "update ... ... review", "x {... |y} z"]
)
def test_a_gap_needs_a_word_on_each_side_outside_braces(phrase: str) -> None:
    with pytest.raises(PhraseSyntaxError):
        parse_phrase(phrase)


def test_a_misplaced_gap_is_located_in_a_rules_file() -> None:
    error = problems_of(RULE + "    phrases:\n      - fine\n      - update ...\n")
    [problem] = error.problems
    assert problem.line == 9 and "..." in problem.message


def test_a_phrase_is_cut_between_its_groups_of_alternatives() -> None:
    assert parse_phrase("{a|b} is {c|d} now") == [[["a is", "b is"], ["c now", "d now"]]]
    assert parse_phrase("{fix|update} your ... {x|y}") == [
        [["fix your", "update your"]],
        [["x", "y"]],
    ]
    # A group that may be empty stays with its neighbour.
    assert parse_phrase("deserve {|at least} ... stars") == [
        [["deserve", "deserve at least"]],
        [["stars"]],
    ]


WORDS = ["a", "b", "ab", "c", "a-b", "b's"]
GROUPS = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3, unique=True).map(
    lambda ws: "{" + "|".join(ws) + "}"
)
PHRASES = st.lists(st.one_of(GROUPS, st.sampled_from(WORDS)), min_size=1, max_size=4).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(PHRASES, min_size=1, max_size=4),
    st.lists(st.sampled_from([*WORDS, ",", ".", " ", "x"]), max_size=12).map(" ".join),
)
def test_a_phrase_cut_into_segments_matches_where_its_spellings_match(
    phrases: list[str], text: str
) -> None:
    # The reference: every spelling written out, merged into one trie.
    spelt_out = compile_phrases([s for phrase in phrases for s in expand(phrase)])
    factored = compile_phrases(phrases)
    for at in range(len(text) + 1):
        assert bool(factored.match(text, at)) == bool(spelt_out.match(text, at)), (text, at)


# --- form checks -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The API, SEO and HTML work is done; QA passed ASAP.", None),
        ("The UI/UX review and PDF export are done.", None),
        ("I AM OK with that.", None),  # short words neither count nor break a run
        ("This was URGENT, so I did it first.", None),  # one word is emphasis, not shouting
        ("PLEASE READ the brief.", "PLEASE READ"),
        ("It is NOT MY FAULT.", "NOT MY FAULT"),
        ("READ THE API DOCS", "READ THE API DOCS"),  # an acronym inside a run does not end it
        ("DON'T EVER do that", "DON'T EVER"),
    ],
)
def test_all_caps_runs_ignore_acronyms_and_short_words(text: str, expected: str | None) -> None:
    caps = by_rule(check(text)).get("all_caps")
    assert caps == ([expected] if expected else None)


@pytest.mark.parametrize("marks", ["!!", "??", "?!", "!?", "!!!!", "！！"])
def test_repeated_exclamation_and_question_marks(marks: str) -> None:
    assert by_rule(check(f"Really{marks} OK."))["repeated_punctuation"] == [marks]


def test_single_marks_are_fine() -> None:
    assert check("Really? Yes! Thank you.").ok


def test_length_limit() -> None:
    text = "Thank you for the feedback. " * 10  # 280 characters
    assert check(text, limit=280).ok
    over = check(text, limit=279)
    [finding] = over.findings
    assert (finding.rule, finding.start, finding.end) == ("too_long", 279, 280)
    assert "280" in finding.message and "279" in finding.message
    assert check(text, limit=None).ok
    assert check("x" * 1501).findings[0].rule == "too_long"  # the default limit is 1500
    assert check("x" * 1500).ok


# --- purpose ---------------------------------------------------------------------------------


def test_private_message_may_ask_to_update_feedback_but_public_reply_may_not() -> None:
    text = (
        "The bug is fixed. Would you consider updating your feedback? Please update your feedback."
    )
    assert check(text, purpose="client_message").ok
    assert set(by_rule(check(text, purpose="public_reply"))) == {"ask_review_change"}


def test_offering_a_refund_is_flagged_in_the_private_message_only() -> None:
    text = "I can refund the last milestone if you change your review."
    assert set(by_rule(check(text, purpose="client_message"))) == {"offer_for_feedback"}
    assert set(by_rule(check(text, purpose="public_reply"))) == {
        "payment_details",
        "ask_review_change",
    }


def test_unknown_purpose_and_negative_limit_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="public_reply"):
        check("hi", purpose="tweet")  # type: ignore[arg-type]
    with pytest.raises(UsageError):
        check("hi", limit=-1)


# --- output ----------------------------------------------------------------------------------


def test_json_shape_matches_the_cli_contract() -> None:
    report = check("You are a liar!!", limit=1500)
    data = json.loads(json.dumps(report.to_json()))
    assert set(data) == {"findings", "length", "limit"}
    assert (data["length"], data["limit"]) == (16, 1500)
    keys = {"rule", "severity", "start", "end", "text", "message", "suggestion"}
    assert all(set(f) == keys for f in data["findings"])
    assert [(f["rule"], f["text"], f["start"], f["end"]) for f in data["findings"]] == [
        ("accuse_lying", "liar", 10, 14),
        ("repeated_punctuation", "!!", 14, 16),
    ]
    assert {f["severity"] for f in data["findings"]} <= {"error", "warning"}
    assert check("fine", limit=None).to_json() == {"findings": [], "length": 4, "limit": None}


def test_merge_overlapping_spans() -> None:
    assert merge_overlapping([(5, 9), (0, 3), (2, 4), (9, 10)]) == [(0, 4), (5, 9), (9, 10)]


def test_report_and_rules_pickle_for_the_page_cache() -> None:
    report = check("You lied!!")
    assert pickle.loads(pickle.dumps(report)) == report
    rules = pickle.loads(pickle.dumps(load_rules()))
    assert check("You lied!!", rules=rules) == report


def test_shipped_rules_are_cached_and_frozen() -> None:
    rules = load_rules()
    assert load_rules() is rules
    with pytest.raises(ValueError, match="frozen"):
        rules.rules[0].severity = "warning"  # type: ignore[misc]


# --- broken rules files ----------------------------------------------------------------------

RULE = """\
version: 1
rules:
  - id: demo
    severity: warning
    message: m
    suggestion: s
"""


def problems_of(text: str) -> TreeError:
    with pytest.raises(TreeError) as caught:
        parse_rules(text, "rules.yaml")
    assert caught.value.problems
    for p in caught.value.problems:
        assert p.file == "rules.yaml" and p.line >= 1 and p.column >= 1
    return caught.value


def test_yaml_syntax_error_is_located() -> None:
    error = problems_of(RULE + "    phrases: [unclosed\n")
    assert error.problems[0].line >= 7


def test_bad_regex_names_the_rule_and_points_at_the_pattern() -> None:
    error = problems_of(RULE + "    pattern: '(unclosed'\n")
    [problem] = error.problems
    assert '"demo"' in problem.message and "regular expression" in problem.message
    assert problem.line == 7


def test_unknown_key_gets_a_did_you_mean() -> None:
    error = problems_of(RULE + "    phrase: [x]\n")
    messages = " ".join(f"{p.message} {p.hint}" for p in error.problems)
    assert 'unknown key "phrase"' in messages and '"phrases"' in messages
    assert any(p.line == 7 for p in error.problems)


def test_bad_phrase_is_located_on_its_own_line() -> None:
    error = problems_of(RULE + "    phrases:\n      - fine\n      - broken{a|b\n")
    [problem] = error.problems
    assert (problem.line, problem.column) == (9, 9) and "not closed" in problem.message


def test_a_rule_needs_exactly_one_kind() -> None:
    error = problems_of(RULE + "    phrases: [x]\n    form: all_caps\n")
    assert "exactly one" in error.problems[0].message
    problems_of(RULE)  # none at all


def test_duplicate_ids_and_bad_values_are_all_reported() -> None:
    text = RULE + "    phrases: [x]\n" + RULE.split("rules:\n")[1] + "    phrases: [y]\n"
    assert "more than once" in str(problems_of(text))
    error = problems_of(
        RULE.replace("warning", "fatal") + "    phrases: [x]\n    censored: maybe\n"
    )
    assert len(error.problems) == 2


def test_anchors_and_tags_are_refused() -> None:
    problems_of(RULE + "    phrases: &p [x]\n")
    problems_of(RULE + "    phrases: !!python/object:os.system [x]\n")


def test_missing_rules_file_is_a_triage_error(tmp_path: Path) -> None:
    with pytest.raises(TreeError, match="cannot read"):
        load_rules(tmp_path / "nope.yaml")


def test_rules_file_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "tone.yaml"
    path.write_text(RULE + '    phrases: ["banana{|s}"]\n', encoding="utf-8")
    report = check("Bananas!", rules=load_rules(path))
    assert [(f.rule, f.text, f.severity) for f in report.findings] == [
        ("demo", "Bananas", "warning")
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_rules_text_gives_rules_or_a_triage_error(text: str) -> None:
    with contextlib.suppress(TriageError):
        parse_rules(text, "fuzz.yaml")


# --- hostile input and speed -----------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *"ab fuckshitliarYOU!?$@*.-'’\n,0123\x00\u202e\u200b😀",
                "you never",
                "a$$",
                "f***",
                "email me",
                "+1 555 123 4567",
                "LIAR",
                "www.",
                "\ud800",
            ]
        ),
        max_size=80,
    ).map("".join)
)
def test_any_text_gives_findings_whose_spans_match(text: str) -> None:
    for purpose in PURPOSES:
        assert_spans_match(text, check(text, purpose=purpose, limit=50))


@pytest.mark.parametrize(
    "text",
    [
        "\x00" * 1000 + "liar",
        "\u202eYou are a liar\u202c",
        "😀" * 50_000 + " you lied " + "😀",
        "\ud800 lone surrogate liar",
        "liar " * 20_000,
    ],
)
def test_hostile_text_does_not_raise(text: str) -> None:
    report = check(text, limit=None)
    assert_spans_match(text, report)
    assert "accuse_lying" in by_rule(report)


ADVERSARIAL = ["a.", "a@", "www.", "$1,", "f***", "+1 2", "1-", "http://x", "(555)", "A B ", "e-"]


@pytest.mark.parametrize("unit", ADVERSARIAL)
def test_every_rule_scans_adversarial_text_without_raising(unit: str) -> None:
    # How the time grows with the text is measured in bench/bench_text.py, not asserted here.
    text = unit * (20_000 // len(unit))
    report = check(text, limit=None)
    assert_spans_match(text, report)


def test_finding_is_a_plain_frozen_record() -> None:
    finding = check("liar").findings[0]
    assert isinstance(finding, Finding)
    with pytest.raises(AttributeError):
        finding.start = 3  # type: ignore[misc]
