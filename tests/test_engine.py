from __future__ import annotations

import datetime as dt
import pickle

import pytest
from pydantic import ValidationError

from triage.errors import AnswerError, UnknownQuestionError
from triage.tree.model import Case, Tree
from triage.walk.engine import start

TODAY = dt.date(2026, 11, 27)


def case(**answers: object) -> Case:
    return Case(tree="mini", today=TODAY, context={"contract_end": "2026-11-20"}, answers=answers)


def test_empty_case_stops_at_the_first_question(mini: Tree) -> None:
    walk = start(mini, case())
    assert walk.status == "needs_answer"
    assert walk.at == "kind"
    assert walk.path == ()


def test_full_walk_reaches_outcome_with_path_and_reasons(mini: Tree) -> None:
    walk = start(mini, case(kind="public", threat="yes", where=["call", "messages"]))
    assert walk.status == "complete"
    assert walk.outcome is not None and walk.outcome.ground == "manipulation"
    assert [(s.node, s.answer) for s in walk.path] == [
        ("kind", "public"),
        ("threat", "yes"),
        ("where", ["messages", "call"]),
    ]
    assert walk.path[-1].reason == "written proof"


def test_branch_steps_record_why(mini: Tree) -> None:
    walk = start(mini, case(kind="public", threat="no"))
    assert walk.at == "fixed"
    assert walk.path[-1].node == "window"
    assert walk.path[-1].answer is None
    assert walk.path[-1].reason == "window open"


def test_day_28_keeps_the_window_open_and_day_29_closes_it(mini: Tree) -> None:
    answers = {"kind": "public", "threat": "no"}
    on_28 = Case(
        today=dt.date(2026, 12, 18), context={"contract_end": "2026-11-20"}, answers=answers
    )
    on_29 = on_28.model_copy(update={"today": dt.date(2026, 12, 19)})
    assert start(mini, on_28).at == "fixed"
    assert start(mini, on_29).at == "nothing"


def test_unknown_contract_end_makes_day_counts_false(mini: Tree) -> None:
    walk = start(mini, Case(today=TODAY, answers={"kind": "public", "threat": "no"}))
    assert walk.at == "fixed"


def test_answer_returns_a_new_walk_and_leaves_the_old_one(mini: Tree) -> None:
    first = start(mini, case())
    second = first.answer("public")
    assert first.at == "kind" and second.at == "threat"
    assert first.answers == {} and second.answers == {"kind": "public"}


def test_back_takes_back_the_last_answer(mini: Tree) -> None:
    walk = start(mini, case(kind="public", threat="no"))
    back = walk.back()
    assert back.at == "threat"
    assert back.answers == {"kind": "public"}
    assert back.back().at == "kind"
    assert back.back().back().at == "kind"


def test_changing_an_earlier_answer_keeps_later_answers_still_on_the_path(mini: Tree) -> None:
    walk = start(mini, case(kind="public", threat="yes", where=["call"], fixed="Added tests"))
    assert walk.at == "reply"
    changed = walk.answer("no", question="threat")
    # "where" is off the new path; "fixed" is still on it.
    assert changed.answers == {"kind": "public", "threat": "no", "fixed": "Added tests"}
    assert changed.at == "reply"


def test_changing_an_answer_drops_answers_now_off_the_path(mini: Tree) -> None:
    walk = start(mini, case(kind="public", threat="no", fixed="x"))
    changed = walk.answer("private", question="kind")
    assert changed.answers == {"kind": "private"}
    assert changed.outcome is not None and changed.outcome.kind == "no_action"
    # Switching back does not resurrect dropped answers.
    assert changed.answer("public", question="kind").at == "threat"


def test_invalid_answer_names_the_question_and_the_allowed_values(mini: Tree) -> None:
    with pytest.raises(AnswerError) as raised:
        start(mini, case()).answer("maybe")
    assert raised.value.question == "kind"
    assert raised.value.allowed == ("public", "private")
    assert '"maybe" is not an answer to "kind"; allowed: "public", "private"' in str(raised.value)


@pytest.mark.parametrize("bad", [["messages", "fax"], 3, [1]])
def test_invalid_multi_answers_are_rejected(mini: Tree, bad: object) -> None:
    walk = start(mini, case(kind="public", threat="yes"))
    with pytest.raises(AnswerError):
        walk.answer(bad)


def test_a_case_with_an_unknown_question_gets_did_you_mean(mini: Tree) -> None:
    with pytest.raises(UnknownQuestionError, match="thret") as raised:
        start(mini, case(thret="yes"))
    assert 'did you mean "threat"' in str(raised.value)


def test_answering_a_question_off_the_path_is_refused(mini: Tree) -> None:
    with pytest.raises(AnswerError, match="not on this walk"):
        start(mini, case()).answer("yes", question="threat")


def test_text_answers_are_trimmed_and_limited(mini: Tree) -> None:
    walk = start(mini, case(kind="public", threat="no"))
    assert walk.answer("  fixed the header\x00 ").answers["fixed"] == "fixed the header"
    with pytest.raises(AnswerError, match="under 500"):
        walk.answer("x" * 501)


def test_yes_no_accepts_booleans_from_json(mini: Tree) -> None:
    walk = start(mini, case(kind="public"))
    assert walk.answer(True).answers["threat"] == "yes"


def test_deadlines_before_and_at_the_outcome(mini: Tree) -> None:
    early = start(mini, case())
    assert [(d.name, d.date, d.days_left) for d in early.deadlines] == [
        ("reply_window", dt.date(2026, 12, 18), 21)
    ]
    done = start(mini, case(kind="public", threat="yes", where=["messages"]))
    assert [(d.name, d.date.isoformat()) for d in done.deadlines] == [
        ("decision", "2026-12-08"),
        ("reply_window", "2026-12-18"),
    ]


def test_walk_json_matches_the_contract(mini: Tree) -> None:
    data = start(mini, case(kind="public")).to_json()
    assert set(data) == {"tree", "status", "next", "outcome", "path", "deadlines"}
    assert data["status"] == "needs_answer"
    assert data["next"] == {
        "id": "threat",
        "ask": "Threat?",
        "type": "yes_no",
        "choices": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}],
    }
    assert data["outcome"] is None
    assert data["path"][0]["node"] == "kind" and data["path"][0]["answer"] == "public"
    done = start(mini, case(kind="private")).to_json()
    assert done["outcome"] == {
        "id": "nothing",
        "kind": "no_action",
        "ground": None,
        "title": "Nothing",
    }
    assert done["next"] is None


def test_trees_are_frozen_all_the_way_down(mini: Tree) -> None:
    with pytest.raises(ValidationError):
        mini.start = "threat"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        mini.nodes["kind"].ask = "changed"  # type: ignore[union-attr,misc]
    with pytest.raises(TypeError, match="cannot be changed"):
        mini.nodes["extra"] = mini.nodes["kind"]
    with pytest.raises(TypeError):
        mini.deadlines.pop("decision")
    with pytest.raises(AttributeError):
        mini.nodes["kind"].choices.append(mini.nodes["kind"].choices[0])  # type: ignore[union-attr]
    assert "extra" not in mini.nodes and "decision" in mini.deadlines


def test_a_frozen_tree_survives_pickling_and_json(mini: Tree) -> None:
    again = pickle.loads(pickle.dumps(mini))
    assert again == mini
    assert Tree.model_validate_json(mini.model_dump_json(by_alias=True)) == mini


def test_errors_survive_pickling() -> None:
    error = AnswerError("kind", "maybe", ("public", "private"))
    again = pickle.loads(pickle.dumps(error))
    assert str(again) == str(error) and again.allowed == error.allowed
    unknown = pickle.loads(pickle.dumps(UnknownQuestionError("x", "hint")))
    assert unknown.question == "x" and unknown.hint == "hint"


def test_an_exclusive_choice_cannot_be_ticked_with_others(mini: Tree) -> None:
    data = mini.model_dump(by_alias=True)
    data["nodes"]["where"]["choices"] = [
        *data["nodes"]["where"]["choices"],
        {"value": "none", "label": "None of these", "exclusive": True},
    ]
    tree = Tree.model_validate(data)
    walk = start(tree, case(kind="public", threat="yes"))
    with pytest.raises(AnswerError, match='"None of these" cannot be ticked with other choices'):
        walk.answer(["none", "call"])
    assert walk.answer(["none"]).answers["where"] == ["none"]


def test_date_answers_must_be_yyyy_mm_dd_and_not_after_today() -> None:
    from triage.tree.model import DateQuestion

    question = DateQuestion(type="date", ask="When?")
    from triage.walk.engine import normalise_answer

    assert normalise_answer("d", question, " 2026-11-20 ", TODAY) == "2026-11-20"
    for bad in ("20261120", "2026-W48-5", "20/11/2026", "2026-02-30"):
        with pytest.raises(AnswerError, match="YYYY-MM-DD"):
            normalise_answer("d", question, bad, TODAY)
    with pytest.raises(AnswerError, match="cannot be after today"):
        normalise_answer("d", question, "2026-11-28", TODAY)
    later = question.model_copy(update={"allow_future": True})
    assert normalise_answer("d", later, "2027-01-01", TODAY) == "2027-01-01"


def test_a_contract_cannot_have_ended_after_today() -> None:
    with pytest.raises(ValidationError, match="after today"):
        Case(today=TODAY, context={"contract_end": "2026-12-01"})


def test_a_list_answer_to_a_one_choice_question_is_shown_plainly(mini: Tree) -> None:
    with pytest.raises(AnswerError, match='"public" is not an answer') as raised:
        start(mini, case()).answer(["public"])
    assert "[" not in str(raised.value)


def test_a_date_question_can_fill_in_a_missing_case_date(mini: Tree) -> None:
    data = mini.model_dump(by_alias=True)
    data["start"] = "ended"
    data["nodes"]["ended"] = {
        "type": "date",
        "ask": "When did it end?",
        "source": "s",
        "fills": "contract_end",
        "go": "kind",
    }
    tree = Tree.model_validate(data)
    walk = start(
        tree, Case(today=TODAY, answers={"ended": "2026-10-01", "kind": "public", "threat": "no"})
    )
    # 57 days since the typed-in end: the window branch counts from the answer.
    assert walk.at == "nothing"
    early = start(tree, Case(today=TODAY, answers={"ended": "2026-11-20"}))
    assert [(d.name, d.date.isoformat()) for d in early.deadlines] == [
        ("reply_window", "2026-12-18")
    ]
    # A date the case does give wins over the answer.
    given = start(
        tree,
        Case(
            today=TODAY,
            context={"contract_end": "2026-11-20"},
            answers={"ended": "2026-10-01", "kind": "public", "threat": "no"},
        ),
    )
    assert given.at == "fixed"
