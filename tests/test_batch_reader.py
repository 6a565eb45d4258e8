"""``triage walk --batch`` reads each line with ``json.loads``
(``triage.tree.loader.load_case_json``), with the protections of the YAML path and errors
located in the line, and works out a tree's walk facts once for the whole batch without
changing a single result."""

from __future__ import annotations

import io
import json
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage.cli import commands, main
from triage.errors import CaseError, TriageError, UnknownQuestionError, did_you_mean
from triage.paths import trees_dir
from triage.tree.loader import load_case_json, load_case_located, load_tree
from triage.tree.model import (
    AnswerValue,
    Branch,
    Case,
    DateQuestion,
    ManyChoice,
    OneChoice,
    Outcome,
    TextQuestion,
    Tree,
    YesNo,
)
from triage.walk import engine
from triage.walk.conditions import facts_for
from triage.walk.engine import DeadEndError, Step, Walk, normalise_answer, route, start

TREE = load_tree(trees_dir() / "upwork.yaml").tree
LOCATED = ("case:1:", "not valid JSON at column", "the line is not valid UTF-8 at column")


def run_batch(tmp_path: Path, lines: list[bytes]) -> tuple[int, list[dict[str, Any]]]:
    path = tmp_path / "cases.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    out = io.StringIO()
    code = main(["walk", "--batch", str(path)], out)
    return code, [json.loads(line) for line in out.getvalue().splitlines()]


def located(message: str) -> bool:
    return message.startswith(LOCATED) or message.startswith("the line is not a JSON object")


# --- the same answers as the YAML path ------------------------------------------------------


def scenario_lines() -> list[bytes]:
    lines = []
    for s in TREE.scenarios:
        case = {
            "tree": "upwork",
            "today": s.today.isoformat() if s.today else "2026-11-27",
            "context": s.context.model_dump(mode="json", exclude_defaults=True),
            "answers": dict(s.answers),
        }
        lines.append(json.dumps(case, ensure_ascii=False).encode())
    return lines


@pytest.mark.parametrize("raw", scenario_lines(), ids=[s.name[:40] for s in TREE.scenarios])
def test_a_scenario_line_reads_as_the_yaml_path_reads_it(raw: bytes) -> None:
    assert load_case_json(raw) == load_case_located(raw, "case")[0]


HOSTILE = [
    b'{"tree": "upwork", "context": {"rating": true}}',
    b'{"tree": "upwork", "answers": {"a": [1, {"b": 2}]}, "extra": 1}',
    b'{"tree": "upwork", "today": "9999-12-31", "context": {"review_date": "9999-01-01"}}',
    b'{"tree": "upwork", "context": {"contract_end": "2027-01-01"}, "today": "2026-01-01"}',
    b'{"tree": "upwork", "answers": {"when": "9999-01-01"}}',
    b'{"tree": "upwork", "ticks": {"x": [100]}, "edits": {"y": 3}}',
    b'{"context": {"client_name": ["a"], "rating": 6, "review_date": "2026-02-30"}}',
    ('{"tree": "' + "x" * 20_001 + '"}').encode(),
    b"[" * 63 + b"]" * 63,
    b'{"a":' * 70 + b"1" + b"}" * 70,
    b'{"tree": "upwork"}',
    b"{}",
]


@pytest.mark.parametrize("raw", HOSTILE, ids=range(len(HOSTILE)))
def test_a_hostile_line_gets_the_problems_the_yaml_path_finds(raw: bytes) -> None:
    def problems(read: Any) -> list[tuple[str, int, int]] | Case:
        try:
            return read(raw)  # type: ignore[no-any-return]
        except CaseError as error:
            return [(p.code, p.line, p.column) for p in error.problems]

    by_json = problems(load_case_json)
    by_yaml = problems(lambda r: load_case_located(r, "case")[0])
    if isinstance(by_yaml, list) and by_yaml and by_yaml[0][0] == "too-deep":
        assert isinstance(by_json, list) and by_json[0][0] == "too-deep"
    else:
        assert by_json == by_yaml


# --- the protections -----------------------------------------------------------------------


def reject(raw: bytes) -> CaseError:
    with pytest.raises(CaseError) as caught:
        load_case_json(raw)
    assert located(str(caught.value)), str(caught.value)
    return caught.value


def test_a_repeated_key_is_refused_at_its_second_place() -> None:
    error = reject(b'{"tree": "upwork", "answers": {"a": "x", "a": "y"}}')
    assert str(error).startswith(
        'case:1:42: key "a" appears twice in the same object: at column 32'
    )


def test_nan_and_infinity_are_refused_where_they_are() -> None:
    assert str(reject(b'{"context": {"rating": NaN}}')).startswith("case:1:24: NaN is not")
    assert "case:1:24: -Infinity is not" in str(reject(b'{"context": {"rating": -Infinity}}'))


def test_deep_nesting_is_refused_before_decoding() -> None:
    raw = b'{"answers": {"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"
    assert "more than 64 levels deep" in str(reject(raw))


def test_a_lone_surrogate_is_refused_and_a_pair_is_read() -> None:
    assert "case:1:20: \\ud800 is half of a character pair" in str(
        reject(b'{"tree": "upwork x \\ud800"}')
    )
    case = load_case_json(b'{"tree": "upwork", "context": {"client_name": "\\ud83d\\ude00"}}')
    assert case.context.client_name == "\U0001f600"


def test_too_many_values_are_refused() -> None:
    raw = b'{"answers": {"a": [' + b",".join([b"0"] * 250_000) + b"]}}"
    assert "more than 200000 values" in str(reject(raw))


def test_a_line_over_the_size_limit_is_one_error_and_the_next_line_is_read(
    tmp_path: Path,
) -> None:
    big = b'{"tree": "' + b"x" * 1_500_000 + b'"}'
    good = json.dumps({"tree": "upwork", "answers": {}}).encode()
    code, results = run_batch(tmp_path, [big, good])
    assert code == 1
    assert results[0]["error"].startswith("line 1: case:1:1000001: the line is longer than")
    assert results[1]["next"]["id"] == "feedback_kind"


def test_raw_control_characters_are_not_json() -> None:
    assert str(reject(b'{"tree": "a\x07b"}')).startswith("not valid JSON at column 12")


def test_not_utf8_says_where() -> None:
    assert str(reject(b'{"tree": "\xc3\xa9\xff"}')).startswith(
        "the line is not valid UTF-8 at column 12: byte 0xff"
    )


# --- any bytes: a result or a located error, never a crash --------------------------------

_KEYS = ["tree", "today", "context", "answers", "edits", "ticks", "rating", "contract_end",
         "feedback_kind", "client_name", "review_date", "x"]  # fmt: skip
_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(["upwork", "2026-11-27", "9999-12-31", "public", "yes", ""]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(_KEYS) | st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=25,
)


_JUNK = [b"{", b"}", b"[", b"]", b",", b":", b'"', b"\\", b"\xff", b"\x00", b"NaN",
         b"\\ud800", b'"tree": 1, "tree"', b"\r"]  # fmt: skip


def _mangle(data: bytes, cuts: list[tuple[int, bytes]]) -> bytes:
    for at, junk in cuts:
        at %= len(data) + 1
        data = data[:at] + junk + data[at:]
    return data


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(
        st.one_of(
            st.binary(max_size=80).map(lambda b: b.replace(b"\n", b" ")),
            _json.map(lambda v: json.dumps(v, ensure_ascii=False).encode()),
            st.tuples(
                st.dictionaries(st.sampled_from(_KEYS), _json, max_size=5),
                st.lists(
                    st.tuples(
                        st.integers(0, 200),
                        st.sampled_from(_JUNK),
                    ),
                    max_size=3,
                ),
            ).map(lambda t: _mangle(json.dumps(t[0], ensure_ascii=False).encode(), t[1])),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_any_bytes_give_a_result_or_a_located_error(
    tmp_path_factory: pytest.TempPathFactory, lines: list[bytes]
) -> None:
    lines = [line.replace(b"\n", b" ") for line in lines]
    code, results = run_batch(tmp_path_factory.mktemp("b"), lines)
    assert code in (0, 1)
    expected = [n for n, line in enumerate(lines, start=1) if line.strip()]
    assert len(results) == len(expected)
    for number, result in zip(expected, results, strict=True):
        if "error" in result:
            message = result["error"]
            assert message.startswith(f"line {number}: ")
            text = message.removeprefix(f"line {number}: ")
            # Errors about the case are located in the line; errors about its tree name the tree.
            assert located(text) or "tree" in text or "answer" in text, message
        else:
            assert result["status"] in ("complete", "needs_answer")


@settings(max_examples=300)
@given(raw=st.binary(max_size=200))
def test_the_reader_never_raises_anything_but_a_case_error(raw: bytes) -> None:
    try:
        load_case_json(raw)
    except CaseError as error:
        assert located(str(error)), str(error)


# --- walk facts once, results unchanged ----------------------------------------------------


def test_each_tree_is_loaded_and_its_walk_facts_worked_out_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[str] = []
    facts: list[int] = []
    real_load = commands.load_case_tree
    real_facts = engine.TreeFacts

    def counted_load(case: Case, *args: Any) -> Any:
        loads.append(case.tree)
        return real_load(case, *args)

    def counted_facts(*args: Any, **kwargs: Any) -> Any:
        facts.append(1)
        return real_facts(*args, **kwargs)

    monkeypatch.setattr(commands, "load_case_tree", counted_load)
    monkeypatch.setattr(engine, "TreeFacts", counted_facts)
    engine._FACTS.clear()
    lines = scenario_lines() * 5 + [b'{"tree": "nope"}'] * 3
    code, results = run_batch(tmp_path, lines)
    assert code == 1
    assert loads == ["upwork", "nope"]
    assert len(facts) == 1
    assert sum("error" in r for r in results) == 3


def reference_start(tree: Tree, case: Case) -> Walk:
    """The walk as the engine did it before the walk facts: every step routed afresh."""
    questions = tree.questions
    for qid in case.answers:
        if qid not in questions:
            raise UnknownQuestionError(qid, did_you_mean(qid, questions))
    today = case.on()
    kept: dict[str, AnswerValue] = {}
    path: list[Step] = []
    at = tree.start
    seen: set[str] = set()
    while True:
        if at in seen:
            raise DeadEndError(f'the tree loops back to "{at}"', "run triage check on the tree")
        seen.add(at)
        node = tree.nodes.get(at)
        if node is None:
            raise DeadEndError(f'the tree points to a missing node "{at}"', "run triage check")
        if isinstance(node, Outcome):
            break
        answer: AnswerValue | None = None
        if not isinstance(node, Branch):
            if at not in case.answers:
                break
            answer = normalise_answer(at, node, case.answers[at], today)
            kept[at] = answer
        facts = facts_for(tree, case.context, kept, today)
        step = route(node, answer, facts)
        if step is None:
            raise DeadEndError(f'no route leads on from "{at}"', "run triage check on the tree")
        path.append(Step(node=at, answer=answer, reason=step[1], go=step[0], via=step[2]))
        at = step[0]
    return Walk(tree=tree, case=case, path=tuple(path), at=at, answers=kept)


def _answers_for(tree: Tree) -> st.SearchStrategy[dict[str, Any]]:
    options: dict[str, st.SearchStrategy[Any]] = {}
    for qid, q in tree.questions.items():
        if isinstance(q, YesNo | OneChoice):
            values = [c.value for c in q.choices]
            choice: st.SearchStrategy[Any] = st.sampled_from([*values, "nonsense", True])
        elif isinstance(q, ManyChoice):
            values = [c.value for c in q.choices]
            choice = st.lists(st.sampled_from(values), max_size=3) | st.just("nonsense")
        elif isinstance(q, DateQuestion):
            choice = st.sampled_from(["2026-11-01", "2026-10-01", "2026-12-25", "", "soon"])
        else:
            assert isinstance(q, TextQuestion)
            choice = st.text(string.ascii_letters + " ", max_size=20)
        options[qid] = st.none() | choice
    return st.fixed_dictionaries(options).map(
        lambda d: {k: v for k, v in d.items() if v is not None}
    )


def outcome(walk_of: Any, tree: Tree, case: Case) -> Any:
    try:
        walk = walk_of(tree, case)
    except TriageError as error:
        return type(error).__name__, str(error)
    return walk.path, walk.at, dict(walk.answers), walk.to_json()


@settings(max_examples=400)
@given(
    answers=_answers_for(TREE),
    contract_end=st.sampled_from([None, "2026-11-20", "2026-10-01", "2026-06-01"]),
    review_date=st.sampled_from([None, "2026-11-21", "2026-09-01"]),
)
def test_the_walk_with_facts_once_equals_the_walk_routed_afresh(
    answers: dict[str, Any], contract_end: str | None, review_date: str | None
) -> None:
    try:
        case = Case.model_validate(
            {
                "tree": "upwork",
                "today": "2026-11-27",
                "context": {"contract_end": contract_end, "review_date": review_date},
                "answers": answers,
            }
        )
    except ValueError:
        return
    for _ in range(2):  # the second walk meets the steps the first one remembered
        assert outcome(start, TREE, case) == outcome(reference_start, TREE, case)
