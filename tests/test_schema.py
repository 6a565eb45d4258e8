"""The committed JSON Schema matches the models, and every tree points editors at it."""

from __future__ import annotations

import json
from pathlib import Path

from triage.paths import tree_ids, tree_path
from triage.tree.model import Condition, Deadline, Outcome, Tree, YesNo
from triage.tree.schema import SCHEMA_FILE, tree_schema

ROOT = Path(__file__).resolve().parent.parent


def test_committed_schema_matches_the_models() -> None:
    committed = json.loads((ROOT / SCHEMA_FILE).read_text(encoding="utf-8"))
    assert committed == tree_schema(), (
        "schema/tree.schema.json is stale: run `triage schema > schema/tree.schema.json`"
    )


def test_schema_uses_the_yaml_key_names_and_describes_every_field() -> None:
    schema = tree_schema()
    condition = schema["$defs"]["Condition"]["properties"]
    assert {"is", "in", "all", "any", "not"} <= set(condition)
    assert "from" in schema["$defs"]["Deadline"]["properties"]
    for model in (Tree, Condition, Deadline, Outcome, YesNo):
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name} has no description"


def test_every_tree_names_the_schema_on_its_first_line() -> None:
    for name in tree_ids():
        first = tree_path(name).read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/tree.schema.json"
