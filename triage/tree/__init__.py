"""The tree format: the model, loading YAML, explaining errors, checks, route proofs,
topology, scenarios, the schema and the diagram."""
