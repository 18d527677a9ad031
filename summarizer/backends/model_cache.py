"""Loaded llama.cpp models, owned: a `ModelCache` belongs to a local backend (or to whoever
passes one to several), holds each model once per (file, context, threads, vocabulary-only)
key, and closes them when its owner calls `close()`; when it is collected, or at the
interpreter's exit while the interpreter is still whole (llama.cpp's own `__del__` at
shutdown prints "Exception ignored ... NoneType" noise otherwise), it closes the models no one
else holds and lets go of the rest (a caller that kept a model, e.g. `backend._llama()` of a
backend it dropped, keeps a working model: closing it under them crashes llama.cpp)."""

from __future__ import annotations

import sys
import threading
import weakref
from collections.abc import Callable, Hashable
from typing import Any

__all__ = ["ModelCache"]


def _close_all(models: dict[Hashable, Any], lock: threading.Lock) -> None:
    with lock:
        loaded = list(models.values())
        models.clear()
    for model in loaded:
        model.close()


def _release(models: dict[Hashable, Any], lock: threading.Lock) -> None:
    with lock:
        loaded = list(models.values())
        models.clear()
    for model in loaded:
        # held only here (the list, this name, getrefcount's argument): close it now; else
        # its last holder's reference ends it, through llama.cpp's own __del__
        if sys.getrefcount(model) <= 3:
            model.close()


class ModelCache:
    """Models by key, loaded on first use. Thread-safe. After `close()` a model asked for is
    loaded again (the owner decides when memory goes back)."""

    def __init__(self) -> None:
        self._models: dict[Hashable, Any] = {}
        self._lock = threading.Lock()
        # On collection, or at exit (weakref.finalize's atexit hook), whichever comes first.
        weakref.finalize(self, _release, self._models, self._lock)

    def get(self, key: Hashable, load: Callable[[], Any]) -> Any:
        """The model under `key`, loaded by `load()` the first time (under the lock, so two
        threads never load one model twice)."""
        with self._lock:
            if key not in self._models:
                self._models[key] = load()
            return self._models[key]

    def drop(self, key: Hashable) -> None:
        """Close and forget one model (a context resized: the old one is stale)."""
        with self._lock:
            stale = self._models.pop(key, None)
        if stale is not None:
            stale.close()

    def close(self) -> None:
        """Close every loaded model now."""
        _close_all(self._models, self._lock)

    def __len__(self) -> int:
        return len(self._models)
