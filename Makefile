# The project's task runner: each target is the exact command CONTRIBUTING.md describes.
.PHONY: install test test-fast test-marked lint schemas record-seed record-eval eval bench demo

install:
	python -m pip install -q -e ".[dev]"

test: install
	python -m mypy --strict summarizer && python -m pytest && python -m pytest -m "model or ray or subprocess or gate or system"

test-fast:
	python -m pytest

test-marked:
	python -m pytest -m "model or ray or subprocess or gate or system"

lint:
	ruff check .

schemas:
	summarizer schema --write summarizer/_schemas

demo:
	summarizer run samples/ --out briefs/

record-seed:
	python scripts/record_seed.py

record-eval:
	python scripts/record_eval.py

eval:
	summarizer eval --dataset evals --backend rules --backend hybrid --backend constrained --backend local --replay --max-tokens 768 --max-reasks 0 --out eval-out/ --check evals/baselines

bench:
	python bench/local_backend.py
	python bench/batch_overhead.py
