"""The one Jinja environment, with Babel date filters and the UI-string table; Page -> bytes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from babel.dates import format_date
from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateSyntaxError,
    meta,
    select_autoescape,
)
from markupsafe import Markup

from .model import DaySpan, Site
from .pages import LazyContext, Page
from .strings import CONTENT_LANGUAGE, translate
from .urls import URLS


def long_date(value: date | str | None, language: str) -> str:
    """`20 september 2024`; a text (such as `2024-10-24--25`) is shown as written."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return str(format_date(value, format="d MMMM y", locale=language))


def weekday_date(value: date, language: str) -> str:
    """`fredag 20 september 2024`."""
    return str(format_date(value, format="EEEE d MMMM y", locale=language))


def format_day(value: date | str | None, language: str, weekday: bool) -> str:
    """`long_date` or, with `weekday`, `weekday_date`."""
    if weekday:
        assert isinstance(value, date)
        return weekday_date(value, language)
    return long_date(value, language)


def day_span(span: DaySpan, language: str, long: Callable[[date], str]) -> str:
    """`24 oktober 2024`, `24–25 oktober 2024`, `30 oktober–2 november 2024`, with the words written
    after the days; `long` writes one day in full."""
    first, last = span.first, span.last
    if first == last:
        text = long(first)
    elif (first.year, first.month) == (last.year, last.month):
        text = f"{first.day}–{long(last)}"
    elif first.year == last.year:
        text = f"{format_date(first, format='d MMMM', locale=language)}–{long(last)}"
    else:
        text = f"{long(first)} – {long(last)}"
    return f"{text} {span.rest}" if span.rest else text


def scrollable_tables(html: str, label: str) -> Markup:
    """Each table of rendered minutes in a focusable region named "`label` 1", "`label` 2", …: a
    wide table scrolls inside it on a phone, and a keyboard can reach it to scroll. The minutes'
    HTML holds no `<table>` but the engine's own (raw HTML is escaped)."""
    parts = html.split("<table>")
    wrapped = [parts[0]]
    for number, part in enumerate(parts[1:], 1):
        region = f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label} {number}">'
        wrapped.append(f"{region}<table>{part.replace('</table>', '</table></div>', 1)}")
    return Markup("".join(wrapped))


def make_environment(
    templates: Path,
    language: str,
    assets: Mapping[str, str],
    environment_class: type[Environment] = Environment,
    date_format: Callable[[date | str | None, str, bool], str] | None = None,
) -> Environment:
    """Configure once; the environment is not changed after the first page is rendered.

    The site model reaches templates through each page's context (see `render_page`), so one
    environment, with its compiled templates, serves build after build. `environment_class`
    and `date_format` (value, language, with weekday) let `speed.jinja` make the same
    environment with its shortcuts."""
    env = environment_class(
        loader=FileSystemLoader(str(templates)),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

    def t(key: str, **values: object) -> str:
        return translate(key, language, **values)

    def asset(name: str) -> str:
        return assets[name]

    dates = date_format or format_day
    env.filters["long_date"] = lambda value: dates(value, language, False)
    env.filters["day_span"] = lambda span: day_span(span, language, lambda day: dates(day, language, False))
    env.filters["weekday_date"] = lambda value: dates(value, language, True)
    env.filters["scrollable_tables"] = lambda html: scrollable_tables(html, translate("table", language))
    env.globals.update(
        lang=language,
        # The minutes are Swedish whatever the site's language: their text is marked so on an
        # English site, for screen readers and translation tools.
        content_lang=Markup(' lang="sv"') if language != CONTENT_LANGUAGE else Markup(""),
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
