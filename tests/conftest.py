"""Shared fixtures: small archives written from a dict of files, the sample archive, an HTML reader."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.database import DirectoryBasedExampleDatabase
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from protokollarkiv.build.builder import GUIDE, Project

ROOT = Path(__file__).resolve().parents[1]

# Hypothesis profiles (tests/test_fuzz.py). "fast", for `make test`: a fixed set of examples
# (derandomize), so the suite is the same on every run and machine, and no example database.
# "long", for `make fuzz`: new random examples each run, and the failures found kept in
# .hypothesis/ (git-ignored), so the next run tries them first. HYPOTHESIS_PROFILE picks one.
_FUZZ_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile(
    "fast",
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],  # no explain: slow
    suppress_health_check=_FUZZ_HEALTH,
    print_blob=True,
)
settings.register_profile(
    "long",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "2000")),
    deadline=None,
    database=DirectoryBasedExampleDatabase(ROOT / ".hypothesis" / "examples"),
    suppress_health_check=_FUZZ_HEALTH,
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))

MINI_SITE = """\
title: Testarkiv
base_url: https://arkiv.example.se
language: sv
organisation: Testkommunförbundet
contact:
  email: info@example.se
"""

MINI_MUNICIPALITIES = """\
falkoping: {name: Falköping, code: "1499", county: Västra Götalands län}
skovde: {name: Skövde, code: "1496", county: Västra Götalands län}
essunga: {name: Essunga, code: "1445", county: Västra Götalands län}
orebro: {name: Örebro, code: "1880", county: Örebro län}
"""

MINI_NETWORK = """\
name: Skolchefer
short_name: Skolchefer
organiser: Testkommunförbundet
region: Skaraborg
members: [falkoping, skovde, essunga]
numbering: per-meeting
"""

MINI_OTHER_NETWORK = """\
name: Chefsgrupp Örebro
organiser: Region Örebro län
region: Örebro län
members: [orebro]
"""

MEETING_PATH = "networks/skolchefer/2024/2024-09-20.md"


def meeting_text(
    front: str = "",
    body: str = "## § 1 Öppnande\n\nMötet öppnas.\n",
    date: str = "2024-09-20",
    status: str = "justerat",
) -> str:
    """A valid meeting file: date on line 2, status on line 3, then `front`'s lines, then a chair
    and an adjuster unless `front` names them."""
    base = f"date: {date}\nstatus: {status}\n"
    front = textwrap.dedent(front)
    if "chair:" not in front and "adjusters:" not in front:
        front += "chair: [Anna Alm]\nadjusters: [Bo Ek]\n"  # signed, as adjusted minutes are
    return f"---\n{base}{front}---\n\n{textwrap.dedent(body)}"


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")


MiniProject = Callable[..., Project]


@pytest.fixture
def mini(tmp_path: Path) -> MiniProject:
    """A small archive in a temporary folder; keyword `files` adds or replaces files in content/."""

    def make(files: dict[str, str | bytes] | None = None, meeting: str | None = None) -> Project:
        content = tmp_path / "content"
        base: dict[str, str | bytes] = {
            "site.yml": MINI_SITE,
            "municipalities.yml": MINI_MUNICIPALITIES,
            "networks/skolchefer/network.yml": MINI_NETWORK,
            "networks/chefsgrupp/network.yml": MINI_OTHER_NETWORK,
            MEETING_PATH: meeting if meeting is not None else meeting_text(),
        }
        base.update(files or {})
        write_files(content, base)
        return Project(content, ROOT / "templates", tmp_path / "site")

    return make


@pytest.fixture
def sample(tmp_path: Path) -> Project:
    """A copy of the sample archive, building into a temporary folder."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return Project(tmp_path / "content", ROOT / "templates", tmp_path / "site", ROOT / GUIDE)


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    parent: Element | None = None
    children: list[Element] = field(default_factory=list)

    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Element]:
        found: list[Element] = []
        for child in self.children:
            if (tag is None or child.tag == tag) and (cls is None or cls in child.classes()):
                found.append(child)
            found.extend(child.find_all(tag, cls))
        return found

    def full_text(self) -> str:
        return " ".join(self.text.split())


_VOID = {"meta", "link", "br", "img", "input", "hr", "source", "wbr"}


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        for element in self.stack:
            element.text += data


def parse_html(path: Path) -> Element:
    """The page as a tree of elements; each element's `text` holds all text inside it."""
    builder = _TreeBuilder()
    builder.feed(path.read_text(encoding="utf-8"))
    builder.close()
    return builder.root


def page_ids(root: Element) -> set[str]:
    return {e.attrs["id"] for e in root.find_all() if "id" in e.attrs}


# --- browser harness ---------------------------------------------------------------------------

CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve `folder` on a free 127.0.0.1 port; yields the base URL without a trailing slash."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


BROWSER_TIMEOUT_MS = 60_000  # generous: a loaded 2-core CI machine can starve the browser


class _PatientBrowser:
    """The launched browser, whose contexts and pages wait up to a minute instead of 30 s."""

    def __init__(self, browser: Browser) -> None:
        self._browser = browser

    def new_context(self, **options: object) -> BrowserContext:
        context = self._browser.new_context(**options)  # type: ignore[arg-type]
        context.set_default_timeout(BROWSER_TIMEOUT_MS)
        return context

    def new_page(self, **options: object) -> Page:
        page = self._browser.new_page(**options)  # type: ignore[arg-type]
        page.set_default_timeout(BROWSER_TIMEOUT_MS)
        return page


@pytest.fixture(scope="session")
def browser() -> Iterator[_PatientBrowser]:
    """Debian's Chromium through Playwright; a missing browser fails the run, never skips it."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("chromium is not installed: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield _PatientBrowser(launched)
        launched.close()


@pytest.fixture(scope="session")
def sample_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample archive built once, with its search index; tests only read it."""
    from protokollarkiv.build.builder import build

    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(ROOT / "content", root / "content")
    project = Project(root / "content", ROOT / "templates", root / "site", ROOT / GUIDE)
    result = build(project)
    assert result.ok and result.search is not None, result.diagnostics.format()
    return project.output


@pytest.fixture(scope="session")
def sample_site(sample_output: Path) -> Iterator[str]:
    """The built sample archive served on 127.0.0.1; yields the base URL."""
    with serve_folder(sample_output) as base:
        yield base


@pytest.fixture
def page(browser: _PatientBrowser) -> Iterator[Page]:
    context = browser.new_context()
    opened = context.new_page()
    yield opened
    context.close()
