"""Read the archive from disk: strict UTF-8, front matter split, YAML that can say where each key starts."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostics, SourcePos

KeyPath = tuple[str | int, ...]

SITE_FILE = "site.yml"
MUNICIPALITIES_FILE = "municipalities.yml"
PEOPLE_FILE = "people.yml"  # optional: one name per person (see people.py)
NETWORKS_DIR = "networks"
NETWORK_FILE = "network.yml"
MEETING_SUFFIX = ".md"


class Loader(yaml.CSafeLoader):
    """Safe loader for authors: `9:00` stays text (not YAML 1.1's base-60 number 540) and a bad
    timestamp stays text, so validation can report it with a position."""

    def read_document(self, node: yaml.Node) -> tuple[Any, list[yaml.Node]]:
        """The document's values and its duplicate key nodes (the second, third, … of a key).

        The nodes are checked before any value is made: a tag that does not fit its value
        (`!!int x`, `!!set`, `!!python/…`) is `Tagged`, never given to a constructor."""
        checker = Checker(self.resolve)
        checker.check(node)
        return self.construct_document(node), checker.duplicates

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """PyYAML's, with a value that cannot be made (an integer of more than 4,300 digits, …)
        reported at its node as `Unreadable` instead of escaping as a ValueError."""
        try:
            value = super().construct_object(node, deep)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            raise Unreadable(node) from exc
        if type(value) is int and value.bit_length() > _LONGEST_INT_BITS:
            raise Unreadable(node)  # `0x…` of thousands of digits: Python could not show it in decimal
        return value


_INT = "tag:yaml.org,2002:int"
_LONGEST_INT_BITS = 4300 * 3  # fewer than Python's 4,300 decimal digits (sys.int_info)
_FLOAT = "tag:yaml.org,2002:float"
Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver(
    _INT,
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
Loader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML document, with its composed nodes to say where a key or value starts.

    Positions are looked up when asked for (by a diagnostic or a review), not recorded for every
    node as the document is read: a meeting has about 150 nodes and most are never asked about.
    """

    path: Path
    data: Any
    root: yaml.Node | None = field(default=None, repr=False, compare=False)
    first_line: int = 1  # the file line where the document starts
    text: str = field(default="", repr=False, compare=False)  # the document, for `position`

    def position(self, node: yaml.Node) -> SourcePos:
        return file_pos(node.start_mark, self.first_line, self.text)

    def _steps(self, where: KeyPath) -> list[tuple[yaml.Node, yaml.Node]]:
        """(key or item node, value node) for each part of `where` that is there, outermost first.

        A key given twice is the last one, as in the data."""
        steps: list[tuple[yaml.Node, yaml.Node]] = []
        node = self.root
        for part in where:
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                pair = next((p for p in reversed(node.value) if str(p[0].value) == part), None)
            elif isinstance(node, yaml.SequenceNode) and _index_in(part, node):
                pair = (node.value[part], node.value[part])
            else:
                pair = None
            if pair is None:
                break
            steps.append(pair)
            node = pair[1]
        return steps

    def key_pos(self, *where: str | int) -> SourcePos:
        """Position of a key, or of the nearest enclosing key that has one."""
        steps = self._steps(where)
        return self.position(steps[-1][0]) if steps else SourcePos(1, 1)

    def value_pos(self, *where: str | int) -> SourcePos:
        steps = self._steps(where)
        if where and len(steps) == len(where):
            return self.position(steps[-1][1])
        return self.position(steps[-1][0]) if steps else SourcePos(1, 1)

    def keys_of(self, *where: str | int) -> list[tuple[str | int, SourcePos]]:
        """The keys (or item indexes) of the collection at `where`, each with its position."""
        steps = self._steps(where)
        node = self.root if not where else steps[-1][1] if len(steps) == len(where) else None
        if isinstance(node, yaml.MappingNode):
            return [(str(key.value), self.position(key)) for key, _ in node.value]
        if isinstance(node, yaml.SequenceNode):
            return [(index, self.position(item)) for index, item in enumerate(node.value)]
        return []


@dataclass(frozen=True)
class MeetingSource:
    """One meeting file: its front matter, its body and the body's first line in the file."""

    path: Path
    network_dir: str
    front: YamlDoc
    body: str
    body_line: int


@dataclass(frozen=True)
class ContentFiles:
    """Every file of the archive that the build reads, found but not yet read."""

    root: Path
    site: Path
    municipalities: Path
    networks: tuple[tuple[str, Path], ...]  # (slug, network.yml)
    meetings: tuple[tuple[Path, str], ...]  # (meeting file, folder's network slug)
    folders: frozenset[str] = frozenset()  # every folder under the networks, as path strings

    @property
    def people(self) -> Path:
        return self.root / PEOPLE_FILE


def read_text(path: Path, diagnostics: Diagnostics, raw: bytes | None = None) -> str | None:
    """The file's text, or None with a diagnostic at the first byte that is not UTF-8."""
    if raw is None:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            diagnostics.error(path, SourcePos(1, 1), f"cannot read file: {exc.strerror}")
            return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        column = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        diagnostics.error(
            path,
            SourcePos(line, column),
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            "save the file as UTF-8 in your editor",
        )
        return None
    return text.removeprefix("\ufeff")


def parse_yaml(
    text: str, path: Path, diagnostics: Diagnostics, first_line: int = 1, loader: type[Loader] = Loader
) -> YamlDoc | None:
    """Parse one YAML document; `first_line` is the file line where `text` starts."""

    def at(node: yaml.Node) -> SourcePos:
        return file_pos(node.start_mark, first_line, text)

    reader = loader(text)
    try:
        node = reader.get_single_node()
        if node is None:
            return YamlDoc(path, None)
        data, duplicates = reader.read_document(node)
    except yaml.MarkedYAMLError as exc:
        pos, message, hint = syntax_error(exc, first_line, text)
        diagnostics.error(path, pos, message, hint)
        return None
    except yaml.reader.ReaderError as exc:
        pos = index_pos(text, min(exc.position, len(text)), first_line)
        diagnostics.error(
            path,
            pos,
            f"YAML does not allow the control character U+{exc.character:04X} here",
            "delete it; most editors do not show it",
        )
        return None
    except yaml.YAMLError as exc:
        diagnostics.error(path, SourcePos(first_line, 1), f"YAML error: {exc}")
        return None
    except Recursive as exc:
        diagnostics.error(
            path, at(exc.node), "YAML alias refers to the value that contains it", "remove the alias"
        )
        return None
    except Tagged as exc:
        diagnostics.error(
            path,
            at(exc.node),
            f"the YAML tag '{short_tag(exc.node.tag)}' does not fit {_shown(exc.node)}",
            "remove the tag: minutes need no YAML tags",
        )
        return None
    except Unreadable as exc:
        diagnostics.error(
            path,
            at(exc.node),
            f"cannot read {_shown(exc.node)} as {_KINDS.get(exc.node.tag, short_tag(exc.node.tag))}",
            "put the value in quotes if it is text",
        )
        return None
    except RecursionError:
        diagnostics.error(path, SourcePos(first_line, 1), "the YAML is nested too deeply to be read")
        return None
    finally:
        reader.dispose()
    doc = YamlDoc(path, data, node, first_line, text)
    for key_node in duplicates:
        message = f"key '{key_node.value}' is given twice; the last one wins"
        diagnostics.warning(path, doc.position(key_node), message)
    return doc


# The constructs whose opening libyaml names as the context of an error it notices later (a line
# or more on, at the next key or at the end of the document): the opening is where the mistake is.
_OPENED_HINTS = {
    "while parsing a flow sequence": "close the list with ']'",
    "while parsing a flow mapping": "close the braces with '}'",
    "while scanning a quoted scalar": "end the quoted text with the same quote mark it starts with",
    "while scanning a simple key": "write the key, a colon and a space before the value: 'key: value'",
}
_PROBLEM_HINTS = {
    "mapping values are not allowed in this context": (
        "put a value holding ': ' in quotes; keys of one level start in the same column"
    ),
    "found a tab character that violates indentation": "indent with spaces, not tabs",
    "found character that cannot start any token": "put the value in quotes",
}
SYNTAX_HINT = "check indentation and quoting"


def syntax_error(exc: yaml.MarkedYAMLError, first_line: int, text: str) -> tuple[SourcePos, str, str]:
    """Where a YAML syntax error is, its message and its hint.

    An unclosed '[', '{' or quote, or a key without its colon, is noticed only where the next
    thing begins (the next line, or the end of the front matter); it is reported where it was
    opened, the mark of its context, and the message names where it was noticed."""
    context, problem = str(exc.context or ""), str(exc.problem or "")
    message = f"YAML syntax error: {' '.join(part for part in (context, problem) if part)}"
    found = file_pos(exc.problem_mark, first_line, text) if exc.problem_mark else None
    if exc.context_mark is not None and context in _OPENED_HINTS:
        pos = file_pos(exc.context_mark, first_line, text)
        if found is not None and found.line != pos.line:
            message += f" (noticed at line {found.line}, column {found.column})"
        return pos, message, _OPENED_HINTS[context]
    if found is None and exc.context_mark is not None:
        found = file_pos(exc.context_mark, first_line, text)
    quote = _runaway_quote(text, exc.problem_mark) if exc.problem_mark else None
    if quote is not None and found is not None:
        pos = file_pos(quote, first_line, text)
        message = (
            "YAML syntax error: the quoted text that starts here is not closed on its line; "
            f"{' '.join(part for part in (context, problem) if part)}"
            f" (noticed at line {found.line}, column {found.column})"
        )
        return pos, message, _OPENED_HINTS["while scanning a quoted scalar"]
    return found or SourcePos(first_line, 1), message, _PROBLEM_HINTS.get(problem, SYNTAX_HINT)


def _runaway_quote(text: str, before: yaml.Mark) -> yaml.Mark | None:
    """The start of a quoted text before `before` that was left open: it ran on over lines to the
    next quote mark, and text follows that mark at once (`role: "Sektorchef` closing the quote
    opened lines above). The error is noticed after it, and is its doing."""
    scanner = Loader(text)
    try:
        while scanner.check_token():
            token = scanner.get_token()
            if token is None or token.start_mark.index >= before.index:
                break
            if (
                isinstance(token, yaml.ScalarToken)
                and token.style in ('"', "'")
                and token.end_mark.line > token.start_mark.line
                and text[token.end_mark.index : token.end_mark.index + 1] not in ("", *" \t\r\n,]}:#")
            ):
                start: yaml.Mark = token.start_mark
                return start
    except yaml.YAMLError:
        pass
    finally:
        scanner.dispose()
    return None


_KINDS = {
    "tag:yaml.org,2002:int": "a whole number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "true or false",
    "tag:yaml.org,2002:null": "nothing",
    "tag:yaml.org,2002:timestamp": "a date",
}
# YAML's own line breaks besides LF (CR, NEL, LS, PS): where the text has any, a node's line is
# counted from its character index as an editor counts lines, by LF only.
_OTHER_BREAKS = re.compile("[\r\x85\u2028\u2029]")


def short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _shown(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        value = str(node.value)
        return f"the value '{value[:40]}…' ({len(value)} characters)" if len(value) > 48 else f"'{value}'"
    return "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"


def file_pos(mark: yaml.Mark, first_line: int, text: str = "") -> SourcePos:
    """A YAML mark (0-based, in the document starting at `first_line`) as a position in the file."""
    if text and _OTHER_BREAKS.search(text):
        return index_pos(text, mark.index, first_line)
    return SourcePos(mark.line + first_line, mark.column + 1)


def index_pos(text: str, index: int, first_line: int = 1) -> SourcePos:
    """The file position of character `index` of `text`, lines counted by LF as editors do."""
    line_start = text.rfind("\n", 0, index) + 1
    return SourcePos(text.count("\n", 0, index) + first_line, index - line_start + 1)


def _index_in(part: str | int, node: yaml.SequenceNode) -> bool:
    return isinstance(part, int) and 0 <= part < len(node.value)


class NodeProblem(Exception):
    """A node of the document that cannot be read as it stands."""

    def __init__(self, node: yaml.Node) -> None:
        self.node = node


class Recursive(NodeProblem):
    """An alias to a value that contains it."""


class Tagged(NodeProblem):
    """An explicit tag that does not fit its node: `!!int x`, `!!set {…}`, `!!binary …`."""


class Unreadable(NodeProblem):
    """A value its tag's constructor cannot make (an integer of more than 4,300 digits, …)."""


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
Resolve = Callable[[type[yaml.Node], str, tuple[bool, bool]], str]


class Checker:
    """Finds a document's duplicate keys, its aliases to a containing value and its tags that do
    not fit their values, in its nodes.

    A tag fits a scalar when it is `!!str` or the tag the scalar would have without it (`!!int 3`);
    a mapping's tag must be `!!map` and a sequence's `!!seq`: anything else (`!!set`, `!!omap`,
    `!!binary`, `!!python/…`, local tags) is refused before a constructor sees it.
    """

    def __init__(self, resolve: Resolve) -> None:
        self.resolve = resolve
        self.duplicates: list[yaml.Node] = []  # the second (third, …) key node of a key given twice
        self.open: set[int] = set()  # the collections being walked, to catch an alias to one of them

    def check_scalar_tag(self, node: yaml.ScalarNode) -> None:
        if node.tag != _STR and node.tag != self.resolve(yaml.ScalarNode, node.value, (True, False)):
            raise Tagged(node)

    def find_duplicates(self, node: yaml.MappingNode) -> None:
        seen: set[str] = set()
        for key_node, _ in node.value:
            key = str(key_node.value)
            if key in seen:
                self.duplicates.append(key_node)
            seen.add(key)

    def check(self, node: yaml.Node) -> None:
        if isinstance(node, yaml.ScalarNode):
            self.check_scalar_tag(node)
            return
        if id(node) in self.open:
            raise Recursive(node)
        self.open.add(id(node))
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP:
                raise Tagged(node)
            self.find_duplicates(node)
            for key_node, value_node in node.value:
                self.check(key_node)
                self.check(value_node)
        elif isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise Tagged(node)
            for item in node.value:
                self.check(item)
        self.open.discard(id(node))


def load_yaml_file(path: Path, diagnostics: Diagnostics, loader: type[Loader] = Loader) -> YamlDoc | None:
    text = read_text(path, diagnostics)
    return None if text is None else parse_yaml(text, path, diagnostics, loader=loader)


def split_front_matter(text: str, path: Path, diagnostics: Diagnostics) -> tuple[str, str, int] | None:
    """(front matter, body, first body line) of a Markdown file, or None with a diagnostic."""
    lines = text.split("\n")  # lines as editors count them (not str.splitlines' VT, FF, NEL, …)
    if lines[0].rstrip() != "---":
        diagnostics.error(
            path,
            SourcePos(1, 1),
            "meeting file does not start with front matter",
            "the first line must be '---', followed by the YAML keys and a closing '---'",
        )
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            front = "".join(line + "\n" for line in lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return front, body, index + 2
    diagnostics.error(
        path,
        SourcePos(1, 1),
        "front matter is not closed",
        "add a line '---' after the last YAML key",
    )
    return None


def load_meeting(
    path: Path,
    network_dir: str,
    diagnostics: Diagnostics,
    raw: bytes | None = None,
    loader: type[Loader] = Loader,
) -> MeetingSource | None:
    text = read_text(path, diagnostics, raw)
    if text is None:
        return None
    parts = split_front_matter(text, path, diagnostics)
    if parts is None:
        return None
    front_text, body, body_line = parts
    doc = parse_yaml(front_text, path, diagnostics, first_line=2, loader=loader)
    if doc is None:
        return None
    return MeetingSource(path, network_dir, doc, body, body_line)


def _meeting_files(network_path: Path, folders: set[str]) -> list[Path]:
    """Meeting files under a network folder in path order; names starting with '.' or '_' are skipped.

    Every folder walked is added to `folders`, so callers can tell which meetings have an attachment
    folder without a stat each.
    """
    found: list[tuple[tuple[str, ...], str]] = []

    def walk(folder: str, parts: tuple[str, ...]) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith((".", "_")):
                    continue
                if entry.is_dir():
                    folders.add(entry.path)
                    walk(entry.path, (*parts, entry.name))
                elif entry.name.endswith(MEETING_SUFFIX) and entry.is_file():
                    found.append(((*parts, entry.name), entry.path))

    walk(str(network_path), ())
    return [Path(path) for _, path in sorted(found)]


def attachment_listing(meeting_path: Path, folders: frozenset[str]) -> bytes:
    """Names, sizes and mtimes in the meeting's attachment folder: a change there re-validates it."""
    folder = str(meeting_path)[: -len(meeting_path.suffix)]
    if folder not in folders:  # discover saw every folder: no attachment folder, no stat
        return b""
    found: list[str] = []

    def walk(current: str, prefix: str) -> None:
        with os.scandir(current) as entries:
            for entry in entries:
                if entry.is_dir():
                    walk(entry.path, f"{prefix}{entry.name}/")
                elif entry.is_file():
                    info = entry.stat()
                    found.append(f"{prefix}{entry.name}:{info.st_size}:{info.st_mtime_ns}")

    walk(folder, "")
    return "\n".join(sorted(found)).encode()


def discover(root: Path, diagnostics: Diagnostics) -> ContentFiles:
    """Find the archive's files under `root` (the content folder); missing pieces are diagnostics."""
    for name in (SITE_FILE, MUNICIPALITIES_FILE):
        if not (root / name).is_file():
            diagnostics.error(root / name, SourcePos(1, 1), f"{name} is missing from the content folder")
    networks: list[tuple[str, Path]] = []
    meetings: list[tuple[Path, str]] = []
    folders: set[str] = set()
    networks_root = root / NETWORKS_DIR
    if not networks_root.is_dir():
        diagnostics.error(networks_root, SourcePos(1, 1), "the networks/ folder is missing")
    else:
        for network_path in sorted(p for p in networks_root.iterdir() if p.is_dir()):
            if network_path.name.startswith("."):
                continue
            network_file = network_path / NETWORK_FILE
            if not network_file.is_file():
                diagnostics.error(
                    network_file,
                    SourcePos(1, 1),
                    f"network folder '{network_path.name}' has no {NETWORK_FILE}",
                )
            networks.append((network_path.name, network_file))
            meetings.extend((path, network_path.name) for path in _meeting_files(network_path, folders))
    return ContentFiles(
        root,
        root / SITE_FILE,
        root / MUNICIPALITIES_FILE,
        tuple(networks),
        tuple(meetings),
        frozenset(folders),
    )
