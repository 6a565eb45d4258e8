"""Walking a tree: the engine, conditions and dates."""
