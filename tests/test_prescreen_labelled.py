"""The pre-screen against tests/data/prescreen_labelled.yaml, written without reading the signals.

The train split is what the signals were written against: every entry must come out exactly as
labelled. The test split is held out (never read while writing signals): only its aggregate
figures are checked, against the targets of issue 11.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from triage.text.prescreen import load_signals, screen

GROUNDS = load_signals().grounds  # the grounds the shipped signals suggest

DATA = Path(__file__).parent / "data" / "prescreen_labelled.yaml"
TEXTS: list[dict[str, Any]] = yaml.safe_load(DATA.read_text("utf-8"))["texts"]
TRAIN = [t for t in TEXTS if t["split"] == "train"]
TEST = [t for t in TEXTS if t["split"] == "test"]

RECALL_TARGET = 0.9
FALSE_ALARM_TARGET = 0.05


def suggested(entry: dict[str, Any]) -> list[str]:
    return list(screen(entry["review"], entry.get("messages") or "").suggested_grounds)


def recall(entries: list[dict[str, Any]], ground: str) -> float:
    labelled = [e for e in entries if ground in e["grounds"]]
    return sum(ground in suggested(e) for e in labelled) / len(labelled)


def false_alarms(entries: list[dict[str, Any]]) -> float:
    opinions = [e for e in entries if e.get("opinion_only")]
    return sum(bool(suggested(e)) for e in opinions) / len(opinions)


def test_the_set_is_big_and_split_as_documented() -> None:
    assert len(TEXTS) >= 200
    assert len({t["id"] for t in TEXTS}) == len(TEXTS)
    assert {t["split"] for t in TEXTS} == {"train", "test"}
    for ground in GROUNDS:
        assert sum(ground in t["grounds"] for t in TEXTS) >= 30, ground
    assert sum(not t["grounds"] for t in TEXTS) >= 60


@pytest.mark.parametrize("entry", TRAIN, ids=[t["id"] for t in TRAIN])
def test_train_text_suggests_exactly_its_labelled_grounds(entry: dict[str, Any]) -> None:
    assert suggested(entry) == entry["grounds"]


@pytest.mark.parametrize("ground", GROUNDS)
def test_train_recall_per_ground_meets_the_target(ground: str) -> None:
    assert recall(TRAIN, ground) >= RECALL_TARGET


def test_held_out_opinion_only_reviews_raise_few_false_alarms() -> None:
    assert false_alarms(TEST) <= FALSE_ALARM_TARGET


# Issue 11's target on the held-out split is recall >= 0.9 per ground. It is NOT met yet (see
# `python bench/bench_prescreen.py`): the signals were tuned on the train split and generalise
# to about half of the held-out texts. The assertion keeps the target and is marked as an
# expected failure, so the gap stays visible in every run instead of being silently lowered.
@pytest.mark.xfail(reason="held-out recall is below the 0.9 target (issue 11)", strict=True)
@pytest.mark.parametrize("ground", GROUNDS)
def test_held_out_recall_per_ground_meets_the_target(ground: str) -> None:
    assert recall(TEST, ground) >= RECALL_TARGET
