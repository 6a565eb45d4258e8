"""Issue "Speed and proof", faults 3 and 7: messages that point at the right place and name what
is wrong.

- A control character was located from libyaml's byte offset converted to bytes a second time
  (``getattr(yaml, "CParser", ())`` is ``()``), up to 35 lines off and even past the end.
- A Cyrillic letter in an id looked identical in the message; U+0085 had no name; a file of
  only ``~`` was called empty.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.errors import TreeError, char_name, describe_char
from triage.paths import tree_path
from triage.tree import yamlsafe
from triage.tree.loader import load_tree_text

ROOT = Path(__file__).resolve().parent.parent
UPWORK = (ROOT / "decision_trees" / "upwork.yaml").read_text(encoding="utf-8")


def problems(text: str | bytes) -> list[tuple[str, int, int, str]]:
    with pytest.raises(TreeError) as caught:
        load_tree_text(text, "t.yaml")
    return [(p.code, p.line, p.column, p.message) for p in caught.value.problems]


@pytest.fixture(params=["libyaml", "python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with libyaml's parser and with PyYAML's pure-Python one: both count alike."""
    if request.param == "python":
        monkeypatch.setattr(yamlsafe, "_Loader", yaml.SafeLoader)
    return str(request.param)


# --- fault 3: control characters --------------------------------------------------------------


def test_the_control_character_of_the_issue_is_on_line_3(parser: str) -> None:
    assert problems('id: t\ntitle: "café —"\nx: a\x07b\n'.encode()) == [
        ("control-char", 3, 5, "the file contains an invisible control character (U+0007)")
    ]


def test_the_cli_says_line_3(tmp_path: Path) -> None:
    path = tmp_path / "ctl.yaml"
    path.write_bytes('id: t\ntitle: "café —"\nx: a\x07b\n'.encode())
    result = subprocess.run(
        [sys.executable, "-m", "triage.cli", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout.startswith("ctl.yaml:3:5: error: the file contains an invisible control")


def test_a_control_character_after_many_accented_lines_is_not_moved(parser: str) -> None:
    # 35 lines of three-byte characters: the old double conversion landed past the end.
    text = "".join(f"k{i}: {'—' * 20}\n" for i in range(35)) + "last: x\x01y\n"
    assert problems(text)[0][:3] == ("control-char", 36, 8)


@given(
    before=st.lists(st.text(st.sampled_from("aé—ж😀 "), max_size=12), min_size=0, max_size=8),
    prefix=st.text(st.sampled_from("aé—ж😀 "), max_size=12),
    char=st.sampled_from(["\x00", "\x07", "\x1b", "\x7f", "\x9b", "\ufffe"]),
)
@settings(max_examples=150)
def test_any_control_character_is_located_exactly(
    before: list[str], prefix: str, char: str
) -> None:
    lines = [f"k{i}: '{line}'" for i, line in enumerate(before)]
    text = "\n".join([*lines, f"last: '{prefix}{char}'"]) + "\n"
    code, line, column, _ = problems(text)[0]
    assert (code, line, column) == ("control-char", len(lines) + 1, len("last: '" + prefix) + 1)


# --- fault 7: weak messages -------------------------------------------------------------------


def test_a_cyrillic_letter_in_an_id_is_named() -> None:
    text = UPWORK.replace("id: upwork", "id: upw\u043erk", 1)
    assert text != UPWORK
    found = [p for p in problems(text) if p[0] == "bad-id"]
    assert found, problems(text)
    message = found[0][3]
    assert '"о" (U+043E CYRILLIC SMALL LETTER O)' in message
    with pytest.raises(TreeError) as caught:
        load_tree_text(text, "t.yaml")
    hint = next(p.hint for p in caught.value.problems if p.code == "bad-id")
    assert hint.endswith('e.g. "upwork"')  # the Latin letter, not "upw_rk"


def test_an_invisible_character_in_an_id_is_named_and_shown_as_an_escape() -> None:
    text = UPWORK.replace("id: upwork", 'id: "up\\Nwork"', 1)  # \N is U+0085 NEXT LINE
    message = next(p[3] for p in problems(text) if p[0] == "bad-id")
    assert "U+0085 NEXT LINE" in message
    assert "\x85" not in message and '"up\\u0085work"' in message


def test_characters_are_named_even_when_unicode_has_no_name() -> None:
    assert char_name("\x85") == "U+0085 NEXT LINE"
    assert char_name("\x1b") == "U+001B ESCAPE"
    assert char_name("\x9b") == "U+009B CONTROL CHARACTER"
    assert describe_char("о") == '"о" (U+043E CYRILLIC SMALL LETTER O)'
    assert describe_char("\u202e") == "U+202E RIGHT-TO-LEFT OVERRIDE"


def test_a_tree_name_with_a_look_alike_letter_says_so() -> None:
    with pytest.raises(Exception, match=r"U\+043E CYRILLIC SMALL LETTER O") as caught:
        tree_path("upw\u043erk")
    assert 'did you mean "upwork"?' in str(caught.value)


@pytest.mark.parametrize(
    ("text", "shown"), [("~\n", "~"), ("null\n", "null"), ("NULL # x\n", "NULL")]
)
def test_a_file_holding_only_a_null_is_not_called_empty(text: str, shown: str) -> None:
    ((code, line, column, message),) = problems(text)
    assert (code, line, column) == ("root-not-mapping", 1, 1)
    assert f'only a null value ("{shown}")' in message
    assert "empty" not in message


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_a_file_with_nothing_in_it_is_still_empty(text: str) -> None:
    assert [p[0] for p in problems(text)] == ["empty"]
