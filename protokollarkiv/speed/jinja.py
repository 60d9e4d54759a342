"""Shortcuts inside Jinja: plain calls, plain-text escaping, fragments made once, dates formatted once.

Replaces, in the environment that `render.make_environment` makes:
- `Context.call`, which looks for `pass_context` and friends on every callable and on its
  `__call__` (a meeting page makes about 120 calls): a plain function or method without
  Jinja's mark is called directly.
- markupsafe's `escape` for `{{ … }}` output: for a `str` the `Markup` is made with
  `str.__new__`, so `Markup.__new__` does not run in Python (about 360 times a page).
  Together: a meeting page 1.25–1.6 → 1.0–1.3 ms (paired runs, 10,000 meetings).
- calls of the macros in `templates/_fragments.html`: each is a function of its first argument
  (meetings), plain values and the site-wide settings (the file says so), so its output is kept
  in an `IdentityMemo` and shown again while the same meeting objects are listed. A listing
  page of a one-meeting edit then renders one row, not all (see speed/memo.py for the figures).
- Babel's date formatting: each (date, language) formatted once (a row shows a date on every
  page that lists it).
Proof of equal bytes: tests/test_speed.py (whole sites both ways) and the call and escaping
tests in tests/test_build.py.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, MutableMapping
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import BuiltinFunctionType, CodeType, FunctionType, MethodType
from typing import Any

from jinja2 import Environment, Template, Undefined
from jinja2.runtime import Context, Macro
from markupsafe import Markup
from markupsafe import escape as markup_escape

from ..render import format_day, make_environment
from .memo import ContentMemo, IdentityMemo

FRAGMENTS = "_fragments.html"
_PLAIN_CALLABLES = frozenset({FunctionType, MethodType, BuiltinFunctionType})
_PLAIN_VALUES = frozenset({str, int, bool, type(None)})


def _fragment(obj: object) -> bool:
    """Whether `obj` is a macro defined in the fragments template (its code names the file)."""
    if type(obj) is not Macro:
        return False
    code = getattr(obj, "_func", None)
    return code is not None and os.path.basename(code.__code__.co_filename) == FRAGMENTS


class FastContext(Context):
    """Jinja's template context, with a shorter way to call a plain function and fragments kept."""

    environment: FastEnvironment

    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any | Undefined:
        if type(__obj) not in _PLAIN_CALLABLES or hasattr(__obj, "jinja_pass_arg"):
            if _fragment(__obj) and args:
                return __self._fragment(__obj, args, kwargs)
            return super().call(__obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:  # as Jinja does
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )

    def _fragment(self, macro: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        variant = (*args[1:], *sorted(kwargs.items()))
        plain = all(type(v) in _PLAIN_VALUES for v in args[1:]) and all(
            type(v) in _PLAIN_VALUES for v in kwargs.values()
        )
        if not plain:  # not a fragment's call after all: Jinja's way, made each time
            return Context.call(self, macro, *args, **kwargs)
        name = str(getattr(macro, "name", ""))
        return self.environment.fragments(args[0], name, lambda: macro(*args, **kwargs), variant)


_new_str = str.__new__


def fast_escape(value: Any) -> Markup:
    """`markupsafe.escape` (the same result) with a shorter way for plain text, the common case."""
    if type(value) is str:
        return _new_str(
            Markup,
            value.replace("&", "&amp;")
            .replace(">", "&gt;")
            .replace("<", "&lt;")
            .replace("'", "&#39;")
            .replace('"', "&#34;"),
        )
    return markup_escape(value)


class FastTemplate(Template):
    """A template whose output escapes through `fast_escape`."""

    @classmethod
    def from_code(
        cls,
        environment: Environment,
        code: CodeType,
        globals: MutableMapping[str, Any],
        uptodate: Callable[[], bool] | None = None,
    ) -> Template:
        template = super().from_code(environment, code, globals, uptodate)
        # The compiled module's functions (root, blocks, macros) share this namespace, which
        # imported Jinja's `escape` (markupsafe's) for every `{{ … }}` of autoescaped output.
        template.root_render_func.__globals__["escape"] = fast_escape
        return template


class FastEnvironment(Environment):
    """An environment with the shortcuts above; `fragments` lives as long as it (its templates)."""

    context_class = FastContext
    template_class = FastTemplate

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.fragments = ContentMemo()


def fast_environment(templates: Path, language: str, assets: Mapping[str, str]) -> Environment:
    """`render.make_environment`, with the shortcuts."""
    dates: Callable[[date | str | None, str, bool], str] = lru_cache(maxsize=65536)(format_day)
    return make_environment(templates, language, assets, FastEnvironment, dates)


def fragments_of(env: Environment) -> IdentityMemo | None:
    """The fragments kept by an environment made here; None for a reference one."""
    return env.fragments if isinstance(env, FastEnvironment) else None
