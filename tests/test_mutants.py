"""A seeded mutation corpus from every shipped tree: 300 mutants of the Upwork tree (the corpus of
the attack on the format) and 100 of each other tree (they share its format; 100 still uses every
operator three times), made by more than 30 operators (on the parsed data, dumped back to YAML,
and on the text itself). For each mutant:

- nothing but a TriageError comes out of the loader or the checks (no crash);
- every problem, rejection or warning, is located (line >= 1);
- a mutant the checks accept does hold what the checks claim to enforce: the start and every
  ``go:`` exist, every node is reachable and reaches an outcome without a loop, every source,
  deadline, ground and template named exists, each choice of a question has its own value,
  every scenario passes, invisible characters are warned about, and random walks never hit a
  dead end (unless the route check said the routes were too complex to prove).

The checks run with the templates folder (so missing templates count) but without the Jinja2
template checks, which cost a fifth of a second per tree and have their own tests.

The corpus is the same on every run (seeded); a failure names the operator and the mutant's
number, so ``mutants(tree)[n]`` gives the very text again.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from triage.errors import Problem, TriageError
from triage.paths import responses_dir, template_dirs, trees_dir
from triage.tree.checks import INVISIBLE, Report, check_loaded
from triage.tree.loader import LoadedTree, load_tree_text, parse_yaml
from triage.tree.model import (
    Branch,
    Case,
    Outcome,
    Tree,
)
from triage.walk.engine import DeadEndError, start

SEED = 20261127
PER_TREE = 300  # the Upwork tree's corpus
PER_OTHER_TREE = 100


def wanted(tree_file: Path) -> int:
    return PER_TREE if tree_file.stem == "upwork" else PER_OTHER_TREE


WALKS = 12  # random walks per accepted mutant

Data = dict[str, Any]
Rng = random.Random
DataOp = Callable[[Data, Rng], bool]  # mutates the data in place; False if it did not apply
TextOp = Callable[[str, Rng], str | None]  # a new text, or None if it did not apply

TREES = sorted(trees_dir().glob("*.yaml"))


# --- helpers on the parsed data --------------------------------------------------------------


def mappings(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Data]]:
    """Every mapping in the data, with its path."""
    if isinstance(value, dict):
        yield path, value
        for key, item in value.items():
            yield from mappings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from mappings(item, (*path, i))


def scalars(data: Data) -> list[tuple[Data | list[Any], Any]]:
    """(container, key) of every scalar value."""
    found: list[tuple[Data | list[Any], Any]] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, dict | list):
                    walk(item)
                else:
                    found.append((value, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict | list):
                    walk(item)
                else:
                    found.append((value, i))

    walk(data)
    return found


def nodes(data: Data) -> Data:
    value = data.get("nodes")
    return value if isinstance(value, dict) else {}


def gos(data: Data) -> list[tuple[Data, str]]:
    """(mapping, key) of every reference to a node: go, yes, no, start."""
    found: list[tuple[Data, str]] = [(data, "start")] if "start" in data else []
    for _, mapping in mappings(nodes(data), ("nodes",)):
        for key in ("go", "yes", "no"):
            if isinstance(mapping.get(key), str):
                found.append((mapping, key))
    return found


def conditions(data: Data) -> list[Data]:
    return [m for path, m in mappings(data) if path and path[-1] in ("when", "not")]


def pick(rng: Rng, items: list[Any]) -> Any:
    return items[rng.randrange(len(items))] if items else None


def node_ids(data: Data) -> list[str]:
    return list(nodes(data))


def of_type(data: Data, *types: str) -> list[Data]:
    return [n for n in nodes(data).values() if isinstance(n, dict) and n.get("type") in types]


# --- data operators ----------------------------------------------------------------------------


def delete_key(data: Data, rng: Rng) -> bool:
    _, mapping = pick(rng, [m for m in mappings(data) if m[1]])
    del mapping[pick(rng, list(mapping))]
    return True


def delete_required(data: Data, rng: Rng) -> bool:
    node = pick(rng, list(nodes(data).values()))
    keys = [k for k in ("type", "ask", "title", "summary", "template", "kind", "choices")
            if k in node]  # fmt: skip
    if not keys:
        return False
    del node[pick(rng, keys)]
    return True


def duplicate_key_by_alias(data: Data, rng: Rng) -> bool:
    """``is`` and ``is_`` name the same field: both at once."""
    cond = pick(rng, [c for c in conditions(data) if "is" in c])
    if cond is None:
        return False
    cond["is_"] = cond["is"]
    return True


def retarget_go(data: Data, rng: Rng) -> bool:
    mapping, key = pick(rng, gos(data))
    mapping[key] = pick(rng, node_ids(data))
    return True


def dangling_go(data: Data, rng: Rng) -> bool:
    mapping, key = pick(rng, gos(data))
    mapping[key] = "no_such_node_" + str(rng.randrange(100))
    return True


def go_to_self(data: Data, rng: Rng) -> bool:
    nid = pick(rng, [n for n, v in nodes(data).items() if isinstance(v, dict)
                     and v.get("type") != "outcome"])  # fmt: skip
    node = nodes(data)[nid]
    targets = [(m, k) for _, m in mappings(node) for k in ("go", "yes", "no") if k in m]
    if not targets:
        return False
    mapping, key = pick(rng, targets)
    mapping[key] = nid
    return True


def retarget_start(data: Data, rng: Rng) -> bool:
    data["start"] = pick(rng, node_ids(data))
    return True


def bad_start(data: Data, rng: Rng) -> bool:
    data["start"] = pick(rng, ["Start", "feedback kind", "", "x" * 70, "nowhere"])
    return True


REQUIRED_TEXT = ("title", "summary", "ask", "label", "platform", "name", "short", "rule", "item")


def blank_text(data: Data, rng: Rng) -> bool:
    found = [(m, k) for _, m in mappings(data) for k in REQUIRED_TEXT if isinstance(m.get(k), str)]
    mapping, key = pick(rng, found)
    mapping[key] = pick(rng, ["", "   ", "\t", "\u200b", "\u202e"])
    return True


def swap_type(data: Data, rng: Rng) -> bool:
    container, key = pick(rng, scalars(data))
    container[key] = pick(rng, [17, 2.5, True, None, ["a", "b"], {"k": "v"}, "text", -1])
    return True


def unknown_ground(data: Data, rng: Rng) -> bool:
    outcome = pick(rng, of_type(data, "outcome"))
    outcome["ground"] = pick(rng, ["bogus", "manipulation", "irrelevant", "conflict_of_interest"])
    return True


def drop_ground_entry(data: Data, rng: Rng) -> bool:
    grounds = data.get("grounds")
    if not isinstance(grounds, dict) or not grounds:
        return False
    del grounds[pick(rng, list(grounds))]
    return True


def unknown_kind(data: Data, rng: Rng) -> bool:
    outcome = pick(rng, of_type(data, "outcome"))
    outcome["kind"] = pick(rng, ["maybe", "Dispute", "respond", "dispute", "no_action"])
    return True


def change_node_type(data: Data, rng: Rng) -> bool:
    node = pick(rng, list(nodes(data).values()))
    node["type"] = pick(rng, ["yes_no", "choice", "multi", "date", "text", "branch", "outcome",
                              "question"])  # fmt: skip
    return True


def delete_node(data: Data, rng: Rng) -> bool:
    ids = node_ids(data)
    if len(ids) < 2:
        return False
    del nodes(data)[pick(rng, ids)]
    return True


def rename_node(data: Data, rng: Rng) -> bool:
    table = nodes(data)
    old = pick(rng, list(table))
    new = pick(rng, [old + "_renamed", old.upper(), "рrivate", "two words"])
    data["nodes"] = {(new if k == old else k): v for k, v in table.items()}
    return True


def duplicate_choice(data: Data, rng: Rng) -> bool:
    node = pick(rng, of_type(data, "choice", "multi"))
    if node is None:
        return False
    node["choices"].append(copy.deepcopy(pick(rng, node["choices"])))
    return True


def one_choice_only(data: Data, rng: Rng) -> bool:
    node = pick(rng, of_type(data, "choice", "multi"))
    if node is None:
        return False
    node["choices"] = node["choices"][:1]
    return True


def drop_otherwise(data: Data, rng: Rng) -> bool:
    node = pick(rng, [n for n in nodes(data).values() if isinstance(n, dict) and "otherwise" in n])
    if node is None:
        return False
    del node["otherwise"]
    return True


def drop_routes(data: Data, rng: Rng) -> bool:
    node = pick(rng, [n for n in nodes(data).values() if isinstance(n, dict) and n.get("routes")])
    if node is None:
        return False
    node["routes"] = node["routes"][1:]
    return True


def wrong_condition_value(data: Data, rng: Rng) -> bool:
    tests = ("is", "is_not", "includes")
    cond = pick(rng, [c for c in conditions(data) if any(k in c for k in tests)])
    if cond is None:
        return False
    key = next(k for k in ("is", "is_not", "includes") if k in cond)
    cond[key] = pick(rng, ["nonexistent", "Yes", "", "public "])
    return True


def two_subjects(data: Data, rng: Rng) -> bool:
    cond = pick(rng, [c for c in conditions(data) if "question" in c])
    if cond is None:
        return False
    cond["days_since"] = "contract_end"
    return True


def unknown_days_since(data: Data, rng: Rng) -> bool:
    cond = pick(rng, [c for c in conditions(data) if "days_since" in c])
    if cond is None:
        return False
    cond["days_since"] = pick(rng, ["nope", "contract end", "today", "review_date"])
    return True


def unknown_source(data: Data, rng: Rng) -> bool:
    node = pick(rng, [n for n in nodes(data).values() if isinstance(n, dict)])
    node["source"] = pick(rng, ["nope", "feedback removal", ""])
    return True


def unknown_deadline(data: Data, rng: Rng) -> bool:
    outcome = pick(rng, of_type(data, "outcome"))
    outcome["deadlines"] = [*outcome.get("deadlines", []), "no_such_deadline"]
    return True


def deadline_days(data: Data, rng: Rng) -> bool:
    deadlines = data.get("deadlines")
    if not isinstance(deadlines, dict) or not deadlines:
        return False
    rule = deadlines[pick(rng, list(deadlines))]
    rule[pick(rng, ["days", "from"])] = pick(rng, [-5, 99_999, 0, "today", "someday", 3.5])
    return True


def scenario_expect(data: Data, rng: Rng) -> bool:
    scenarios = data.get("scenarios")
    if not isinstance(scenarios, list) or not scenarios:
        return False
    pick(rng, scenarios)["expect"] = pick(rng, [*node_ids(data), "nowhere"])
    return True


def scenario_answer(data: Data, rng: Rng) -> bool:
    scenarios = [s for s in data.get("scenarios", []) if isinstance(s, dict) and s.get("answers")]
    scenario = pick(rng, scenarios)
    if scenario is None:
        return False
    qid = pick(rng, list(scenario["answers"]))
    scenario["answers"][qid] = pick(rng, ["maybe", ["a", "b"], "2026-13-45", 5])
    return True


def scenario_today(data: Data, rng: Rng) -> bool:
    """A scenario's day before its contract ended (found by fuzzing: it crashed the checks)."""
    scenarios = data.get("scenarios")
    if not isinstance(scenarios, list) or not scenarios:
        return False
    scenario = pick(rng, scenarios)
    scenario["today"] = pick(rng, ["1013-11-27", "2026-01-01", "9999-12-31", None])
    scenario.setdefault("context", {})["contract_end"] = "2026-11-01"
    return True


def duplicate_scenario_name(data: Data, rng: Rng) -> bool:
    scenarios = data.get("scenarios")
    if not isinstance(scenarios, list) or len(scenarios) < 2:
        return False
    scenarios[1]["name"] = scenarios[0]["name"]
    return True


def huge_string(data: Data, rng: Rng) -> bool:
    container, key = pick(rng, [(c, k) for c, k in scalars(data) if isinstance(c[k], str)])
    container[key] = "x" * pick(rng, [4_001, 5_000, 20_001, 60_000])
    return True


def invisible_characters(data: Data, rng: Rng) -> bool:
    container, key = pick(rng, [(c, k) for c, k in scalars(data) if isinstance(c[k], str)])
    junk = pick(rng, ["\u202e", "\u2066", "\u200b", "\ufeff", "\u2028", "\x07", "\x00", "\x85",
                      "\U0001f600", "\ud800"])  # fmt: skip
    text = container[key]
    at = rng.randrange(len(text) + 1)
    container[key] = text[:at] + junk + text[at:]
    return True


def deep_nesting(data: Data, rng: Rng) -> bool:
    container, key = pick(rng, scalars(data))
    value: Any = "deep"
    for _ in range(rng.choice([40, 70, 200])):
        value = [value]
    container[key] = value
    return True


def extra_key(data: Data, rng: Rng) -> bool:
    _, mapping = pick(rng, list(mappings(data)))
    mapping[pick(rng, ["colour", "titel", "go_to", "Type", "1"])] = "red"
    return True


def bad_tree_id(data: Data, rng: Rng) -> bool:
    data["id"] = pick(rng, ["Upwork", "up work", "other", "", "uрwork"])
    return True


def bad_template(data: Data, rng: Rng) -> bool:
    outcome = pick(rng, of_type(data, "outcome"))
    outcome["template"] = pick(rng, ["Bad Name", "../etc/passwd", "missing_template", ""])
    return True


def all_exclusive(data: Data, rng: Rng) -> bool:
    node = pick(rng, of_type(data, "multi"))
    if node is None:
        return False
    for choice in node["choices"]:
        choice["exclusive"] = True
    return True


def empty_section(data: Data, rng: Rng) -> bool:
    data[pick(rng, ["nodes", "sources", "deadlines", "grounds", "scenarios"])] = pick(
        rng, [{}, [], None]
    )
    return True


def settings_out_of_range(data: Data, rng: Rng) -> bool:
    data["settings"] = {pick(rng, ["reply_limit", "decision_margin_days"]): pick(
        rng, [-1, 0, 10**9, "long"]
    )}  # fmt: skip
    return True


DATA_OPS: list[DataOp] = [
    delete_key, delete_required, duplicate_key_by_alias, retarget_go, dangling_go, go_to_self,
    retarget_start, bad_start, blank_text, swap_type, unknown_ground, drop_ground_entry,
    unknown_kind, change_node_type, delete_node, rename_node, duplicate_choice, one_choice_only,
    drop_otherwise, drop_routes, wrong_condition_value, two_subjects, unknown_days_since,
    unknown_source, unknown_deadline, deadline_days, scenario_expect, scenario_answer,
    scenario_today, duplicate_scenario_name, huge_string, invisible_characters, deep_nesting,
    extra_key, bad_tree_id, bad_template, all_exclusive, empty_section, settings_out_of_range,
]  # fmt: skip


# --- text operators ----------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _content(lines: list[str], rng: Rng) -> int:
    candidates = [i for i, line in enumerate(lines) if line.strip() and not line.startswith("#")]
    return candidates[rng.randrange(len(candidates))]


def indent_more(text: str, rng: Rng) -> str | None:
    lines = _lines(text)
    i = _content(lines, rng)
    lines[i] = " " * rng.choice([1, 2, 3, 6]) + lines[i]
    return "\n".join(lines)


def indent_less(text: str, rng: Rng) -> str | None:
    lines = _lines(text)
    i = pick(rng, [i for i, line in enumerate(lines) if line.startswith("  ")])
    lines[i] = lines[i][rng.choice([1, 2]) :]
    return "\n".join(lines)


def over_indent_item(text: str, rng: Rng) -> str | None:
    lines = _lines(text)
    i = pick(rng, [i for i, line in enumerate(lines) if line.lstrip().startswith("- ")])
    if i is None:
        return None
    lines[i] = "    " + lines[i]
    return "\n".join(lines)


def duplicate_line(text: str, rng: Rng) -> str | None:
    lines = _lines(text)
    i = pick(rng, [i for i, line in enumerate(lines) if ": " in line and not line.startswith("#")])
    lines.insert(i + 1, lines[i])
    return "\n".join(lines)


def delete_line(text: str, rng: Rng) -> str | None:
    lines = _lines(text)
    del lines[_content(lines, rng)]
    return "\n".join(lines)


def swap_lines(text: str, rng: Rng) -> str | None:
    lines = _lines(text)
    i = _content(lines, rng)
    j = _content(lines, rng)
    lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def tab_indent(text: str, rng: Rng) -> str | None:
    lines = _lines(text)
    i = pick(rng, [i for i, line in enumerate(lines) if line.startswith("  ")])
    lines[i] = "\t" + lines[i].lstrip(" ")
    return "\n".join(lines)


def control_character(text: str, rng: Rng) -> str | None:
    at = rng.randrange(len(text))
    junk = rng.choice(["\x00", "\x01", "\x07", "\x1b[31m", "\x7f", "\x9b", "\ufffe"])
    return text[:at] + junk + text[at:]


def truncate(text: str, rng: Rng) -> str | None:
    return text[: rng.randrange(len(text))]


def anchors_and_aliases(text: str, rng: Rng) -> str | None:
    lines = _lines(text)
    i = pick(rng, [i for i, line in enumerate(lines) if line.rstrip().endswith(":")
                   and line.startswith("  ") and not line.startswith("   ")])  # fmt: skip
    if i is None:
        return None
    lines[i] = lines[i] + " &" + "a" * rng.randrange(1, 4)
    lines.append("extra: *a")
    return "\n".join(lines)


def unbalanced_bracket(text: str, rng: Rng) -> str | None:
    lines = _lines(text)
    i = pick(rng, [i for i, line in enumerate(lines) if ": " in line and not line.startswith("#")])
    lines[i] = lines[i].replace(": ", ": " + pick(rng, ["[", "{", "]", "'", '"', "*", "!!python/"]),
                                1)  # fmt: skip
    return "\n".join(lines)


def mid_file_bom(text: str, rng: Rng) -> str | None:
    lines = _lines(text)
    i = _content(lines, rng)
    lines[i] = lines[i] + "\ufeff"
    return "\n".join(lines)


def second_document(text: str, rng: Rng) -> str | None:
    return text + "\n---\nid: again\n"


def flood(text: str, rng: Rng) -> str | None:
    return text + "\nflood: [" + "*x, " * rng.choice([100, 5_000]) + "]\n"


def merge_key(text: str, rng: Rng) -> str | None:
    return text.replace("\nsettings:\n", "\nsettings:\n  <<: {reply_limit: 100}\n", 1)


TEXT_OPS: list[TextOp] = [
    indent_more, indent_less, over_indent_item, duplicate_line, delete_line, swap_lines,
    tab_indent, control_character, truncate, anchors_and_aliases, unbalanced_bracket,
    mid_file_bom, second_document, flood, merge_key,
]  # fmt: skip

OPERATORS = [op.__name__ for op in DATA_OPS + TEXT_OPS]


# --- the corpus ------------------------------------------------------------------------------


@cache
def mutants(tree_file: Path) -> tuple[tuple[str, str], ...]:
    """(operator, text) of the tree's mutants (:func:`wanted`), the same on every run."""
    text = tree_file.read_text(encoding="utf-8")
    data, _ = parse_yaml(text, tree_file.name)
    rng = random.Random(f"{SEED}:{tree_file.name}")
    ops: list[DataOp | TextOp] = [*DATA_OPS, *TEXT_OPS]
    found: list[tuple[str, str]] = []
    attempt = 0
    count = wanted(tree_file)
    while len(found) < count and attempt < count * 5:
        op = ops[attempt % len(ops)]
        attempt += 1
        if op in TEXT_OPS:
            mutated = op(text, rng)
            if mutated is None or mutated == text:
                continue
        else:
            copied = copy.deepcopy(data)
            try:
                applied = op(copied, rng)
            except (KeyError, TypeError, AttributeError, IndexError, ValueError):
                applied = False  # the operator found nothing to change here
            if not applied:
                continue
            try:
                mutated = yaml.safe_dump(copied, sort_keys=False, allow_unicode=True, width=4096)
            except yaml.YAMLError:  # e.g. a lone surrogate PyYAML will not write
                continue
        found.append((op.__name__, mutated))
    return tuple(found)


ANSWER_DAY = dt.date(2026, 11, 26)  # the walks below are on 2026-11-27: no date after it


def walk_answers(tree: Tree, rng: Rng) -> dict[str, Any]:
    """A random answer to every question, each of its type's own kind (see model.py)."""
    return {qid: q.sample(rng, ANSWER_DAY) for qid, q in tree.questions.items()}


def targets(tree: Tree) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for nid, node in tree.nodes.items():
        out: list[str] = []
        if not isinstance(node, Outcome):
            out += [c.go for c in getattr(node, "choices", ()) if c.go]
            out += [r.go for r in node.routes]
            if node.otherwise is not None:
                out.append(node.otherwise.go)
            go = getattr(node, "go", None)
            if go:
                out.append(go)
        found[nid] = out
    return found


def assert_holds_what_the_checks_claim(loaded: LoadedTree, report: Report, rng: Rng) -> None:
    """An accepted tree keeps every promise the checks make."""
    tree = loaded.tree
    assert tree.start in tree.nodes, "start points to no node"
    succ = targets(tree)
    for nid, out in succ.items():
        assert all(t in tree.nodes for t in out), f"{nid}: a go: points to no node"
        assert isinstance(tree.nodes[nid], Outcome) or out, f"{nid}: leads nowhere"
    seen, queue = {tree.start}, [tree.start]
    while queue:
        for nxt in succ[queue.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    assert seen == set(tree.nodes), f"unreachable: {sorted(set(tree.nodes) - seen)[:3]}"
    state: dict[str, int] = {}

    def no_cycle(nid: str) -> None:
        state[nid] = 1
        for nxt in succ[nid]:
            assert state.get(nxt) != 1, f"cycle through {nid}"
            if nxt not in state:
                no_cycle(nxt)
        state[nid] = 2

    no_cycle(tree.start)
    for nid, node in tree.nodes.items():
        assert node.source is None or node.source in tree.sources, f"{nid}: unknown source"
        if isinstance(node, Outcome):
            assert all(d in tree.deadlines for d in node.deadlines), f"{nid}: unknown deadline"
            if node.kind == "dispute":
                assert node.ground in tree.grounds, f"{nid}: dispute without a known ground"
            else:
                assert node.ground is None, f"{nid}: a ground on a {node.kind}"
    assert all(g.source in tree.sources for g in tree.grounds.values())
    for nid, question in tree.questions.items():
        values = [c.value for c in getattr(question, "choices", ())]
        assert len(values) == len(set(values)), f"{nid}: two choices with one value"
    folders = template_dirs(tree.id, responses_dir())
    for nid, outcome in tree.outcomes.items():
        for suffix in ("md", "txt"):
            name = f"{outcome.template}.{suffix}.j2"
            assert any((f / name).is_file() for f in folders), f"{nid}: no template {name}"
    texts = [
        tree.title,
        tree.platform,
        *(s.title for s in tree.sources.values()),
        *(d.label for d in tree.deadlines.values()),
        *(s.name for s in tree.scenarios),
    ]
    for g in tree.grounds.values():
        texts += [g.name, g.short, g.rule]
    for node in tree.nodes.values():
        if isinstance(node, Outcome):
            texts += [node.title, node.summary, *node.next_steps, *(e.item for e in node.evidence)]
        elif not isinstance(node, Branch):
            texts += [node.ask, *(c.label for c in getattr(node, "choices", ()))]
    blank = [t for t in texts if not INVISIBLE.sub("", t).strip()]
    assert not blank, f"blank required text accepted: {blank[:3]!r}"
    invisible = INVISIBLE.search(loaded.text)
    warned = [p for p in report.problems if p.code == "invisible-char"]
    assert bool(invisible) == bool(warned), "an invisible character without a warning"
    assert all(s.ok for s in report.scenarios), "a scenario fails"
    names = [s.name for s in tree.scenarios]
    assert len(set(names)) == len(names), "two scenarios share a name"
    if any(p.code == "too-complex" for p in report.problems):
        return  # the routes were not proven: dead ends are not promised away
    for _ in range(WALKS):
        case = Case.model_validate(
            {
                "tree": tree.id,
                "today": "2026-11-27",
                "context": {"contract_end": rng.choice([None, "2026-11-20", "2026-09-01"])},
                "answers": walk_answers(tree, rng),
            }
        )
        try:
            start(tree, case)
        except DeadEndError as error:
            raise AssertionError(f"an accepted tree has a dead end: {error}") from None
        except TriageError:
            pass  # an answer that does not fit (e.g. a date after today): not a dead end


def located(problems: tuple[Problem, ...] | list[Problem], what: str) -> None:
    for p in problems:
        assert p.line >= 1 and p.column >= 1, f"{what}: unlocated {p.code}: {p.message}"
        assert p.file == "mutant.yaml", f"{what}: {p.code} names {p.file!r}"


def check_mutant(operator: str, text: str, rng: Rng) -> str:
    """'rejected', 'accepted' or 'flagged' (loads, but the checks report errors)."""
    try:
        loaded = load_tree_text(text, "mutant.yaml")
    except TriageError as error:
        problems = getattr(error, "problems", ())
        assert problems, f"{operator}: a rejection without problems: {error}"
        located(problems, operator)
        return "rejected"
    report = check_loaded(loaded, responses_dir())
    located(report.problems, operator)
    if not report.ok:
        return "flagged"
    assert_holds_what_the_checks_claim(loaded, report, rng)
    return "accepted"


@pytest.mark.parametrize("tree_file", TREES, ids=[t.stem for t in TREES])
def test_the_unmutated_tree_is_accepted(tree_file: Path) -> None:
    data, _ = parse_yaml(tree_file.read_text(encoding="utf-8"), tree_file.name)
    dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=4096)
    for text in (tree_file.read_text(encoding="utf-8"), dumped):
        assert check_mutant("none", text, random.Random(SEED)) == "accepted"


@pytest.mark.parametrize("tree_file", TREES, ids=[t.stem for t in TREES])
def test_every_mutant_is_refused_located_or_keeps_every_promise(tree_file: Path) -> None:
    corpus = mutants(tree_file)
    assert len(corpus) >= wanted(tree_file)
    assert len(OPERATORS) >= 30 and len({op for op, _ in corpus}) >= 30
    rng = random.Random(SEED)
    outcomes: Counter[str] = Counter()
    for number, (operator, text) in enumerate(corpus):
        try:
            outcomes[check_mutant(operator, text, rng)] += 1
        except AssertionError as failure:
            raise AssertionError(f"mutant {number} ({operator}): {failure}") from None
        except Exception as crash:  # anything but a TriageError is a crash
            raise AssertionError(
                f"mutant {number} ({operator}) crashed: {type(crash).__name__}: {crash}"
            ) from crash
    # The corpus exercises all three ways out, so none of the checks above is vacuous.
    assert outcomes["rejected"] and outcomes["flagged"] and outcomes["accepted"], outcomes
