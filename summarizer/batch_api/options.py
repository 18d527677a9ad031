"""What `--batch-api` can be told: retries, polling and the providers' limits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

RetryMode = Literal["batch", "live"]
RETRY_MODES: tuple[RetryMode, ...] = ("batch", "live")


@dataclass(frozen=True)
class BatchAPIOptions:
    """`retry`: failed lines and invalid answers go once more in a follow-up batch, or live.
    Polling starts at `poll_start` seconds and doubles up to `poll_max`. `max_requests` and
    `max_bytes` cap one batch (None: the provider's own limit; tests pass tiny ones)."""

    retry: RetryMode = "batch"
    poll_start: float = 1.0
    poll_max: float = 60.0
    max_requests: int | None = None
    max_bytes: int | None = None
