"""Coverage-guided fuzzing (atheris) of the tree loader and the case readers. Not part of the
test run: it needs ``pip install atheris`` and runs for as long as it is told.

    python fuzz/fuzz_loader.py -max_total_time=60 -rss_limit_mb=4096 [CORPUS_DIR ...]

Each input's first byte picks the target; the rest is the file's bytes:

- 0: a tree (``load_tree_text``), then the whole-tree checks on a tree that loads;
- 1: a case file, YAML or JSON (``load_case_located``);
- 2: one line of ``triage walk --batch`` (``load_case_json``), then the walk of the shipped tree.

A finding is anything but a TriageError (a crash), or a problem without a line (unlocated).
With no corpus folder given, the harness seeds a temporary one with the malformed trees of the
test suite, the small test trees, and a few cases and batch lines, and prints the number of runs
at the end; libFuzzer stops at the first finding and writes it to ``crash-*`` in a temporary
folder it names (``-artifact_prefix=DIR/`` to choose).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris  # type: ignore[import-untyped,import-not-found,unused-ignore]

ROOT = Path(__file__).resolve().parent.parent

with atheris.instrument_imports():
    from triage.errors import Problem, TriageError
    from triage.tree.checks import check_loaded
    from triage.tree.loader import load_case_json, load_case_located, load_tree, load_tree_text
    from triage.walk.engine import start

TREE = load_tree(ROOT / "decision_trees" / "upwork.yaml").tree
CASES = [
    b"tree: upwork\ntoday: 2026-11-27\ncontext: {contract_end: 2026-11-20, rating: 2}\n"
    b"answers: {feedback_kind: public, already_reported: not_yet}\n",
    b'{"tree": "upwork", "today": "2026-11-27", "answers": {"feedback_kind": "private"}}',
    b"tree: upwork\nanswers:\n  feedback_kind: public\n  when: 2026-01-01\nedits: {a/b: text}\n",
]


def located(problems: tuple[Problem, ...] | list[Problem], what: str) -> None:
    for p in problems:
        if p.line < 1:
            raise AssertionError(f"{what}: unlocated problem {p.code}: {p.message}")


def test_one_input(data: bytes) -> None:
    if not data:
        return
    target, raw = data[0] % 3, data[1:]
    try:
        if target == 0:
            loaded = load_tree_text(raw, "fuzz.yaml")
            located(check_loaded(loaded).problems, "tree checks")
        elif target == 1:
            load_case_located(raw, "fuzz.yaml")
        else:
            case = load_case_json(raw.split(b"\n", 1)[0], "case")
            if case.tree == "upwork":
                start(TREE, case).to_json()
    except TriageError as error:
        problems = getattr(error, "problems", ())
        if target == 0 or problems:  # a case's JSON errors carry the column in the message
            located(problems, ("tree", "case", "batch line")[target])


def seed(folder: Path) -> None:
    """The starting corpus: small files of every kind, each behind its target byte."""
    files = sorted((ROOT / "tests" / "malformed").glob("*.yaml"))
    files += sorted((ROOT / "tests" / "trees").glob("*.yaml"))
    for i, path in enumerate(files):
        (folder / f"tree-{i}").write_bytes(b"\x00" + path.read_bytes())
    for i, case in enumerate(CASES):
        (folder / f"case-{i}").write_bytes(b"\x01" + case)
        (folder / f"line-{i}").write_bytes(b"\x02" + case.replace(b"\n", b" "))


def main() -> None:
    args = sys.argv
    if not any(not a.startswith("-") for a in args[1:]):
        corpus = tempfile.mkdtemp(prefix="fuzz-loader-")
        seed(Path(corpus))
        args = [*args, corpus]
    if not any(a.startswith("-artifact_prefix=") for a in args):
        findings = tempfile.mkdtemp(prefix="fuzz-findings-")
        print(f"findings (if any) go to {findings}/", file=sys.stderr)
        args = [*args, f"-artifact_prefix={findings}/"]
    atheris.Setup(args, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
