"""The disk cache of parsed rules files (``triage.text.rules_file``) never changes a result: the
tone rules and the screen signals read back from it find exactly what freshly parsed ones find,
their regexes come back from the stored regex code, and a damaged or missing entry falls back to
the file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from triage.errors import TreeError
from triage.text import regex_cache, rules_file
from triage.text.prescreen import RULES_FILE as SIGNALS_FILE
from triage.text.prescreen import ScreenRules, parse_signals, screen
from triage.text.tone import RULES_FILE as TONE_FILE
from triage.text.tone import ToneRules, check, parse_rules

TEXTS = [
    "You idiot. Refund the $250 or I'll leave one star.",
    "Great work, but Upwork's fees are a scam. Visit www.cheap-followers.example now!",
    "asdf jkl; qwerty zxcv",
    "She is my ex and told me to write this. Typical of people from there.",
    "Call me at +1 555 123 4567, this is f*cking unacceptable.",
]


def findings(signals: ScreenRules, tone: ToneRules) -> list[object]:
    return [screen(t, t, rules=signals).to_json() for t in TEXTS] + [
        check(t, rules=tone).to_json() for t in TEXTS
    ]


def test_rules_read_back_from_the_cache_find_the_same(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    signals_text, tone_text = SIGNALS_FILE.read_bytes(), TONE_FILE.read_bytes()
    first = findings(parse_signals(signals_text), parse_rules(tone_text))
    stored = sorted(cache_dir.glob("*.pickle"))
    assert len(stored) >= 2, "both files were stored"
    compiled: list[str] = []
    real_compile = re.compile

    def counting(pattern: str, flags: int = 0) -> re.Pattern[str]:
        compiled.append(pattern)
        return real_compile(pattern, flags)

    parsed: list[str] = []
    real_parse = rules_file.parse_data

    def parsing(*args: Any) -> Any:
        parsed.append(args[2])
        return real_parse(*args)

    monkeypatch.setattr(regex_cache.re, "compile", counting)
    monkeypatch.setattr(rules_file, "parse_data", parsing)
    again = findings(parse_signals(signals_text), parse_rules(tone_text))
    assert again == first
    assert parsed == [], "both came from the cache, unparsed"
    assert not [p for p in compiled if len(p) > 200], "no phrase list was compiled again"


def test_a_damaged_entry_is_parsed_again(cache_dir: Path) -> None:
    text = TONE_FILE.read_bytes()
    first = findings(parse_signals(SIGNALS_FILE.read_bytes()), parse_rules(text))
    for entry in cache_dir.glob("*.pickle"):
        entry.write_bytes(entry.read_bytes()[:80] + b"garbage")
    assert findings(parse_signals(SIGNALS_FILE.read_bytes()), parse_rules(text)) == first


def test_a_broken_file_is_never_cached(cache_dir: Path) -> None:
    broken = TONE_FILE.read_text(encoding="utf-8").replace("\nrules:", "\nrulez:", 1)
    for _ in range(2):
        with pytest.raises(TreeError):
            parse_rules(broken, "tone.yaml")


def test_with_the_cache_off_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TRIAGE_CACHE", "0")
    parse_rules(TONE_FILE.read_bytes())
    assert not (tmp_path / "cache").exists()
