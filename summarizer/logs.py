"""Keep the model runtime's own log lines (llama.cpp's) off the user's terminal unless asked.

llama.cpp logs from C through one process-wide callback that llama-cpp-python installs at
import and that prints to stderr by a logger level its `Llama(verbose=...)` sets per model;
context warnings ("n_ctx_seq (512) > n_ctx_train ...") still got through. A local backend
installs a silent callback in its place each time it loads the runtime, or puts
llama-cpp-python's own back when its Spec asks for the runtime's logs (`--verbose`). No switch
is kept here: the backend (its `runtime_logs`) decides.
"""

from __future__ import annotations

import ctypes
from typing import Any

# The silent ctypes callback, made once: C keeps its address, so it must outlive every call
# into llama.cpp. A constant, not a setting.
_silent: Any = None


def apply_to_llama(llama_cpp: Any, show: bool = False) -> None:
    """On an imported llama_cpp module: the silent callback, or with `show` the module's
    own (which prints the runtime's lines)."""
    global _silent
    if show:
        own = getattr(getattr(llama_cpp, "_logger", None), "llama_log_callback", None)
        if own is not None:
            llama_cpp.llama_log_set(own, ctypes.c_void_p(0))
        return
    if _silent is None:
        def _discard(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
            return None

        _silent = llama_cpp.llama_log_callback(_discard)
    llama_cpp.llama_log_set(_silent, ctypes.c_void_p(0))
