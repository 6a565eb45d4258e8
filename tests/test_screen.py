"""The review pre-screen: labelled reviews, ranking, the signals file, hostile input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.errors import TreeError
from triage.text.prescreen import ScreenResult, Signal, load_signals, parse_signals, screen

GROUNDS = load_signals().grounds  # the grounds the shipped signals suggest

LABELLED: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "screen_labelled.yaml").read_text()
)["reviews"]


def assert_spans_match(review: str, messages: str, result: ScreenResult) -> None:
    for s in result.signals:
        text = review if s.source == "review" else messages
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == s.text


def test_labelled_set_is_big_enough_and_covers_every_ground() -> None:
    assert len(LABELLED) >= 30
    assert sum(1 for e in LABELLED if not e["grounds"]) >= 8
    assert {g for e in LABELLED for g in e["grounds"]} == set(GROUNDS)


@pytest.mark.parametrize("entry", LABELLED, ids=[f"review{i}" for i in range(len(LABELLED))])
def test_labelled_review_suggests_exactly_the_labelled_grounds(entry: dict[str, Any]) -> None:
    review, messages = entry["review"], entry.get("messages", "")
    result = screen(review, messages)
    assert list(result.suggested_grounds) == entry["grounds"]
    texts = [s.text for s in result.signals]
    for expected in entry.get("spans", []):
        assert expected in texts, f"no signal on {expected!r}; found {texts}"
    assert_spans_match(review, messages, result)
    assert bool(result.signals) == bool(entry["grounds"])


def test_messages_are_screened_with_their_own_offsets() -> None:
    review = "Late delivery."
    messages = "Fine. Unless you refund me I will leave a bad review."
    result = screen(review, messages)
    assert {s.source for s in result.signals} == {"messages"}
    first = result.signals[0]
    assert messages[first.start : first.end] == first.text == "refund me I will leave a bad review"


def test_swearing_reuses_the_tone_check_with_censored_forms() -> None:
    result = screen("What a b!tch. Total f***ing waste, pure bullsh*t.")
    swearing = [s.text for s in result.signals if s.label == "swearing"]
    assert swearing == ["b!tch", "f***ing", "bullsh*t"]
    assert result.suggested_grounds == ("inappropriate",)


def test_grounds_are_ranked_by_the_weight_of_distinct_signals() -> None:
    # one conflict signal (5) against two inappropriate ones (3 + 3)
    result = screen("As a fellow designer: what an idiot, you people never learn.")
    assert result.suggested_grounds == ("inappropriate", "conflict_of_interest")
    # repeating one signal does not make a ground stronger
    repeated = screen("Idiot, idiot, idiot. As a fellow designer I know.")
    assert repeated.suggested_grounds == ("conflict_of_interest", "inappropriate")


def test_json_shape_matches_the_cli_contract() -> None:
    result = screen("You idiot.", "Refund or I'll leave a bad review.")
    data = json.loads(json.dumps(result.to_json()))
    assert set(data) == {"signals", "suggested_grounds"}
    keys = {"ground", "label", "start", "end", "text", "source"}
    assert all(set(s) == keys for s in data["signals"])
    assert data["signals"][0] == {
        "ground": "inappropriate",
        "label": "insults or slurs",
        "start": 4,
        "end": 9,
        "text": "idiot",
        "source": "review",
    }
    assert data["suggested_grounds"] == ["manipulation", "inappropriate"]
    assert screen("").to_json() == {"signals": [], "suggested_grounds": []}


def test_signal_is_a_frozen_record() -> None:
    signal = screen("idiot").signals[0]
    assert isinstance(signal, Signal)
    with pytest.raises(AttributeError):
        signal.start = 1  # type: ignore[misc]


def test_shipped_signals_are_cached_and_every_ground_has_signals() -> None:
    signals = load_signals()
    assert load_signals() is signals
    assert {s.ground for s in signals.signals} == set(GROUNDS)


# --- broken signals files --------------------------------------------------------------------

HEAD = "version: 1\nsignals:\n  - ground: irrelevant\n    label: demo\n"


def problems_of(text: str) -> TreeError:
    with pytest.raises(TreeError) as caught:
        parse_signals(text, "screen.yaml")
    for p in caught.value.problems:
        assert p.file == "screen.yaml" and p.line >= 1
    return caught.value


def test_unknown_tone_rule_gets_a_did_you_mean() -> None:
    error = problems_of(HEAD + "    from_tone: profanty\n")
    assert 'did you mean "profanity"' in str(error)


def test_unknown_ground_is_named_with_the_allowed_ones() -> None:
    error = problems_of(
        HEAD.replace("- ground: irrelevant", "- ground: irrelevent") + "    phrases: [x]\n"
    )
    assert 'did you mean "irrelevant"' in str(error) and error.problems[0].line == 3


def test_a_signal_needs_phrases_or_from_tone_but_not_both() -> None:
    assert "exactly one" in str(problems_of(HEAD + "    phrases: [x]\n    from_tone: insult\n"))
    assert "exactly one" in str(problems_of(HEAD))


def test_signals_file_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "screen.yaml"
    path.write_text(HEAD + '    weight: 2\n    phrases: ["crypto{|currency}"]\n', "utf-8")
    result = screen("Crypto is the future.", rules=load_signals(path))
    assert [(s.ground, s.text) for s in result.signals] == [("irrelevant", "Crypto")]


# --- hostile input and speed -----------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *"ab refund!?$*.-'’\n,01\x00\u202e😀",
                "unless you refund",
                "idiot",
                "f***",
                "the previous freelancer",
                "5 stars if",
                "\ud800",
            ]
        ),
        max_size=60,
    ).map("".join),
    st.text(max_size=40),
)
def test_any_text_gives_signals_whose_spans_match(review: str, messages: str) -> None:
    assert_spans_match(review, messages, screen(review, messages))


def test_long_hostile_text_screens_without_raising() -> None:
    review = ("\x00\u202e😀 idiot " * 10_000)[:100_000]
    result = screen(review, review[:20_000])
    assert_spans_match(review, review[:20_000], result)
    assert result.suggested_grounds == ("inappropriate",)


# --- concepts, proximity, negation, detectors (issue 11) --------------------------------------

CONCEPTS = """version: 1
concepts:
  review: [review, rating, "star{|s}"]
  demand: [refund, discount, for free]
  negation: ["{never|not|won't} {threaten|hold}"]
signals:
  - ground: manipulation
    label: ties the review to a demand
    near: [review, demand]
    within: 6
    not_near: [negation]
"""


def test_near_finds_concepts_in_any_order_within_the_distance() -> None:
    rules = parse_signals(CONCEPTS)
    for text in (
        "Full refund or one star.",
        "Your rating depends on the discount, nothing else.",
        "Do the logo for free and the review will be kind.",
    ):
        assert screen(text, rules=rules).suggested_grounds == ("manipulation",), text
    far = "I asked for a refund in May after the files were late and broken, then wrote a review."
    assert screen(far, rules=rules).signals == ()
    two_sentences = "I want a refund. The review is honest."
    assert screen(two_sentences, rules=rules).signals == ()


def test_a_negation_just_before_cancels_the_match() -> None:
    rules = parse_signals(CONCEPTS)
    assert screen("I would never threaten a review over a refund.", rules=rules).signals == ()


def test_retold_pressure_and_negated_threats_with_the_shipped_signals() -> None:
    retold = screen("Bad.", "She said she'd give me one star unless I refunded the whole thing.")
    assert retold.suggested_grounds == ("manipulation",)
    negated = screen("I would never hold a review hostage, but the work was not finished.")
    assert negated.suggested_grounds == ()


@pytest.mark.parametrize(
    "text",
    [
        "The code was garbage. Nothing compiled and half the tests were faked.",
        "Honestly my fault for picking the cheapest bid. You get what you pay for.",
        "I asked for a refund and got one. The work wasn't usable.",
        "Good developer, solid code. Upwork's fees are eating everything though.",
    ],
)
def test_harsh_criticism_self_blame_refunds_and_praise_with_a_platform_gripe_suggest_nothing(
    text: str,
) -> None:
    assert screen(text).suggested_grounds == ()


def test_off_topic_detectors() -> None:
    assert screen("asdf jkl;; asdfghjkl").suggested_grounds == ("irrelevant",)
    assert screen("Visit www.cheap-links.example/deal now").suggested_grounds == ("irrelevant",)
    assert screen("Upwork's fees are robbery and support never answers.").suggested_grounds == (
        "irrelevant",
    )


def test_an_empty_text_does_not_load_the_signals(monkeypatch: pytest.MonkeyPatch) -> None:
    import triage.text.prescreen as prescreen

    def refuse() -> None:
        raise AssertionError("the rules were loaded")

    monkeypatch.setattr(prescreen, "load_signals", refuse)
    assert screen("", "  \n").to_json() == {"signals": [], "suggested_grounds": []}


def test_unknown_concepts_are_all_named_with_a_did_you_mean() -> None:
    text = CONCEPTS.replace("near: [review, demand]", "near: [reveiw, demnd]")
    error = str(problems_of(text))
    assert 'no concept "reveiw"; did you mean "review"' in error
    assert 'no concept "demnd"; did you mean "demand"' in error


def test_a_raw_pattern_with_a_nested_repeat_is_refused_as_too_costly() -> None:
    error = problems_of(HEAD + '    pattern: "(a+)+b"\n')
    assert "too costly" in str(error)
    ok = parse_signals(HEAD + '    pattern: "(?:ab)++c|crypto[a-z]*+"\n')
    assert screen("buy cryptocoins", rules=ok).suggested_grounds == ("irrelevant",)
    assert "the limit is 300" in str(problems_of(HEAD + f'    pattern: "{"a" * 301}"\n'))


def test_the_regex_cache_falls_back_when_an_entry_is_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(tmp_path))
    text = (Path(__file__).parent.parent / "triage/text/rules/screen.yaml").read_bytes()
    first = parse_signals(text)
    stored = list(tmp_path.glob("rules-*.marshal"))
    assert stored, "the compiled regexes were not stored"
    again = parse_signals(text)
    for entry in stored:
        entry.write_bytes(b"\x00damaged")
    damaged = parse_signals(text)
    review = "Full refund or one star. Go back to your country."
    expected = screen(review, rules=first).to_json()
    assert screen(review, rules=again).to_json() == expected
    assert screen(review, rules=damaged).to_json() == expected
