"""Gap analysis: pure pandas, no database. See docs/analysis.md for the rules computed here."""
