"""Case files: YAML or JSON, hardened like trees, with located, friendly CaseErrors."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from pathlib import Path

import pytest

from triage.errors import CaseError, TriageError
from triage.tree.loader import load_case, load_case_text
from triage.tree.model import Case

GOOD_YAML = """\
tree: upwork
today: 2026-11-27
context:
  client_name: Dana
  project_title: Landing page redesign
  contract_end: 2026-11-20
  rating: 2
  review_text: |
    Late and sloppy.
answers:
  feedback_kind: public
  threat: no
  agreed: yes
  where: [messages, call]
"""


def case_error(text: str | bytes, file: str = "case.yaml") -> CaseError:
    with pytest.raises(CaseError) as caught:
        load_case_text(text, file)
    assert isinstance(caught.value, TriageError)
    return caught.value


def test_good_yaml_case() -> None:
    case = load_case_text(GOOD_YAML)
    assert isinstance(case, Case)
    assert case.today == dt.date(2026, 11, 27)
    assert case.context.contract_end == dt.date(2026, 11, 20)
    assert case.context.rating == 2
    assert case.context.review_text == "Late and sloppy.\n"
    assert case.answers == {
        "feedback_kind": "public",
        "threat": "no",
        "agreed": "yes",
        "where": ["messages", "call"],
    }


def test_good_json_case_with_tab_indentation() -> None:
    data = {
        "tree": "upwork",
        "today": "2026-11-27",
        "context": {"client_name": "Dana", "contract_end": "2026-11-20", "rating": 2.5},
        "answers": {"feedback_kind": "public", "where": ["messages"]},
    }
    case = load_case_text(json.dumps(data, indent="\t"), "case.json")
    assert case.context.rating == 2.5
    assert case.answers == {"feedback_kind": "public", "where": ["messages"]}
    assert load_case_text(json.dumps(data).encode()) == case


def test_true_false_answers_become_yes_no() -> None:
    case = load_case_text("answers: {a: true, b: false, c: TRUE, d: on, e: 3, f: 2026-11-20}\n")
    assert case.answers == {"a": "yes", "b": "no", "c": "yes", "d": "on", "e": "3",
                            "f": "2026-11-20"}  # fmt: skip
    case = load_case_text('{"answers": {"a": true, "b": false}}')
    assert case.answers == {"a": "yes", "b": "no"}


def test_unknown_key_with_did_you_mean() -> None:
    error = case_error("tree: upwork\ntoday: 2026-11-27\ncontext:\n  clinet_name: Dana\n")
    assert str(error).startswith(
        'case.yaml:4:3: unknown key "clinet_name" in context; did you mean "client_name"? '
        "(allowed keys: client_name, freelancer_name, "
    )
    assert "\n" not in error.message
    error = case_error("tree: upwork\nanswer: {a: yes}\n")
    assert error.message.startswith(
        'case.yaml:2:1: unknown key "answer" in the case; did you mean "answers"?'
    )


def test_bad_date() -> None:
    error = case_error("today: 2026-02-30\ncontext:\n  contract_end: last week\n")
    assert error.message.splitlines() == [
        'case.yaml:1:1: "today" should be a date written YYYY-MM-DD, got "2026-02-30" '
        "(day value is outside expected range)",
        'case.yaml:3:3: "contract_end" should be a date written YYYY-MM-DD, got "last week" '
        "(input is too short)",
    ]


def test_several_problems_are_listed_one_per_line() -> None:
    error = case_error("context:\n  rating: 9\n  clinet_name: Dana\nanswers: [a, b]\n")
    assert error.message.splitlines() == [
        'case.yaml:2:3: "rating" should be at most 5, got 9',
        'case.yaml:3:3: unknown key "clinet_name" in context; did you mean "client_name"? '
        "(allowed keys: client_name, freelancer_name, project_title, contract_id, "
        "contract_end, contract_running, review_date, rating, review_text, messages)",
        'case.yaml:4:1: "answers" should be a group of "key: value" lines, got a list',
    ]
    assert [p.code for p in error.problems] == ["out-of-range", "unknown-key", "wrong-type"]  # type: ignore[attr-defined]


def test_yaml_hazards_in_a_case() -> None:
    error = case_error('{"tree": "a",\n "tree": "b"}', "case.json")
    assert error.message == (
        'case.json:2:2: key "tree" appears twice: on line 1 and on line 2 (keep one of them)'
    )
    error = case_error("tree: !!python/object/apply:os.system [echo]\n")
    assert error.message.startswith('case.yaml:1:7: tags ("!!python/object/apply:os.system")')
    assert case_error("[1, 2]").message.startswith(
        'case.yaml:1:1: the file should be made of "key: value" lines, but it is a list'
    )
    assert case_error("# nothing\n").message.startswith("case.yaml:1:1: the file is empty")
    assert case_error('{"tree": "upwork",').message.startswith(
        "case.yaml:1:19: the file ends too early: a bracket, quote or value is missing"
    )
    assert case_error('{"tree": "upwork\n').message.startswith(
        "case.yaml:1:10: the file ends inside an unclosed quote or bracket"
    )


def test_over_one_megabyte_is_refused() -> None:
    error = case_error("tree: upwork\n# " + "x" * 1_000_000)
    assert error.message.startswith("case.yaml:2:")
    assert "the file is larger than 1,000,000 bytes" in error.message


def test_binary_garbage_is_refused() -> None:
    error = case_error(bytes(range(256)) * 4, "case.bin")
    assert error.message == (
        "case.bin:2:118: the file is not UTF-8 text: byte 0x80 at byte offset 128 cannot be read "
        "(save the file with the UTF-8 encoding)"
    )
    error = case_error(bytes(range(128)), "case.bin")
    assert error.message == (
        "case.bin:1:1: the file contains an invisible control character (U+0000) "
        "(delete it, or retype the text around it; is this really a text file?)"
    )
    error = case_error(b"tree: up\xffwork\n", "case.bin")
    assert error.message == (
        "case.bin:1:9: the file is not UTF-8 text: byte 0xff at byte offset 8 cannot be read "
        "(save the file with the UTF-8 encoding)"
    )
    error = case_error(b"\x89PNG\r\n\x1a\n\x00\x00", "photo.png")
    assert "not UTF-8 text: byte 0x89 at byte offset 0" in error.message


def test_case_error_pickles_with_its_message() -> None:
    error = case_error("context:\n  clinet_name: Dana\n  rating: x\n")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is CaseError
    assert copy.message == error.message
    assert str(copy) == str(error)
    assert len(copy.message.splitlines()) == 2


def test_load_case_from_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cases").mkdir()
    path = tmp_path / "cases" / "mine.yaml"
    path.write_text(GOOD_YAML)
    assert load_case(path).context.client_name == "Dana"
    path.write_text("context:\n  clinet_name: Dana\n")
    with pytest.raises(CaseError) as caught:
        load_case(path)
    assert caught.value.message.startswith('cases/mine.yaml:2:3: unknown key "clinet_name"')


def test_unreadable_case_names_no_machine_path(tmp_path: Path) -> None:
    with pytest.raises(CaseError) as caught:
        load_case(tmp_path / "gone.yaml")
    assert caught.value.message == "gone.yaml: cannot read the file: No such file or directory"
    assert caught.value.hint == "check the file name and that the file is readable"
    assert str(tmp_path) not in str(caught.value)
