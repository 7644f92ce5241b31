"""Whole-project analysis: the project model, the checks and the reporters."""
