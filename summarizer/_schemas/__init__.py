"""JSON Schemas written by `summarizer schema --write summarizer/_schemas`
(data only; a test fails when one drifts from the models)."""
