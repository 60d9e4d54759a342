"""The one Jinja environment, with Babel date filters and the UI-string table; Page -> bytes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, MutableMapping
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import BuiltinFunctionType, CodeType, FunctionType, MethodType
from typing import Any

from babel.dates import format_date
from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateSyntaxError,
    Undefined,
    meta,
    select_autoescape,
)
from jinja2.runtime import Context
from markupsafe import Markup
from markupsafe import escape as markup_escape

from .model import Site
from .pages import URLS, LazyContext, Page
from .strings import translate


@lru_cache(maxsize=65536)
def long_date(value: date | str | None, language: str) -> str:
    """`20 september 2024`; a text (such as `2024-10-24--25`) is shown as written."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return str(format_date(value, format="d MMMM y", locale=language))


@lru_cache(maxsize=65536)
def weekday_date(value: date, language: str) -> str:
    """`fredag 20 september 2024`."""
    return str(format_date(value, format="EEEE d MMMM y", locale=language))


_PLAIN_CALLABLES = frozenset({FunctionType, MethodType, BuiltinFunctionType})


class _Context(Context):
    """Jinja's template context, with a shorter way to call a plain function.

    Every call in a template (`t(...)`, `url.meeting(...)`, `asset(...)`) goes through
    `Context.call`, which looks for `pass_context` and friends on the callable and on its
    `__call__`; a meeting page makes about 120 calls. A plain function or method without Jinja's
    mark is called directly; everything else (macros, marked functions) takes Jinja's way.
    """

    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any | Undefined:
        if type(__obj) not in _PLAIN_CALLABLES or hasattr(__obj, "jinja_pass_arg"):
            return super().call(__obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:  # as Jinja does
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


_new_str = str.__new__


def _escape(value: Any) -> Markup:
    """`markupsafe.escape` (the same result) with a shorter way for plain text, the common case:
    its `Markup(...)` runs `Markup.__new__` in Python, which a meeting page does ~360 times."""
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


class _Template(Template):
    """A template whose output escapes through `_escape`."""

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
        template.root_render_func.__globals__["escape"] = _escape
        return template


class FragmentMemo:
    """One meeting's piece of a listing (a row, a decision), rendered once per meeting object.

    Listings of many meetings (a municipality, a network, the decision register) are re-rendered
    whenever one of their meetings changes; the other meetings' pieces come from here. A piece is
    keyed by the meeting object, which an edit replaces, and the memo belongs to one environment,
    which a template change replaces. Used in templates as
    `{% call memo(meeting, "row", variant) %}...{% endcall %}`: the body may use the meeting, the
    variant and the site's settings only, never the page it appears on.

    A tuple (or list) of meetings, such as a year's rows, is a key too: the piece is reused while
    it holds the same meeting objects in the same order. Pieces nest, so a year whose one meeting
    changed is made again from the memoized rows of the others.
    """

    def __init__(self) -> None:
        self.store: dict[tuple[object, str, str], tuple[object, Markup]] = {}

    def __call__(
        self, meeting: object, kind: str, variant: object = "", *, caller: Callable[[], str]
    ) -> Markup:
        if isinstance(meeting, list):
            meeting = tuple(meeting)
        key = (tuple(map(id, meeting)) if isinstance(meeting, tuple) else id(meeting), kind, str(variant))
        hit = self.store.get(key)
        # An entry holds its objects, so their ids are not reused while it lives: same ids, same objects.
        if hit is not None:
            return hit[1]
        value = Markup(caller())
        self.store[key] = (meeting, value)
        return value

    def keep_only(self, meetings: Iterable[object]) -> None:
        """Let go of the pieces of meetings no longer in the site."""
        live = {id(meeting): meeting for meeting in meetings}

        def alive(held: object) -> bool:
            if isinstance(held, tuple):
                return all(live.get(id(one)) is one for one in held)
            return live.get(id(held)) is held

        self.store = {key: hit for key, hit in self.store.items() if alive(hit[0])}


def make_environment(templates: Path, language: str, assets: Mapping[str, str]) -> Environment:
    """Configure once; the environment is not changed after the first page is rendered.

    The site model reaches templates through each page's context (see `render_page`), so one
    environment, with its compiled templates, serves build after build."""
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.context_class = _Context
    env.template_class = _Template

    def t(key: str, **values: object) -> str:
        return translate(key, language, **values)

    def asset(name: str) -> str:
        return assets[name]

    env.filters["long_date"] = lambda value: long_date(value, language)
    env.filters["weekday_date"] = lambda value: weekday_date(value, language)
    env.globals.update(
        memo=FragmentMemo(),
        lang=language,
        t=t,
        url=URLS,
        asset=asset,
    )
    return env


def render_page(env: Environment, page: Page, site: Site) -> bytes:
    template = env.get_template(page.template)
    context: dict[str, Any] = dict(page.context)
    if isinstance(page.context, LazyContext):
        page.context.release()
    context.update(page=page, site=site, config=site.config)
    return template.render(context).encode("utf-8")


def template_closure(templates: Path) -> dict[str, frozenset[str]]:
    """template name -> itself and every template it extends, imports or includes."""
    direct: dict[str, set[str]] = {}
    env = Environment()
    for path in templates.glob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".txt"):
            try:
                ast = env.parse(path.read_text(encoding="utf-8"))
                direct[path.name] = {t for t in meta.find_referenced_templates(ast) if t}
            except TemplateSyntaxError:
                direct[path.name] = set()  # reported when the page renders
    closure: dict[str, frozenset[str]] = {}
    for name in direct:
        seen, todo = {name}, [name]
        while todo:
            for used in direct.get(todo.pop(), ()):
                if used not in seen:
                    seen.add(used)
                    todo.append(used)
        closure[name] = frozenset(seen)
    return closure
