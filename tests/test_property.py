"""Random answer sequences on every shipped tree end in an outcome or in the engine's own
invalid-answer error, never another exception, and within the tree's node count."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage.errors import AnswerError
from triage.paths import tree_ids, tree_path
from triage.tree.loader import load_tree
from triage.tree.model import Case, Tree
from triage.walk.engine import start

TREES = {name: load_tree(tree_path(name)).tree for name in tree_ids()}


def valid_answer(tree: Tree, qid: str, data: st.DataObject, today: dt.date) -> object:
    """A valid answer of the question's type (its own random strategy, seeded by Hypothesis)."""
    seed = data.draw(st.integers(min_value=0, max_value=2**32 - 1))
    return tree.questions[qid].sample(random.Random(seed), today)


junk = st.one_of(
    st.text(max_size=20),
    st.integers(),
    st.none(),
    st.lists(st.text(max_size=5)),
    st.booleans(),
    st.floats(allow_nan=True),
)


@pytest.mark.parametrize("name", sorted(TREES))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    today=st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31)),
    ended_days_ago=st.one_of(st.none(), st.integers(0, 400)),
)
def test_random_walks_end_in_an_outcome_or_an_answer_error(
    name: str, data: st.DataObject, today: dt.date, ended_days_ago: int | None
) -> None:
    tree = TREES[name]
    contract_end = None if ended_days_ago is None else today - dt.timedelta(days=ended_days_ago)
    walk = start(tree, Case(tree=name, today=today, context={"contract_end": contract_end}))
    backs = junk_tries = answered = 0
    while walk.outcome is None and answered <= len(tree.nodes):
        assert walk.question is not None
        if junk_tries < 5 and data.draw(st.integers(0, 9), label="junk roll") == 0:
            junk_tries += 1
            value = data.draw(junk, label="junk")
            try:
                walk = walk.answer(value)
            except AnswerError as error:
                assert error.question == walk.at
            continue
        walk = walk.answer(valid_answer(tree, walk.at, data, today))
        answered += 1
        if backs < 3 and data.draw(st.integers(0, 7), label="back roll") == 0:
            walk = walk.back()
            backs += 1
    assert walk.outcome is not None, "the walk did not end within the tree's node count"
    assert len(walk.path) <= len(tree.nodes)
