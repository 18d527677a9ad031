"""Prompt templates, read through importlib.resources (data only)."""
