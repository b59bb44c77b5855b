"""The Flask class the app uses: telling a plain function from a coroutine function in one look.

Flask passes every view, hook and context processor through `ensure_sync` on every
request, and that asks `inspect.iscoroutinefunction` each time (five Python calls):
seventeen times for one click of the shop. A function or bound method whose code is
not a coroutine's is returned at once; anything else (a coroutine function, a partial,
a callable object) still goes to Flask's own `ensure_sync`.
"""

from __future__ import annotations

from collections.abc import Callable
from inspect import CO_COROUTINE
from types import FunctionType, MethodType
from typing import Any

from flask import Flask


class App(Flask):
    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        if type(func) in (FunctionType, MethodType) and not func.__code__.co_flags & CO_COROUTINE:
            return func
        return super().ensure_sync(func)
