"""Property-based tests: generated meeting files never crash `check` or a build, every diagnostic
points inside its file, and a meeting that passes `check` builds into well-formed pages.

One small real archive is built once per module; each example then writes one meeting file and
runs `check` and a rebuild through the same long-lived `Builder` the preview server keeps, so an
example re-parses one file and re-renders only the pages that show it (about 20), through the real
load, validate, Markdown, pages, Jinja and feeds code. The YAML is generated as text, not only
dumped from values, because tags, anchors, odd scalars and escapes exist only in text.

`make test` runs the "fast" Hypothesis profile, `make fuzz` the "long" one (tests/conftest.py).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import string
import xml.dom.minidom
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import html5lib
import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from protokollarkiv.build.builder import Builder, BuildResult, Project
from protokollarkiv.diagnostics import Diagnostic, Severity
from protokollarkiv.model import Meeting, Site
from protokollarkiv.urls import (
    calendar_url,
    data_url,
    feed_url,
    home_url,
    meeting_data_url,
    meeting_url,
    municipality_url,
    network_url,
    year_url,
)

from .conftest import MINI_MUNICIPALITIES, MINI_NETWORK, MINI_OTHER_NETWORK, MINI_SITE, ROOT, write_files

FUZZ_PATH = "networks/skolchefer/2025/fuzz.md"
NEIGHBOUR_PATH = "networks/skolchefer/2024/2024-09-20.md"
NEIGHBOUR = """\
---
date: 2024-09-20
status: justerat
chair: [Anna Alm]
adjusters: [Bo Ek]
participants:
  - {name: Anna Alm, municipality: falkoping, role: beslutande}
aliases: [/gamla/2024-09-20/]
next_meeting: 2024-10-24
---

## § 1 Öppnande

::: beslut
Mötet öppnas.
:::
"""
CALM = """\
---
date: 2025-03-01
status: utkast
---

## § 1 Start
"""

# --- text pieces ---------------------------------------------------------------------------------

# Characters that break formats and line counts: C0 and C1 controls, DEL, the line separators an
# editor does not count (VT, FF, NEL, U+2028/2029, FS/GS/RS), non-characters, a lone surrogate.
NASTY_CHARS = [
    "\x00",
    "\x01",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x1c",
    "\x1d",
    "\x1e",
    "\x7f",
    "\x85",
    "\x9f",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ufffe",
    "\uffff",
    "\ud800",
    "\udfff",
    "\r",
    "\n",
    "\t",
]
NASTY_TEXTS = [
    "a\x01b",
    "<script>alert(1)</script>",
    "]]>",
    "&amp;",
    "&#0;",
    "a,b;c\\d",
    "'\"",
    "{{ 1 }}",
    "{% raw %}",
    "%s%n",
    "\r\n",
    "x" * 300,
    "å" * 200,
    "\U0001f600",
    "\u202eevil",
    "Ö",
    "§ 12",
    "19121212-1212",
    "https://evil.example/",
    "/* https://evil.example/:splat 302!",
]
SAFE_ALPHABET = string.ascii_letters + string.digits + " åäöÅÄÖéü-.,:/_#§()"

text_chars = st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
    st.sampled_from(NASTY_CHARS),
    st.sampled_from(SAFE_ALPHABET),
)
user_text = st.one_of(
    st.text(st.sampled_from(SAFE_ALPHABET), min_size=1, max_size=20),
    st.text(text_chars, max_size=25),
    st.sampled_from(NASTY_TEXTS),
    st.builds(
        lambda a, c, b: a + c + b,
        st.sampled_from(["a", "Mötet", ""]),
        st.sampled_from(NASTY_CHARS),
        st.sampled_from(["b", " öppnas", ""]),
    ),
)


def _escape_char(char: str) -> str:
    code = ord(char)
    if char == "\\":
        return "\\\\"
    if char == '"':
        return '\\"'
    if char == "\n":
        return "\\n"
    if code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF, 0xFEFF):
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    if code in (0x2028, 0x2029):
        return "\\L" if code == 0x2028 else "\\P"
    return char


def double_quoted(text: str) -> str:
    """A YAML double-quoted scalar that reads back as `text` (escapes for what YAML forbids raw)."""
    return '"' + "".join(_escape_char(c) for c in text) + '"'


def single_quoted(text: str) -> str:
    """A single-quoted scalar; its raw control characters are for YAML's reader to refuse."""
    return "'" + text.replace("'", "''").replace("\n", " ") + "'"


# --- YAML values as text -------------------------------------------------------------------------

ODD_SCALARS = [
    "null",
    "~",
    "",
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "0",
    "-1",
    "-0",
    "1e400",
    "-1e400",
    ".nan",
    ".inf",
    "-.inf",
    "0x1F",
    "0o17",
    "0b101",
    "1_000",
    "12:30:00",
    "1:20",
    "3.14",
    "[]",
    "{}",
    "''",
    '""',
    "- a",
    "? a",
    "@x",
    "`x",
    "%x",
    "|",
    ">",
    "*",
    "&",
    "!",
    "#x",
    "x #y",
    "2024-09-20T10:00:00",
    "2024-09-20 10:00:00+02:00",
    "2024-13-01",
    "2024-00-10",
    "2024-09-20T25:00",
]
TAGGED = [
    "!!int x",
    "!!int 12",
    "!!bool maybe",
    "!!bool yes",
    "!!timestamp x",
    "!!timestamp 2024-02-30",
    "!!float x",
    "!!null x",
    "!!str 12",
    "!!str",
    "!!set {a, b}",
    "!!set {a: 1}",
    "!!binary aGVsbG8=",
    "!!binary ***",
    "!!omap [a: 1, b: 2]",
    "!!pairs [a: 1]",
    "!!map [a]",
    "!!seq {a: 1}",
    "!!python/object:os.system x",
    "!!python/object/apply:os.system [echo hacked]",
    "!!python/name:os.system ''",
    "!custom x",
    "!<tag:yaml.org,2002:int> x",
    "!<tag:x> y",
    "!!merge x",
    "!!value x",
    "!!yaml x",
]
HUGE = st.builds(
    lambda sign, digits: sign + digits,
    st.sampled_from(["", "-", "+"]),
    st.sampled_from(["9" * 4301, "1" * 5000, "4" * 4300, "123456789" * 600]),
)
DATES = st.one_of(
    st.dates().map(date.isoformat),
    st.sampled_from(
        [
            "2023-02-29",
            "2024-02-29",
            "2023-5-4",
            "9999-12-31",
            "0001-01-01",
            "2024-9-20",
            "20240920",
            "2024/09/20",
            "24-09-20",
            "2024-09-20x",
            "2024-02-30",
            "1899-12-31",
        ]
    ),
)
TIMES = st.one_of(
    st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 30), st.integers(0, 99)),
    st.builds(
        lambda h, m, h2, m2, sep: f"{h:02d}:{m:02d}{sep}{h2:02d}:{m2:02d}",
        st.integers(0, 25),
        st.sampled_from([0, 30, 59, 60]),
        st.integers(0, 25),
        st.sampled_from([0, 15, 99]),
        st.sampled_from(["-", "–", " - ", "--"]),
    ),
    st.sampled_from(
        [
            "25:99",
            "9.00",
            "kl 9",
            "09:00-08:00",
            "24:00",
            "9:60",
            "25:00",
            "08:30-11:50",
            "9:00",
            "09:00–12:00",
            "09.00-12.00",
            "00:00-24:00",
            "23:59-00:00",
            "-1:00",
        ]
    ),
)
NEXT_MEETINGS = st.one_of(
    DATES,
    st.builds(lambda d, n: f"{d}--{n}", DATES, st.integers(-99, 99)),
    st.sampled_from(
        [
            "2025-06-01--45",
            "2025-06-01--02",
            "9999-12-31--31",
            "2025-02-28--29",
            "2025-06-01--",
            "--",
            "hösten 2025",
            "2025-06-01--0",
        ]
    ),
)
SLUGS = ["skolchefer", "chefsgrupp", "okand", "Skolchefer", "skolchefer ", "../x", ""]
MUNICIPALITIES = ["falkoping", "skovde", "essunga", "orebro", "okand", "Falköping", ""]
ALIASES = st.one_of(
    st.sampled_from(
        [
            "/gammal/sida/",
            "/gammal sida/",
            "/a\n/* https://evil.example/:splat 302!",
            "/a#b",
            "gammal/",
            "https://evil.example/",
            "//evil.example/",
            "/a\tb",
            "/a\r\n/b 200",
            "/",
            "/*",
            "/:splat",
            "/x?y=1",
            "/" + "a" * 3000,
            "/natverk/skolchefer/2025-03-01/",
            "/å/ö/",
            "/a 301",
            "/a\x00b",
        ]
    ),
    st.builds(lambda t: "/" + t, user_text),
)
FILES = st.one_of(
    st.sampled_from(
        [
            "bilaga.pdf",
            "saknas.pdf",
            "../2024-09-20.md",
            "/etc/passwd",
            "a\x00b.pdf",
            "x" * 300 + ".pdf",
            "å" * 130 + ".pdf",
            "",
            ".",
            "..",
            "sub/",
            "bilaga.pdf\n",
            "C:\\x.pdf",
            "%2e%2e/x",
        ]
    ),
    user_text,
)


@dataclass(frozen=True)
class Value:
    """A YAML value as text: `inline` fits after `key: ` on one line, or a block follows."""

    text: str
    block: bool = False


def inline(text: str) -> Value:
    return Value(text)


_YAML_PRINTABLE = re.compile("[\t\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def yaml_printable(text: str) -> str:
    """`text` without what YAML's reader refuses raw (broken lines come from `BROKEN_LINES`)."""
    return "".join(_YAML_PRINTABLE.findall(text))


def scalar_text(texts: st.SearchStrategy[str]) -> st.SearchStrategy[Value]:
    """A string as YAML: mostly double-quoted with escapes, else single-quoted or plain."""
    return st.one_of(
        texts.map(double_quoted),
        texts.map(double_quoted),
        texts.map(yaml_printable).map(single_quoted),
        texts.map(yaml_printable).map(lambda t: t.strip() or "x"),
    ).map(inline)


wild_scalar = st.one_of(
    st.sampled_from(ODD_SCALARS).map(inline),
    st.sampled_from(TAGGED).map(inline),
    HUGE.map(inline),
    st.integers().map(str).map(inline),
    st.floats(allow_nan=True).map(repr).map(inline),
    scalar_text(user_text),
    DATES.map(inline),
    TIMES.map(inline),
)


def flow_list(items: st.SearchStrategy[Value]) -> st.SearchStrategy[Value]:
    return st.lists(items.filter(lambda v: not v.block), max_size=4).map(
        lambda vs: inline("[" + ", ".join(v.text for v in vs) + "]")
    )


def block_list(items: st.SearchStrategy[Value]) -> st.SearchStrategy[Value]:
    def make(values: list[Value]) -> Value:
        lines = []
        for v in values:
            if v.block:
                body = v.text.split("\n")
                lines.append("  - " + body[0].lstrip())
                lines.extend("  " + line for line in body[1:])
            else:
                lines.append(f"  - {v.text}")
        return Value("\n".join(lines), block=True) if lines else inline("[]")

    return st.lists(items, min_size=1, max_size=4).map(make)


def mapping(fields: dict[str, st.SearchStrategy[Value]], unknown: bool = True) -> st.SearchStrategy[Value]:
    """A mapping of some of `fields` (and maybe an unknown key), in flow or block style."""
    keys = list(fields)

    @st.composite
    def make(draw: st.DrawFn) -> Value:
        chosen = draw(st.lists(st.sampled_from(keys), max_size=len(keys) + 1))
        pairs = [(key, draw(fields[key])) for key in chosen]
        if unknown and draw(st.booleans()):
            pairs.append(
                (draw(st.sampled_from(["okand", "namn", "Name", "? x", "1", "<<"])), draw(wild_scalar))
            )
        if draw(st.booleans()) or any(v.block for _, v in pairs):
            lines = []
            for key, v in pairs:
                if v.block:
                    lines.append(f"{key}:")
                    lines.extend("  " + line for line in v.text.split("\n"))
                else:
                    lines.append(f"{key}: {v.text}")
            return Value("\n".join(lines) or "{}", block=bool(lines))
        return inline("{" + ", ".join(f"{k}: {v.text}" for k, v in pairs) + "}")

    return make()


def any_of(*good: st.SearchStrategy[Value]) -> st.SearchStrategy[Value]:
    """Mostly well-typed values for a key (so that examples pass `check` and reach the build),
    sometimes anything at all."""
    return st.one_of(*good, *good, wild_scalar, flow_list(wild_scalar))


names = scalar_text(st.one_of(st.sampled_from(["Anna Alm", "Bo Ek", "Pär Fäldt", "Anneli Alm"]), user_text))
texts = scalar_text(user_text)
dates = DATES.map(inline)
item_numbers = st.sampled_from(["1", "103", "11", "0940", "999", "§ 1", "x"])
participant = mapping(
    {
        "name": any_of(names),
        "municipality": any_of(st.sampled_from(MUNICIPALITIES).map(inline), flow_list(names)),
        "organisation": any_of(texts),
        "role": any_of(
            st.sampled_from(
                [
                    "beslutande",
                    "ledamot",
                    "ersättare",
                    "adjungerad",
                    "övrig",
                    "tjänsteperson",
                    "Sektorchef, sektor social välfärd",
                ]
            ).map(inline),
            texts,
        ),
        "party": any_of(st.sampled_from(["S", "M", "V", "L", "KD", "C", "MP", "SD", "X", "s"]).map(inline)),
        "present": any_of(st.sampled_from(["true", "false", "null", "ja", "'true'", "1"]).map(inline)),
        "group": any_of(texts),
        "items": any_of(flow_list(item_numbers.map(double_quoted).map(inline)), item_numbers.map(inline)),
        "recused": any_of(flow_list(item_numbers.map(double_quoted).map(inline))),
    }
)
attachment = mapping({"file": any_of(scalar_text(FILES)), "title": any_of(texts, mapping({"a": texts}))})
correction = mapping({"date": any_of(dates), "text": any_of(texts)})

MEETING_FIELDS: dict[str, st.SearchStrategy[Value]] = {
    "title": any_of(texts),
    "date": any_of(dates),
    "time": any_of(scalar_text(TIMES), TIMES.map(inline)),
    "place": any_of(texts),
    "networks": any_of(flow_list(st.sampled_from(SLUGS).map(inline)), st.sampled_from(SLUGS).map(inline)),
    "status": any_of(st.sampled_from(["utkast", "justerat", "Justerat", "klar"]).map(inline)),
    "adjusted_on": any_of(dates),
    "posted_on": any_of(dates),
    "corrections": any_of(block_list(correction), flow_list(correction)),
    "chair": any_of(flow_list(names), names),
    "secretary": any_of(names),
    "adjusters": any_of(flow_list(names), names),
    "participants": any_of(block_list(participant), flow_list(participant)),
    "municipalities": any_of(
        mapping(
            {
                slug: st.sampled_from(["närvarande", "frånvarande", "ja", "true", "null"]).map(inline)
                for slug in MUNICIPALITIES[:5]
            },
            unknown=True,
        )
    ),
    "next_meeting": any_of(scalar_text(NEXT_MEETINGS), NEXT_MEETINGS.map(inline)),
    "attachments": any_of(block_list(attachment), flow_list(attachment)),
    "original": any_of(scalar_text(FILES)),
    "unpublished": any_of(texts),
    "slug": any_of(st.sampled_from(["extra", "a-b", "A", "a b", "../x", "x/y", "", "å"]).map(inline), texts),
    "aliases": any_of(flow_list(scalar_text(ALIASES)), block_list(scalar_text(ALIASES))),
}
UNKNOWN_KEYS = ["titel", "Date", "foo", "x" * 300, "'quoted key'", "1", "null", "? complex", "<<", "[a]"]


# Lines that YAML's reader, scanner or composer refuses, or reads in an unexpected way.
BROKEN_LINES = [
    "chair: &r [*r]",
    "title: *nowhere",
    "<<: {title: x}",
    "\tdate: 2024-01-01",
    "date 2024-01-01",
    "- list",
    "title: 'unclosed",
    'title: "bad \\q escape"',
    "key: [1, 2",
    "---",
    "...",
    "%YAML 1.1",
    "title: a: b",
    "? [a, b]\n: c",
    "title: |\n  one\n  two",
    "title: >-\n  folded\n\n  para",
    "title: \x01raw",
    "title: \x85nel",
    "title: a\u2028b",
    "title: \ufeffbom",
    "title: x\x00",
]


@st.composite
def front_matter(draw: st.DrawFn, wild: bool) -> str:
    """The YAML between the `---` lines. `wild`: any keys in any order, anchors, aliases and
    broken lines; otherwise the required keys are there and the rest is chosen per key."""
    keys = list(MEETING_FIELDS)
    if wild:
        chosen = draw(st.lists(st.sampled_from([*keys, *UNKNOWN_KEYS]), max_size=12))
    else:
        chosen = ["date", "status", *draw(st.lists(st.sampled_from(keys[2:]), max_size=8, unique=True))]
        chosen += [key for key in ("chair", "adjusters") if key not in chosen]  # justerat minutes are signed
    lines = []
    anchors: list[str] = []
    for key in chosen:
        value = draw(MEETING_FIELDS.get(key, wild_scalar))
        if not wild and key in ("chair", "adjusters") and draw(st.integers(0, 3)):
            value = inline("[Anna Alm]")
        if not wild and key == "date":
            value = inline(draw(st.dates(date(2000, 1, 1), date(2030, 12, 31))).isoformat())
        elif not wild and key == "status":
            value = inline(draw(st.sampled_from(["utkast", "justerat"])))
        prefix = ""
        if wild and draw(st.integers(0, 5)) == 0:  # an anchor on this value, or an alias to one
            if anchors and draw(st.booleans()):
                lines.append(f"{key}: *{draw(st.sampled_from(anchors))}")
                continue
            anchors.append(f"a{len(anchors)}")
            prefix = f"&{anchors[-1]} "
        if value.block:
            lines.append(f"{key}: {prefix}".rstrip())
            lines.extend("  " + line for line in value.text.split("\n"))
        else:
            lines.append(f"{key}: {prefix}{value.text}")
    if wild and draw(st.integers(0, 4)) == 0:
        extra = draw(st.sampled_from(BROKEN_LINES))
        lines.insert(draw(st.integers(0, len(lines))), extra)
    return "\n".join(lines)


# --- bodies ---------------------------------------------------------------------------------------

heading_titles = st.one_of(st.text(st.sampled_from(SAFE_ALPHABET), min_size=1, max_size=20), user_text)
item_heading = st.one_of(
    st.builds(lambda n, t: f"## § {n} {t}", st.integers(-5, 10**6), heading_titles),
    st.builds(lambda n, t: f"## {n}. {t}", st.integers(0, 300), heading_titles),
    st.builds(
        lambda h, m, t: f"## {h:02d}:{m:02d} {t}", st.integers(0, 30), st.integers(0, 99), heading_titles
    ),
    st.builds(lambda t: f"## {t}", heading_titles),
    st.sampled_from(
        [
            "## §",
            "## § 1",
            "##",
            "## § " + "9" * 5000 + " Stort",
            "# Rubrik",
            "### Under",
            "## § 1 Dubblett\n\n## § 1 Dubblett",
            "Rubrik\n------",
            "  ## § 2 Indragen",
            "## § 3 Avslutad ##",
            "## <b>§ 4</b>",
            "## § 5 [länk](javascript:alert(1))",
        ]
    ),
)
block_kinds = st.sampled_from(["beslut", "votering", "reservation", "okand", "Beslut", "", "beslut extra"])
paragraph = st.one_of(
    st.text(text_chars, min_size=1, max_size=60),
    st.sampled_from(
        [
            "Ja: Anna Alm, Bo Ek\nNej: Pär Fäldt\nAvstår: 0",
            "Ja: 3\nNej: 2\nResultat: bifall",
            # the keys of `::: votering` and `::: reservation` (vote.py), right and wrong
            "ja-förslag: A\nnej-förslag: B\nja-röster: [Anna Alm, Bo Ek]\nnej-röster: [Pär Fäldt]"
            "\nresultat: ja",
            "antal: 3 ja, -1 nej, 2 avstår\nresultat: kanske",
            "antal: 1 ja och 1 nej\nresultat: nej\nja-röster: [Anna Alm, anna alm]\navstår: [null, 7]",
            "ja-röster: Anna Alm, Bo Ek\nantal: många\nokänd: 1",
            "namn: [Anna Alm, Okänd Person]\nmotivering: Skäl.",
            "namn: Bo Ek\nmotivering: [a, b]",
            "resultat: {a: 1}\nja-förslag: [x]\nantal: " + "9" * 30 + " ja",
            "Anna Alm",
            "| a | b |\n|---|---|\n| 1 | 2 |",
            "| a | b |\n|---|\n| 1 | 2 | 3 |",
            "| a \\| b |\n|---|",
            "<script>alert(1)</script>",
            "<div onclick=x>klick</div>",
            "<!-- kommentar",
            "<![CDATA[x]]>",
            "[a](javascript:alert(1))",
            "[a](JAVASCRIPT:alert(1))",
            "[a](data:text/html,<b>)",
            "[a](vbscript:x)",
            "[a](file:///etc/passwd)",
            "<javascript:alert(1)>",
            "<https://example.se>",
            '![bild](x.png "t")',
            "[ref]\n\n[ref]: javascript:alert(1)",
            "[a](mailto:x@example.se)",
            "[a](//evil.example)",
            "```\n::: beslut\n```",
            "```\nunclosed fence",
            "    indented code",
            "`code`",
            "***",
            "1. a\n2. b",
            "Personnummer 19121212-1212.",
            "x" * 20000,
            "ö " * 5000,
            "a\x0bb\x0cc\x85d\u2028e\u2029f",
            "\x00",
            "&#0; &#xD800; &#x1F600;",
            "\\",
            "*a **b* c**",
            "£*x*",
        ]
    ),
    st.integers(1, 400).map(lambda n: "> " * n + "djup"),
    st.integers(1, 300).map(lambda n: "\n".join("  " * i + "- nivå" for i in range(n))),
    st.integers(1, 200).map(lambda n: "[" * n + "x" + "]" * n),
    st.integers(1, 200).map(lambda n: "*" * n + "x" + "*" * n),
)


@st.composite
def fenced(draw: st.DrawFn, depth: int = 0) -> str:
    """A `:::` block: closed or not, maybe with another block nested in it."""
    opener = draw(st.sampled_from([":::", "::::", " :::", ":::"]))
    parts = [f"{opener} {draw(block_kinds)}".rstrip()]
    parts.extend(draw(st.lists(paragraph, max_size=2)))
    if depth < 2 and draw(st.integers(0, 3)) == 0:
        parts.append(draw(fenced(depth + 1)))
    if draw(st.integers(0, 4)):
        parts.append(draw(st.sampled_from([":::", ":::", "::::", ":::x"])))
    return "\n".join(parts)


body_block = st.one_of(item_heading, item_heading, paragraph, fenced())


@st.composite
def body(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(body_block, max_size=8))
    joins = [draw(st.sampled_from(["\n\n", "\n", "\n\n\n"])) for _ in blocks]
    return "".join(b + j for b, j in zip(blocks, joins, strict=True))


CALM_BODY = "## § 1 Öppnande\n\n::: beslut\nMötet öppnas.\n:::\n"


@st.composite
def meeting_file(draw: st.DrawFn, wild_front: bool, wild_body: bool) -> bytes:
    front = draw(front_matter(wild_front))
    text = f"---\n{front}\n---\n\n" + (draw(body()) if wild_body else CALM_BODY)
    text = text.replace("\r", "")  # no lone CR: see `editor_lines`
    ending = draw(st.sampled_from(["\n", "\n", "\n", "\r\n"]))
    if ending != "\n":
        text = text.replace("\n", ending)
    if draw(st.integers(0, 9)) == 0:
        text = "\ufeff" + text
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 19)) == 0:  # a byte that is not UTF-8 somewhere
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x80"])) + data[at:]
    return data


# --- the archive and the checks -------------------------------------------------------------------


def editor_lines(data: bytes) -> list[str]:
    """The file's lines as an editor counts them: split on LF only, never at VT, FF, NEL or
    U+2028/2029. (The files hold no lone CR, which editors and YAML do take as a line break.)"""
    return data.decode("utf-8", "replace").removeprefix("\ufeff").split("\n")


class Harness:
    """A small archive and the Builder that rebuilds it after each example's one changed file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.content = root / "content"
        self.path = (self.content / FUZZ_PATH).absolute()
        self.neighbour = (self.content / NEIGHBOUR_PATH).absolute()
        write_files(
            self.content,
            {
                "site.yml": MINI_SITE,
                "municipalities.yml": MINI_MUNICIPALITIES,
                "networks/skolchefer/network.yml": MINI_NETWORK,
                "networks/chefsgrupp/network.yml": MINI_OTHER_NETWORK,
                NEIGHBOUR_PATH: NEIGHBOUR,
                FUZZ_PATH: CALM,
                "networks/skolchefer/2025/fuzz/bilaga.pdf": b"%PDF-1.4\n%%EOF\n",
            },
        )
        self.project = Project(self.content, ROOT / "templates", root / "site")
        self.examples = 0
        self.builder = self._new_builder()

    def _new_builder(self) -> Builder:
        self.path.write_text(CALM, encoding="utf-8")
        builder = Builder(self.project, include_drafts=True, search=False, fingerprint=False, autosave=False)
        first = builder.build()
        assert first.ok, first.diagnostics.format()
        return builder

    def run(self, data: bytes) -> tuple[BuildResult, BuildResult]:
        """`check` and a rebuild with `data` as the meeting file; a fresh Builder after a crash,
        so that the examples Hypothesis tries next do not inherit a half-finished build."""
        self.examples += 1
        self.path.write_bytes(data)
        try:
            checked = self.builder.check()
            built = self.builder.build()
            self.builder.tidy()
        except BaseException:
            self.builder = self._new_builder()
            raise
        return checked, built


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    root = tmp_path_factory.mktemp("fuzz")
    yield Harness(root)
    shutil.rmtree(root, ignore_errors=True)


def position_problems(diagnostics: list[Diagnostic], files: dict[Path, bytes]) -> list[str]:
    """What is wrong with the diagnostics: a message or hint of more than one line, a position
    outside its file."""
    problems = []
    for d in diagnostics:
        shown = d.format()
        if len(d.message.splitlines()) != 1 or len(d.hint.splitlines()) > 1:
            problems.append(f"message is not one line: {shown!r}")
        data = files.get(d.path)
        if data is None:
            continue
        lines = editor_lines(data)
        if not 1 <= d.line <= len(lines):
            problems.append(f"line outside the file ({len(lines)} lines): {shown!r}")
        elif not 1 <= d.column <= len(lines[d.line - 1]) + 1:
            problems.append(f"column outside line {d.line}: {shown!r}")
    return problems


def check_html(data: bytes, url: str) -> None:
    text = data.decode("utf-8")
    assert text.rstrip().endswith("</html>"), f"{url} is truncated"
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)


def check_ical(data: bytes, url: str) -> None:
    assert data.endswith(b"END:VCALENDAR\r\n"), f"{url} is truncated"
    for line in data.split(b"\r\n")[:-1]:
        assert b"\n" not in line and b"\r" not in line, f"{url}: a bare line break in {line!r}"
        assert len(line) <= 75, f"{url}: a line of {len(line)} octets (RFC 5545 folds at 75): {line!r}"
    icalendar.Calendar.from_ical(data)


def check_csv(data: bytes, url: str) -> None:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    widths = {len(row) for row in rows}
    assert len(widths) == 1, f"{url}: rows of {sorted(widths)} columns"


def check_redirects(data: bytes, meetings: tuple[Meeting, ...]) -> None:
    lines = data.decode("utf-8").split("\n")
    assert lines[-1] == "", "_redirects does not end with a line break"
    expected = [(alias, meeting_url(m), "301") for m in meetings for alias in m.aliases]
    rules = [tuple(line.split()) for line in lines[:-1]]
    for line in lines[:-1]:
        assert line == " ".join(line.split()), f"_redirects: odd spacing in {line!r}"
    assert rules == expected, f"_redirects rules {rules!r} are not one per alias {expected!r}"


def check_output(page_url: str, path: Path, export: str, meetings: tuple[Meeting, ...]) -> None:
    data = path.read_bytes()
    if export == "ical":
        check_ical(data, page_url)
    elif export == "atom" or page_url.endswith(".xml"):
        xml.dom.minidom.parseString(data)
    elif export.endswith(".json"):
        json.loads(data.decode("utf-8"))
    elif export.endswith(".csv"):
        check_csv(data, page_url)
    elif export == "redirects":
        check_redirects(data, meetings)
    elif page_url.endswith("/") or page_url.endswith(".html"):
        check_html(data, page_url)
    else:
        data.decode("utf-8")


def expected_pages(meeting: Meeting, site: Site) -> set[str]:
    """The URLs of every page kind that shows the meeting."""
    urls = {
        meeting_url(meeting),
        meeting_data_url(meeting),
        home_url(),
        year_url(meeting.year),
        feed_url(),
        "/sitemap.xml",
        "/_redirects",
        data_url("meetings.json"),
        data_url("decisions.csv"),
        data_url("attendance.csv"),
        data_url("votes.csv"),
    }
    for slug in meeting.networks:
        urls |= {network_url(slug), feed_url(slug), calendar_url(slug)}
    for slug, meetings in site.by_municipality.items():
        if meeting in meetings:
            urls |= {municipality_url(slug), feed_url(municipality=slug)}
    return urls


def check_example(harness: Harness, data: bytes) -> bool:
    """Run one meeting file through check and a build; every problem found is reported at once.
    True when the meeting was built."""
    checked, built = harness.run(data)
    files = {harness.path: data, harness.neighbour: NEIGHBOUR.encode()}
    problems = position_problems(checked.diagnostics.items + built.diagnostics.items, files)
    errors = [d.format() for d in checked.diagnostics.items if d.severity is Severity.ERROR]
    if errors and built.ok:
        problems.append(f"the build passed a file with check errors: {errors}")
    if not errors and not built.ok:
        problems.append(f"check passed, the build failed: {built.diagnostics.format()}")
    if not errors and built.ok:
        problems.extend(output_problems(harness))
    assert not problems, "\n".join(problems)
    return built.ok


def output_problems(harness: Harness) -> list[str]:
    """What is wrong with the pages that show the meeting: missing, outside the site, malformed."""
    last = harness.builder.last
    assert last is not None
    meeting = next((m for m in last.site.meetings if m.source == harness.path), None)
    if meeting is None:  # taken off publication: a page that says so, or (a draft) nothing at all
        gone = next((m for m in last.site.gone if m.source == harness.path), None)
        if gone is None:  # only an unpublished draft is neither shown nor gone
            unpublished = b"unpublished:" in harness.path.read_bytes()
            return [] if unpublished else ["the meeting is neither shown nor taken off"]
        page = harness.project.output / meeting_url(gone).lstrip("/") / "index.html"
        return [] if page.is_file() else [f"no page says {meeting_url(gone)} was taken off"]
    source = str(harness.path)
    shown = {page.url: page for page in last.pages if source in page.sources}
    problems = []
    missing = expected_pages(meeting, last.site) - shown.keys()
    if missing:
        problems.append(f"pages that should show the meeting do not: {sorted(missing)}")
    output = harness.project.output.absolute()
    for url, page in shown.items():
        path = (output / page.path).resolve()
        if not path.is_relative_to(output) or not path.is_file():
            problems.append(f"{url} was not written in the site: {path}")
            continue
        try:
            check_output(url, path, page.export, last.site.meetings)
        except Exception as exc:  # every malformed output of the example, not only the first
            problems.append(f"{url} is malformed: {type(exc).__name__}: {exc}")
    return problems


@given(meeting_file(wild_front=True, wild_body=False))
def test_wild_front_matter(harness: Harness, data: bytes) -> None:
    check_example(harness, data)


@given(meeting_file(wild_front=False, wild_body=True))
def test_wild_body(harness: Harness, data: bytes) -> None:
    check_example(harness, data)


@given(meeting_file(wild_front=False, wild_body=False))
def test_typed_front_matter_builds(harness: Harness, data: bytes) -> None:
    check_example(harness, data)
