"""Prompt templates, shipped in the wheel as summarizer._prompts (data only)."""
