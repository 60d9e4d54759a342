"""The speed-ups: one switch turns them all off, and the site is the same byte for byte either way."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jinja2 import pass_context, pass_environment

from protokollarkiv.speed.jinja import fast_environment, fast_escape
from protokollarkiv.speed.switch import ENVIRONMENT_VARIABLE, Speedups, wanted

from .conftest import ROOT

GENERATED = 300


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def build_cli(content: Path, output: Path, *extra: str, speedups: str = "1") -> None:
    env = {**os.environ, ENVIRONMENT_VARIABLE: speedups}
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "build",
            "--no-search",
            "--no-cache",
            "--drafts",
            "-q",
            "--content",
            str(content),
            "--output",
            str(output),
            *extra,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def assert_same_sites(fast: Path, reference: Path) -> None:
    a, b = tree(fast), tree(reference)
    assert a.keys() == b.keys()
    differing = [name for name in a if a[name] != b[name]]
    assert not differing, f"{len(differing)} files differ, e.g. {differing[:5]}"


def test_the_switch_reads_the_environment() -> None:
    assert wanted({}) and wanted({ENVIRONMENT_VARIABLE: "1"})
    assert not any(wanted({ENVIRONMENT_VARIABLE: off}) for off in ("0", "no", "off", "FALSE"))
    assert Speedups(False).engines.parse_body is not Speedups(True).engines.parse_body


@pytest.mark.slow
def test_the_sample_archive_is_the_same_with_and_without_speedups(tmp_path: Path) -> None:
    """Both switches: the flag and the environment variable give the reference engines."""
    build_cli(ROOT / "content", tmp_path / "fast")
    build_cli(ROOT / "content", tmp_path / "flag", "--reference")
    build_cli(ROOT / "content", tmp_path / "env", speedups="0")
    assert_same_sites(tmp_path / "fast", tmp_path / "flag")
    assert_same_sites(tmp_path / "fast", tmp_path / "env")


@pytest.mark.slow
def test_a_generated_archive_is_the_same_with_and_without_speedups(tmp_path: Path) -> None:
    """A few hundred generated meetings, in two worker processes and in one, fast and reference."""
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(tmp_path / "archive", GENERATED, 11)
    build_cli(tmp_path / "archive", tmp_path / "fast", "--jobs", "2")
    build_cli(tmp_path / "archive", tmp_path / "reference", "--jobs", "1", "--reference")
    assert len(list((tmp_path / "fast").rglob("index.html"))) > GENERATED
    assert_same_sites(tmp_path / "fast", tmp_path / "reference")
    shutil.rmtree(tmp_path / "archive")


def test_template_calls_behave_as_in_jinja(tmp_path: Path) -> None:
    """The fast environment calls plain functions directly (a speed-up of `Context.call`);
    functions marked for Jinja still get the context or the environment, in loops and blocks too,
    a macro still works, and a StopIteration still makes an undefined value, as in Jinja."""
    (tmp_path / "t.html").write_text(
        "{% macro twice(x) %}{{ x }}{{ x }}{% endmacro %}"
        "{% block body %}{% for n in [1, 2] %}{{ plain(n) }}|{{ page_name() }}|{{ env_lang() }}|"
        "{{ bound(n) }}|{{ twice(n) }}|{{ marked_call() }};{% endfor %}"
        "{{ 'undefined' if stops() is undefined else 'defined' }}{% endblock %}",
        encoding="utf-8",
    )

    class Caller:
        @pass_context
        def __call__(self, context: Any) -> str:
            return "callable:" + str(context["name"])

    def stops() -> str:
        raise StopIteration

    env = fast_environment(tmp_path, "sv", {})
    env.globals.update(
        plain=lambda n: f"plain{n}",
        page_name=pass_context(lambda context: context["name"]),
        env_lang=pass_environment(lambda environment: environment.globals["lang"]),
        bound="x{}".format,
        marked_call=Caller(),
        stops=stops,
    )
    out = env.get_template("t.html").render(name="sida")
    assert out == ("plain1|sida|sv|x1|11|callable:sida;plain2|sida|sv|x2|22|callable:sida;undefined")


def test_template_output_escapes_as_markupsafe_does(tmp_path: Path) -> None:
    """The fast environment's shorter escape (for plain text) gives the bytes of Jinja's own."""
    from jinja2 import Environment, StrictUndefined
    from markupsafe import Markup

    (tmp_path / "t.html").write_text(
        "{% macro m(x) %}<i>{{ x }}</i>{% endmacro %}{% set block %}{{ values[0] }}{% endset %}"
        "{% for v in values %}[{{ v }}|{{ v|e }}|{{ v ~ '&' }}|{{ m(v) }}|{{ v|string|safe }}]{% endfor %}"
        '{{ block }}<a title="{{ values[1] }}">',
        encoding="utf-8",
    )

    class Html:
        def __html__(self) -> str:
            return "<b>held</b>"

    values = ["Anna & Bo <i> \"citat\" 'x'", "Å–ö", Markup("<em>&amp;</em>"), 12, None, 1.5, Html(), ""]
    ours = fast_environment(tmp_path, "sv", {})
    stock = Environment(
        loader=ours.loader, autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    template = ours.get_template("t.html")
    assert template.root_render_func.__globals__["escape"] is fast_escape
    assert template.render(values=values) == stock.get_template("t.html").render(values=values)
    assert "Anna &amp; Bo &lt;i&gt; &#34;citat&#34; &#39;x&#39;" in template.render(values=values)


def test_fragments_are_made_once_per_meeting_objects_and_variant(tmp_path: Path) -> None:
    """A macro of `_fragments.html` is called once for the same objects and plain values; other
    macros, and fragments called with objects after the subject, are made every time."""
    (tmp_path / "_fragments.html").write_text(
        "{% macro row(m, flag) %}{{ made(m) }}{% endmacro %}", encoding="utf-8"
    )
    (tmp_path / "page.html").write_text(
        '{% from "_fragments.html" import row with context %}'
        "{% for m in items %}{{ row(m, true) }}{{ row(m, true) }}{{ row(m, false) }}"
        "{{ row(m, other) }}{% endfor %}",
        encoding="utf-8",
    )
    calls: list[object] = []

    def made(m: object) -> str:
        calls.append(m)
        return "x"

    env = fast_environment(tmp_path, "sv", {})
    env.globals["made"] = made
    items = [object(), object()]
    out = env.get_template("page.html").render(items=items, other=object())
    assert out == "x" * 8
    assert len(calls) == 6  # per item: (true) once, (false) once, (object) once
    env.get_template("page.html").render(items=items, other=object())
    assert len(calls) == 8  # the second page reuses all but the calls with an object
