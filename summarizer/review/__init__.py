"""Review: an analyst checks and corrects a run's briefs in the browser (`summarizer review`),
and the corrections become data (reviews/, `export --reviewed`, `gold export`)."""

from .store import Review, brief_hash, corrected, review_json_schema

__all__ = ["Review", "brief_hash", "corrected", "review_json_schema"]
