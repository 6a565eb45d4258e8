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

from triage.errors import TreeError, TriageError, UsageError
from triage.textspan import merge_overlapping
from triage.tone import (
    PURPOSES,
    Finding,
    ToneReport,
    check,
    load_rules,
    parse_rules,
)

LABELLED = yaml.safe_load((Path(__file__).parent / "data" / "tone_labelled.yaml").read_text())
GOOD: list[dict[str, Any]] = LABELLED["good"]
BAD: list[dict[str, Any]] = LABELLED["bad"]


def run(entry: dict[str, Any]) -> ToneReport:
    return check(
        entry["text"],
        purpose=entry.get("purpose", "public_reply"),
        limit=entry.get("limit", 1500),
    )


def by_rule(report: ToneReport) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for f in report.findings:
        found.setdefault(f.rule, []).append(f.text)
    return found


def assert_spans_match(text: str, report: ToneReport) -> None:
    for f in report.findings:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text
    assert list(report.findings) == sorted(report.findings, key=lambda f: (f.start, f.end, f.rule))


# --- the labelled set ------------------------------------------------------------------------


def test_labelled_set_is_big_enough_and_covers_every_rule() -> None:
    assert len(GOOD) >= 25
    assert len(GOOD) + len(BAD) >= 60
    covered = Counter(rule for entry in BAD for rule in entry["expect"])
    missing = [r.id for r in load_rules().rules if not covered[r.id]]
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
