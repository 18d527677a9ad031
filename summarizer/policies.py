"""What a run does with a fact grounding cannot support. A module of its own so that the
command line can offer the choices without importing the pipeline."""

from __future__ import annotations

from typing import Literal

Policy = Literal["flag", "drop", "reask"]
POLICIES: tuple[Policy, ...] = ("flag", "drop", "reask")
