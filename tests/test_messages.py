"""Every diagnostic the build can give has a Swedish rendering; the renderings read as Swedish."""

from __future__ import annotations

import ast

import pytest

from protokollarkiv.build.builder import check
from protokollarkiv.diagnostics import Diagnostic
from protokollarkiv.messages import covers, render_hint, render_message, swedish_hint, swedish_message

from .conftest import ROOT, MiniProject, meeting_text

PACKAGE = ROOT / "protokollarkiv"
# The modules that write diagnostics (messages, hints and the phrases put into them).
EMITTERS = (
    "load.py",
    "validate.py",
    "markdown.py",
    "pages.py",
    "review.py",
    "people.py",
    "record/seal.py",
    "diagnostics.py",
    "parse.py",
    "attachment.py",
    "record/personal.py",
    "build/builder.py",
    "build/read.py",
    "build/state.py",
    "speed/yaml.py",
    "vote.py",
)
CALLS = {"error", "warning", "warn", "BodyMessage", "Diagnostic"}  # calls that take a message or hint
NAMES = {"message", "hint", "problem"}  # variables that hold one, or a part of one
# Functions whose results are messages, hints or parts of them.
RETURNS = {
    *("date_problem", "read_time_span", "did_you_mean", "_shown", "syntax_error", "type_name"),
    "_entry",  # seal
    "_took_part",  # vote
}
# Texts that are not messages: results of functions above that are values, not words.
NOT_TEXT = {"", "{type(value).__name__}"}


def shapes(node: ast.expr) -> list[str]:
    """The texts an expression can be, each variable part written `{…}`: a literal, an f-string,
    either branch of `a if c else b`, both sides of `a or b`, each of a tuple, a sum of texts."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [
            "".join(
                str(part.value) if isinstance(part, ast.Constant) else ast.unparse(part)
                for part in node.values
            )
        ]
    if isinstance(node, ast.IfExp):
        return shapes(node.body) + shapes(node.orelse)
    if isinstance(node, ast.BoolOp):
        return [shape for value in node.values for shape in shapes(value)]
    if isinstance(node, ast.Tuple):
        return [shape for element in node.elts for shape in shapes(element)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [left + right for left in shapes(node.left) for right in shapes(node.right)]
    return []


def message_texts(source: str) -> list[tuple[int, str]]:
    """(line, text) of every message, hint or part of one that `source` writes."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        texts: list[str] = []
        if isinstance(node, ast.Call):
            func = node.func
            name = (
                func.attr
                if isinstance(func, ast.Attribute)
                else func.id
                if isinstance(func, ast.Name)
                else ""
            )
            if name in CALLS:
                for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
                    # A key or a severity's name (`fields.error("date", …)`) is not a message.
                    texts += [text for text in shapes(argument) if not text.isidentifier()]
        elif isinstance(node, ast.Assign):
            if any(
                isinstance(target, ast.Name) and (target.id in NAMES or target.id.endswith("_HINT"))
                for target in node.targets
            ):
                texts += shapes(node.value)
        elif isinstance(node, ast.FunctionDef) and node.name in RETURNS:
            for inner in ast.walk(node):
                if isinstance(inner, ast.Return) and inner.value is not None:
                    texts += shapes(inner.value)
        elif isinstance(node, ast.Dict):  # load's hint tables: {context or problem: hint}
            texts += [text for value in node.values for text in shapes(value) if " " in text]
        found += [(getattr(node, "lineno", 0), text) for text in texts if text not in NOT_TEXT]
    return found


def test_the_walk_finds_the_messages() -> None:
    """The walk below sees the messages it should (a walk that finds nothing checks nothing)."""
    texts = {text for module in EMITTERS for _, text in message_texts((PACKAGE / module).read_text())}
    assert "unknown key '{key}' in {what}" in texts
    assert "did you mean '{matches[0]}'?" in texts
    assert "is not a time of day: '{text}'" in texts
    assert "close the list with ']'" in texts
    assert "leaves a gap after" in texts
    assert len(texts) > 120


@pytest.mark.parametrize("module", EMITTERS)
def test_every_message_in_the_source_has_a_swedish_rendering(module: str) -> None:
    """A message, hint or part of one added to the source without Swedish in messages.py fails
    here, naming its line."""
    missing = [
        f"{module}:{line}: {text!r}"
        for line, text in message_texts((PACKAGE / module).read_text())
        if not covers(text)
    ]
    assert missing == []


BROKEN_SITE = {
    "site.yml": "title: Testarkiv\nlanguage: se\nbase_url: ftp://x\ncolour: blå\n",
    "municipalities.yml": (
        "falkoping: {name: Falköping, code: 1499, county: Västra Götalands län}\n"
        "skovde: {name: Skövde, code: '1496', county: Västra Götalands län}\n"
        "Hjo Kommun: {name: Hjo}\n"
    ),
    "networks/skolchefer/network.yml": "name: Skolchefer\nmembers: [falkoping, skovd, falkoping]\n",
    "networks/tom/.keep": "",
}
BROKEN_MEETINGS = {
    "networks/skolchefer/2024/a.md": meeting_text(
        "titel: Fel\ntime: 9.00\nplace: [Regionens Hus]\nparty: x\nnetworks: [tom, skolchefer]\n"
        "participants:\n  - {name: Anna Alm, municipality: orebro, party: XY, present: kanske, items: [7]}\n"
        "  - {name: Anna Alm, municipality: skovde, present: false}\n  - Bo Ek\n"
        "municipalities: {skovde: kanske, hjo: närvarande}\nslug: Fel Slug\naliases: [gammal, /a b/]\n"
        "attachments: [saknas.pdf, ../ut.pdf]\noriginal: original.docx\nadjusted_on: 2024-09-01\n"
        "next_meeting: 2024-09-01\n",
        body="# Rubrik\n\n## § 3\n\n::: okänd\nx\n:::\n\n::: beslut\n:::\n\n"
        "## § 5 Sist\n\n::: beslut\nÖppet\n",
        status="justerat",
    ).replace("chair: [Anna Alm]\nadjusters: [Bo Ek]\n", ""),
    "networks/skolchefer/2024/b.md": meeting_text(date="2024-13-01", status="justerad"),
    "networks/skolchefer/2024/c.md": meeting_text("place Regionens Hus\n", date="2099-01-01"),
    "networks/skolchefer/2024/d.md": meeting_text('place: "Regionens Hus\n'),
    "networks/skolchefer/2024/e.md": "# Ingen framsida\n",
    "networks/skolchefer/2024/f.md": meeting_text("date: 2024-5-4\ntime: 12:00-09:00\n"),
    "networks/skolchefer/2024/g.md": meeting_text(
        "title: Möte\ntitle: Igen\nnext_meeting: 2024-10-30--2024-10-20\nchair: x\nadjusters: 7\n"
    ),
    "networks/skolchefer/2025/h.md": meeting_text("date: 2025-02-30\n"),
    "networks/okänd/2024/i.md": meeting_text(),
    # Valid, but not as a reviewer would have them.
    "networks/skolchefer/2024/j.md": meeting_text("chair: [Anna Alm]\n", date="2024-11-01"),
    "networks/skolchefer/2024/k.md": meeting_text(date="2099-01-01", body="## § 9 Sist\n\n::: beslut\n:::\n"),
}


def broken_diagnostics(mini: MiniProject) -> list[Diagnostic]:
    result = check(mini(files={**BROKEN_SITE, **BROKEN_MEETINGS}))
    return result.diagnostics.items


def test_a_broad_corpus_of_mistakes_reads_in_swedish(mini: MiniProject) -> None:
    """Many mistakes at once (an archive broken in most ways a secretary can break it): every
    message and hint the build gives has a Swedish rendering."""
    found = broken_diagnostics(mini)
    assert len(found) > 40
    assert {d.severity.value for d in found} == {"error", "warning"}
    untranslated = [d.format() for d in found if swedish_message(d.message) is None]
    untranslated += [f"hint: {d.hint}" for d in found if d.hint and swedish_hint(d.hint) is None]
    assert untranslated == []


@pytest.mark.parametrize(
    ("english", "swedish"),
    [
        ("unknown key 'titel' in meeting front matter", "Okänd nyckel 'titel' i uppgifterna överst."),
        ("meeting is missing the required key 'date'", "Nyckeln 'date' krävs men saknas i protokollet."),
        (
            "the minutes are marked justerat but name no adjusters",
            "Protokollet är justerat men anger inga justerare (adjusters).",
        ),
        (
            "YAML syntax error: while scanning a simple key could not find expected ':'"
            " (noticed at line 5, column 1)",
            "Raden saknar ett kolon efter nyckeln. Felet märks först på rad 5, kolumn 1.",
        ),
        (
            "YAML syntax error: while parsing a flow sequence did not find expected ',' or ']'"
            " (noticed at line 5, column 6)",
            "Hakparentesen '[' som börjar listan här stängs aldrig med ']'. Felet märks först på rad 5,"
            " kolumn 6.",
        ),
        ("'time' is not a time of day: '9.00'", "'time' är inget klockslag: '9.00'."),
        ("unknown municipality 'skovd'", "Det finns ingen kommun med kortnamnet 'skovd'."),
        (
            "network 'x' must be a mapping of keys and values, not a list",
            "Nätverket 'x' ska bestå av nycklar med värden, inte en lista.",
        ),
        ("attachment 'a.pdf' does not exist", "Bilagan 'a.pdf' finns inte."),
        (
            "§ 12 leaves a gap after the previous meeting (2024-08-01, last § 9); expected § 10",
            "§ 12 lämnar en lucka efter förra mötet (2024-08-01, sista § 9); här borde § 10 komma.",
        ),
    ],
)
def test_messages_in_swedish(english: str, swedish: str) -> None:
    assert render_message(english, "sv") == swedish
    assert render_message(english, "en") == english  # the English site shows the message as written


def test_hints_in_swedish() -> None:
    assert render_hint("did you mean 'title'?", "sv") == "Menade du 'title'?"
    assert render_hint("known keys: title, date", "sv") == "Nycklar som finns: title, date."
    assert render_hint("did you mean 'title'?", "en") == "did you mean 'title'?"
    assert render_hint("", "sv") == ""


def test_a_message_without_swedish_is_shown_in_english() -> None:
    """A template's error (Jinja's words) or a new message: English, as written, and no crash."""
    text = "expected token 'end of statement block', got 'x'"
    assert swedish_message(text) is None
    assert render_message(text, "sv") == text
    assert render_hint("ask the maintainers", "sv") == "ask the maintainers"


def test_values_are_kept_as_written() -> None:
    """The captured parts (keys, names, files) go into the Swedish unchanged, whatever they hold."""
    assert (
        render_message("unknown key 'a {b} (c)' in site.yml", "sv") == "Okänd nyckel 'a {b} (c)' i site.yml."
    )
    assert render_message("Per Ås's municipality Hjo is not a member of x, y", "sv") == (
        "Per Ås kommer från Hjo, som inte är medlem i x, y."
    )
