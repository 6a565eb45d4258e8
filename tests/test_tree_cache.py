"""The disk cache of parsed trees (``triage.tree.loader.TreeCache``) never changes a result: a tree
loaded from the cache equals the tree parsed from its file, with the same positions and the same
problems, and a missing, stale, damaged, foreign or unwritable cache falls back to the file."""

from __future__ import annotations

import os
import pickle
import tomllib
from pathlib import Path

import pytest

import triage
from triage.errors import TreeError
from triage.paths import responses_dir, trees_dir
from triage.tree.checks import check_loaded
from triage.tree.loader import LoadedTree, TreeCache, load_tree, load_tree_text

ROOT = Path(__file__).resolve().parent.parent
UPWORK = trees_dir() / "upwork.yaml"


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle")) if folder.is_dir() else []


def same(a: LoadedTree, b: LoadedTree) -> None:
    assert a.tree == b.tree
    assert a.tree.model_dump() == b.tree.model_dump()
    assert a.file == b.file and a.text == b.text
    assert dict(a.positions.marks) == dict(b.positions.marks)
    assert a.positions.file == b.positions.file
    first = check_loaded(a, responses_dir())
    again = check_loaded(b, responses_dir())
    assert first.problems == again.problems
    assert [s.to_json() for s in first.scenarios] == [s.to_json() for s in again.scenarios]


def test_the_package_version_matches_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert triage.__version__ == project["project"]["version"]


def test_a_cached_load_equals_a_fresh_parse(cache_dir: Path) -> None:
    fresh = load_tree_text(UPWORK.read_bytes(), "decision_trees/upwork.yaml")
    first = load_tree(UPWORK, display="decision_trees/upwork.yaml")  # parses and stores
    assert len(entries(cache_dir)) == 1
    cached = load_tree(UPWORK, display="decision_trees/upwork.yaml")  # from the cache
    assert cached is not first
    same(fresh, first)
    same(fresh, cached)


def test_the_cache_is_really_read(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_tree(UPWORK)

    def no_parse(*args: object, **kwargs: object) -> LoadedTree:
        raise AssertionError("parsed again")

    monkeypatch.setattr("triage.tree.loader.load_tree_text", no_parse)
    assert load_tree(UPWORK).tree.id == "upwork"


def test_a_changed_file_is_parsed_again(cache_dir: Path, tmp_path: Path) -> None:
    tree = tmp_path / "upwork.yaml"
    text = UPWORK.read_text(encoding="utf-8")
    tree.write_text(text, encoding="utf-8")
    before = load_tree(tree)
    tree.write_text(text.replace("title: ", "title: Changed ", 1), encoding="utf-8")
    after = load_tree(tree)
    assert after.tree.title == "Changed " + before.tree.title
    assert len(entries(cache_dir)) == 2


def test_the_name_shown_in_messages_is_part_of_the_key(cache_dir: Path) -> None:
    assert load_tree(UPWORK, display="a.yaml").file == "a.yaml"
    assert load_tree(UPWORK, display="b.yaml").file == "b.yaml"
    assert load_tree(UPWORK, display="b.yaml").positions.file == "b.yaml"


def test_a_tree_with_problems_is_never_cached(cache_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: broken\ntitle: ''\n", encoding="utf-8")
    with pytest.raises(TreeError) as first:
        load_tree(broken)
    with pytest.raises(TreeError) as again:
        load_tree(broken)
    assert first.value.problems == again.value.problems
    assert entries(cache_dir) == []


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not a cache entry",
        TreeCache.MAGIC + b"0" * 64 + b"\n" + pickle.dumps({"a": 1}),
        b"truncated",
    ],
    ids=["empty", "garbage", "wrong-key", "truncated"],
)
def test_a_damaged_entry_falls_back_to_the_file(cache_dir: Path, damage: bytes) -> None:
    load_tree(UPWORK)
    [entry] = entries(cache_dir)
    good = entry.read_bytes()
    if damage == b"truncated":
        damage = good[: len(good) // 2]
    entry.write_bytes(damage)
    same(load_tree(UPWORK), load_tree_text(UPWORK.read_bytes(), "decision_trees/upwork.yaml"))


def test_an_entry_of_another_kind_is_ignored(cache_dir: Path) -> None:
    load_tree(UPWORK)
    [entry] = entries(cache_dir)
    key = entry.stem
    entry.write_bytes(TreeCache.MAGIC + key.encode() + b"\n" + pickle.dumps(["not", "a tree"]))
    assert load_tree(UPWORK).tree.id == "upwork"


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_folder_others_can_write_to_is_not_used(cache_dir: Path) -> None:
    load_tree(UPWORK)
    cache_dir.chmod(0o777)
    try:
        assert TreeCache(cache_dir).get(entries(cache_dir)[0].stem) is None
        assert load_tree(UPWORK).tree.id == "upwork"
    finally:
        cache_dir.chmod(0o700)


def test_an_unwritable_cache_falls_back_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(blocker / "cache"))
    assert load_tree(UPWORK).tree.id == "upwork"
    assert load_tree(UPWORK).tree.id == "upwork"


def test_the_cache_can_be_turned_off(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_CACHE", "0")
    assert TreeCache.default() is None
    load_tree(UPWORK)
    assert entries(cache_dir) == []


def test_the_default_folder_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRIAGE_CACHE_DIR", raising=False)
    monkeypatch.delenv("TRIAGE_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache = TreeCache.default()
    assert cache is not None and cache.folder == tmp_path / "feedback-triage"
    monkeypatch.delenv("XDG_CACHE_HOME")
    cache = TreeCache.default()
    assert cache is not None and cache.folder == Path.home() / ".cache" / "feedback-triage"


def test_old_entries_are_pruned(cache_dir: Path, tmp_path: Path) -> None:
    text = UPWORK.read_text(encoding="utf-8")
    tree = tmp_path / "upwork.yaml"
    for i in range(TreeCache.KEEP + 3):
        tree.write_text(text + f"# edit {i}\n", encoding="utf-8")
        load_tree(tree)
    assert len(entries(cache_dir)) == TreeCache.KEEP


def test_a_loaded_tree_pickles_to_an_equal_tree() -> None:
    loaded = load_tree_text(UPWORK.read_bytes(), "u.yaml")
    _ = loaded.tree.questions, loaded.tree.outcomes  # cached properties do not get in the way
    same(pickle.loads(pickle.dumps(loaded)), loaded)


@pytest.mark.parametrize(
    "args",
    [
        ["validate", str(UPWORK), "--format", "json"],
        ["check", "--format", "json"],
        ["walk", "-", "--format", "json"],
    ],
    ids=["validate", "check", "walk"],
)
def test_the_command_line_says_the_same_with_and_without_the_cache(
    args: list[str], cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import sys

    from triage.cli import main

    case = "tree: upwork\ntoday: 2026-11-27\ncontext: {contract_end: 2026-11-20}\nanswers: {}\n"

    def run() -> tuple[int, str]:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(case.encode())))
        out = io.StringIO()
        code = main(args, out)
        return code, out.getvalue()

    monkeypatch.setenv("TRIAGE_CACHE", "0")
    uncached = run()
    monkeypatch.delenv("TRIAGE_CACHE")
    stored, cached = run(), run()  # the first stores, the second reads
    assert entries(cache_dir)
    assert uncached == stored == cached
