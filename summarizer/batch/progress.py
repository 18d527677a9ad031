"""Progress of a run: a rich bar on a terminal, plain lines otherwise, nothing when quiet."""

from __future__ import annotations

import sys
import threading
from typing import Any


class Progress:
    """Counts finished articles; safe to call from every worker. `total` None: not known
    ahead (a streamed run reads its inputs as it goes)."""

    def __init__(self, total: int | None, quiet: bool) -> None:
        self.quiet = quiet
        self.done = 0
        self.total = total
        self._lock = threading.Lock()
        self._bar: Any = None
        self._last = ""
        if not quiet and sys.stderr.isatty():
            from rich.progress import Progress as Bar

            self._bar = Bar(transient=False)
            self._task = self._bar.add_task("briefing", total=total)
            self._bar.start()

    def step(self, key: str, status: str, reason: str | None = None) -> None:
        """One article finished; `reason` (a failure's why) is printed above the bar too."""
        with self._lock:
            self.done += 1
            why = f" ({reason})" if reason else ""
            if self._bar is not None:
                self._bar.update(self._task, advance=1, description=f"{status}: {key[:40]}")
                if reason:
                    self._bar.console.print(f"{status}: {reason}", markup=False,
                                            highlight=False)
            elif not self.quiet:
                of = "" if self.total is None else f"/{self.total}"
                print(f"[{self.done}{of}] {status}: {key}{why}", file=sys.stderr, flush=True)

    def note(self, text: str) -> None:
        """What the run is waiting on (a provider's batches): the bar's text, or a line
        when it changes."""
        with self._lock:
            if self._bar is not None:
                self._bar.update(self._task, description=text)
            elif not self.quiet and text != self._last:
                print(text, file=sys.stderr, flush=True)
            self._last = text

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
