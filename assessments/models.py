"""Models of the assessments app (see docs/architecture.md for the module map)."""
