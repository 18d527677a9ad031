"""Engines and frameworks the pipeline runs inside, each behind its own extra.

    ray.py    Ray Data: a reader of the CLI's inputs, a callable class for
              `Dataset.map_batches`, and `summarizer run --engine ray` (extra `ray`)

Nothing here is imported by the core unless asked for: `import summarizer` never imports Ray.
"""
