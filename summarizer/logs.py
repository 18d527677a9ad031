"""Keep the model runtime's own log lines (llama.cpp's) off the user's terminal unless asked.

llama.cpp logs from C through a callback that llama-cpp-python installs at import and that
prints to stderr by a logger level its `Llama(verbose=...)` sets per model; context warnings
("n_ctx_seq (512) > n_ctx_train ...") still got through. Here one silent callback replaces it
for the whole process, unless `--verbose` (or `show_model_runtime_logs(True)`) asked for them.
"""

from __future__ import annotations

import ctypes
from typing import Any

_verbose = False
_silent: Any = None  # the ctypes callback must outlive every call into llama.cpp


def show_model_runtime_logs(verbose: bool) -> None:
    """Whether llama.cpp may print its own log lines (default: no)."""
    global _verbose
    _verbose = verbose


def apply_to_llama(llama_cpp: Any) -> None:
    """Install the silent callback on an imported llama_cpp module, unless verbose."""
    global _silent
    if _verbose:
        return
    if _silent is None:
        def _discard(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
            return None

        _silent = llama_cpp.llama_log_callback(_discard)
    llama_cpp.llama_log_set(_silent, ctypes.c_void_p(0))
