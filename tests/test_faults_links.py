"""Issue "Speed and proof", fault 2: a forged page link can never leave the page on an error.

48 characters of ``s`` inflate to 1,000 nested lists and made ``json.loads`` raise
RecursionError, which escaped :func:`decode_payload`. Any failure to decode a link is now a
clean start with one notice; the properties below feed ``restore`` anything at all.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage.tree.loader import load_tree
from triage.tree.model import Tree
from triage.ui.state import NOTICE_DAMAGED, PageState, Restored
from triage.ui.url_codec import decode_payload, encode_payload, restore

ROOT = Path(__file__).resolve().parent.parent
UPWORK: Tree = load_tree(ROOT / "decision_trees" / "upwork.yaml").tree
TREES = ["upwork"]
TODAY = dt.date(2026, 11, 27)
FORGED = "eNqrVipTsjLUUUpWsooeBaNgFAx7EDsKRsEoGPagFgA7LtIJ"  # 1,000 nested lists


def load(tree_id: str) -> Tree:
    assert tree_id == "upwork"
    return UPWORK


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def assert_clean_or_valid(restored: Restored) -> None:
    """What the page may get from any link: a state it can show, and at most a notice."""
    assert isinstance(restored, Restored)
    assert isinstance(restored.state, PageState)
    assert restored.state.tree == "upwork"
    assert restored.notice is None or isinstance(restored.notice, str)
    if restored.notice == NOTICE_DAMAGED:
        assert restored.state == PageState(tree="upwork")


def test_the_48_character_link_starts_clean_with_one_notice() -> None:
    assert len(FORGED) == 48
    restored = restore({"tree": "upwork", "s": FORGED}, TREES, load, TODAY)
    assert restored == Restored(PageState(tree="upwork"), NOTICE_DAMAGED)


@pytest.mark.parametrize("depth", [100, 1_000, 100_000])
def test_deeply_nested_json_is_damaged_not_an_error(depth: int) -> None:
    for opening, closing in (("[", "]"), ('{"a": ', "}")):
        text = '{"v": 1, "c": ' + opening * depth + closing * depth + "}"
        with pytest.raises(ValueError):
            decode_payload(b64(zlib.compress(text.encode())))


def test_nested_values_where_the_payload_expects_text_are_damaged() -> None:
    deep = "[" * 900 + "]" * 900
    for key in ("a", "e", "k", "c"):
        text = f'{{"v": 1, "{key}": {{"x": {deep}}}}}'
        restored = restore({"tree": "upwork", "s": b64(zlib.compress(text.encode()))}, TREES, load)
        assert restored.notice == NOTICE_DAMAGED


@given(st.text(max_size=2_000))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_any_string_as_s_gives_a_clean_start_or_a_valid_state(text: str) -> None:
    assert_clean_or_valid(restore({"tree": "upwork", "s": text}, TREES, load, TODAY))


@given(st.binary(max_size=2_000))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_any_bytes_as_s_give_a_clean_start_or_a_valid_state(raw: bytes) -> None:
    # The bytes as the link would carry them, and the bytes as the payload behind the link.
    for s in (b64(raw), b64(zlib.compress(raw)), raw.decode("latin-1")):
        assert_clean_or_valid(restore({"tree": "upwork", "s": s}, TREES, load, TODAY))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=20,
)
payload_dicts = st.fixed_dictionaries(
    {"v": st.sampled_from([1, 1, 1, 2, "1", None])},
    optional={
        "p": json_values,
        "r": json_values,
        "c": st.dictionaries(
            st.sampled_from(["client_name", "contract_end", "review_date", "rating", "x"]),
            json_values | st.dates().map(dt.date.isoformat),
        ),
        "a": st.dictionaries(
            st.sampled_from(["feedback_kind", "already_reported", "main_complaint", "nope"]),
            json_values | st.sampled_from(["public", "private", "yes", "no", "9999-12-31"]),
        ),
        "e": json_values,
        "k": json_values,
    },
)


@given(payload_dicts)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_any_well_encoded_payload_gives_a_clean_start_or_a_valid_state(
    data: dict[str, Any],
) -> None:
    text = json.dumps(data, allow_nan=True)
    s = b64(zlib.compress(text.encode("utf-8")))
    assert_clean_or_valid(restore({"tree": "upwork", "s": s}, TREES, load, TODAY))


def test_a_real_link_still_restores() -> None:
    state = PageState(tree="upwork", answers={"feedback_kind": "public"}, started=True)
    restored = restore({"tree": "upwork", "s": encode_payload(state)}, TREES, load, TODAY)
    assert restored.notice is None and restored.state.answers == {"feedback_kind": "public"}
