"""Models of the masterplan app (see docs/architecture.md for the module map)."""
