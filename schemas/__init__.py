"""Exported JSON Schemas, shipped in the wheel as summarizer._schemas (data only)."""
