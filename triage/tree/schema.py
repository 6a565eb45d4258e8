"""The JSON Schema of the tree format, generated from the models.

The committed copy in ``schema/tree.schema.json`` is what editors use (through each tree's
``# yaml-language-server: $schema=`` first line); a test fails when it drifts from the models.
"""

from __future__ import annotations

from typing import Any

from triage.tree.model import Tree

SCHEMA_FILE = "schema/tree.schema.json"


def tree_schema() -> dict[str, Any]:
    """The schema, with the YAML key names (aliases such as ``is``, ``in`` and ``from``)."""
    schema = Tree.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
    }
