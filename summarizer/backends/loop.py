"""Blocking calls over async code: the one way a sync caller runs a coroutine here.

Every remote step is written once, async. A sync caller (`Backend.extract`, the Batch API
flow) hands the coroutine to a `LoopThread`: an event loop on a daemon thread of its own,
made on first use and owned by whoever holds it (a backend holds one). So

- a caller inside a running event loop (a Jupyter cell calling `summarize()`) works: its
  loop is never touched, the call waits on the other thread;
- the owner's async clients and their connection pools live across sync calls (one loop),
  where `asyncio.run` per call would build a client and a connection each time;
- threads calling at once share the one loop, and their requests overlap there.

A coroutine must not call back into the sync wrapper of its own LoopThread (it would wait for
itself): that is refused with a RuntimeError rather than left to hang.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class LoopThread:
    """An event loop on a thread of its own, started on the first `run`."""

    def __init__(self, name: str = "summarizer-loop") -> None:
        self.name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def __reduce__(self) -> tuple[Any, ...]:
        return LoopThread, (self.name,)  # a copy (a pickled owner) starts a loop of its own

    def _started(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._loop.is_closed():
                loop = asyncio.new_event_loop()
                thread = threading.Thread(target=loop.run_forever, name=self.name,
                                          daemon=True)
                thread.start()
                self._loop, self._thread = loop, thread
            return self._loop

    def run(self, make: Callable[[], Coroutine[Any, Any, T]]) -> T:
        """The coroutine `make()` run to its end on this loop, waited for here."""
        loop = self._started()
        if threading.current_thread() is self._thread:
            raise RuntimeError("a blocking call from inside its own event loop would wait for "
                               "itself: await the async call instead")
        future = asyncio.run_coroutine_threadsafe(make(), loop)
        try:
            return future.result()
        except BaseException:
            future.cancel()  # interrupted here (Ctrl-C): stop the work there too
            raise

    def close(self) -> None:
        """Stop the loop and its thread (a later `run` starts them again)."""
        with self._lock:
            loop, thread, self._loop, self._thread = self._loop, self._thread, None, None
        if loop is None or thread is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        if not thread.is_alive():
            loop.close()
