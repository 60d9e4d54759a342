"""Attachments in search: their text read at build time (PDF, Word, plain text), cached by the file's
bytes, shown in a closed disclosure on the meeting page and found by a search in Chromium."""

from __future__ import annotations

import io
import itertools
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from axe_playwright_python.sync_playwright import Axe
from fpdf import FPDF
from playwright.sync_api import Browser, Page

from protokollarkiv.attachment import TEXT_LIMIT, limited, read_file, text_as_before
from protokollarkiv.build.builder import Builder, Project
from protokollarkiv.cli import _summary
from protokollarkiv.diagnostics import Severity
from protokollarkiv.strings import UI

from .conftest import (
    MEETING_PATH,
    MINI_MUNICIPALITIES,
    MINI_NETWORK,
    MINI_OTHER_NETWORK,
    MINI_SITE,
    ROOT,
    MiniProject,
    meeting_text,
    parse_html,
    serve_folder,
    write_files,
)
from .test_accessibility import WCAG_TAGS, _validate
from .test_search import search

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FOLDER = MEETING_PATH.removesuffix(".md")
PAGE = "/natverk/skolchefer/2024-09-20/"
FRONT = """\
attachments:
  - {file: budget.pdf, title: Budget 2025}
  - {file: underlag/fördelning.docx, title: Underlag om fördelning}
  - {file: minnesanteckningar.txt, title: Minnesanteckningar}
  - {file: skannad.pdf, title: Skannad kallelse}
  - {file: trasig.pdf, title: Trasig bilaga}
"""


def pdf_bytes(*paragraphs: str) -> bytes:
    document = FPDF()
    document.add_font("DejaVu", fname=FONT)
    document.set_font("DejaVu", size=11)
    document.add_page()
    for paragraph in paragraphs:
        document.multi_cell(0, 6, paragraph)
        document.ln(3)
    return bytes(document.output())


def scanned_pdf_bytes() -> bytes:
    """A page with a drawing and no text: what a scanner makes, as far as search can tell."""
    document = FPDF()
    document.add_page()
    document.rect(20, 20, 120, 80, style="F")
    return bytes(document.output())


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def attachment_files() -> dict[str, str | bytes]:
    # Each word below is in one attachment only, and nowhere in the minutes.
    return {
        MEETING_PATH: meeting_text(FRONT),
        f"{FOLDER}/budget.pdf": pdf_bytes(
            "Budget för regionalt yrkesvux 2025.", "Pumpstationsavgiften fördelas efter elevantal."
        ),
        f"{FOLDER}/underlag/fördelning.docx": docx_bytes("Fördelningsnyckel", "Regnbågsmodellen föreslås."),
        f"{FOLDER}/minnesanteckningar.txt": "Anteckningar från arbetsgruppen om lärlingsplatser.\n".encode(),
        f"{FOLDER}/skannad.pdf": scanned_pdf_bytes(),
        f"{FOLDER}/trasig.pdf": b"%PDF-1.4\nnot really a PDF",
    }


def cached_project(project: Project) -> Project:
    return Project(
        project.content, project.templates, project.output, cache=project.content.parent / ".cache"
    )


# --- reading one file ----------------------------------------------------------------------------


def test_the_text_of_pdf_word_and_plain_text_files(tmp_path: Path) -> None:
    files = {
        "a.pdf": pdf_bytes("Första stycket om skolskjuts.", "Andra stycket."),
        "b.docx": docx_bytes("Ett stycke i Word.", "Och ett till."),
        "c.txt": "Rad ett\nfortsätter här.\n\nNytt stycke.\n".encode("cp1252"),
    }
    texts = {}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        texts[name] = read_file(tmp_path / name, "digest")
    assert texts["a.pdf"].paragraphs == ("Första stycket om skolskjuts.", "Andra stycket.")
    assert texts["b.docx"].paragraphs == ("Ett stycke i Word.", "Och ett till.")
    assert texts["c.txt"].paragraphs == ("Rad ett fortsätter här.", "Nytt stycke.")  # Windows-1252
    assert all(t.digest == "digest" and not t.problem and not t.no_text for t in texts.values())


def test_a_scanned_pdf_has_no_text_and_a_damaged_one_a_problem(tmp_path: Path) -> None:
    (tmp_path / "scan.pdf").write_bytes(scanned_pdf_bytes())
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4\nnot really a PDF")
    (tmp_path / "bad.docx").write_bytes(b"PK\x03\x04 not a zip")
    scanned = read_file(tmp_path / "scan.pdf", "x")
    assert scanned.no_text and not scanned.paragraphs and not scanned.problem
    for name in ("bad.pdf", "bad.docx"):
        damaged = read_file(tmp_path / name, "x")
        assert damaged.problem.startswith("cannot read the "), damaged
        assert not damaged.paragraphs


def test_the_text_is_limited_at_a_word() -> None:
    lines = ["ett två\ttre", "fyra fem sex sju"]
    assert limited(lines, 100) == (("ett två tre", "fyra fem sex sju"), False)
    assert limited(lines, 20) == (("ett två tre", "fyra fem …"), True)
    long = [f"ord{i} " * 100 for i in range(1000)]
    kept, shortened = limited(long, TEXT_LIMIT)
    assert shortened and sum(len(p) for p in kept) <= TEXT_LIMIT + 2


# --- the build -----------------------------------------------------------------------------------


def test_the_meeting_page_holds_the_text_and_a_bad_file_is_a_warning(mini: MiniProject) -> None:
    project = mini(files=attachment_files())
    result = Builder(project, search=False).build()
    assert result.ok, result.diagnostics.format()
    warnings = result.diagnostics.warnings
    assert [(w.path.name, w.line, w.column) for w in warnings] == [("2024-09-20.md", 9, 5)]  # its entry
    assert warnings[0].message.startswith("the text of attachment 'trasig.pdf' cannot be searched: ")
    assert [p.name for p in result.without_text] == ["skannad.pdf"]
    html = (project.output / PAGE.strip("/") / "index.html").read_text(encoding="utf-8")
    assert '<h3 id="bilaga-budget.pdf" class="visually-hidden">Budget 2025</h3>' in html
    assert 'id="bilaga-underlag/f%C3%B6rdelning.docx"' in html
    assert "<p>Pumpstationsavgiften fördelas efter elevantal.</p>" in html
    assert "<p>Anteckningar från arbetsgruppen om lärlingsplatser.</p>" in html
    assert html.count('<details class="attachment-text">') == 3
    assert UI["attachment_no_text"]["sv"] in html
    # the files are published as they are, the unreadable one too
    assert (project.output / PAGE.strip("/") / "trasig.pdf").read_bytes().startswith(b"%PDF")
    assert (project.output / PAGE.strip("/") / "underlag/fördelning.docx").is_file()
    stats = result.stats
    assert stats is not None
    line = _summary(result, project, drafts=False, jobs=1)
    assert "5 attachments read for search" in line
    assert line.endswith(
        "1 attachment without text, not searchable (scanned? no OCR): "
        f"{project.content / FOLDER / 'skannad.pdf'}"
    )


def test_a_text_is_read_once_per_content(mini: MiniProject) -> None:
    project = cached_project(mini(files=attachment_files()))
    first = Builder(project, search=False).build()
    assert first.ok and first.read_attachments == 5
    page = project.output / PAGE.strip("/") / "index.html"
    meeting = project.content / MEETING_PATH
    time.sleep(0.01)

    # An edit of the minutes re-parses them in a new process, but reads no attachment again.
    meeting.write_text(meeting.read_text(encoding="utf-8") + "\nEtt tillägg.\n", encoding="utf-8")
    second = Builder(project, search=False).build()
    assert second.ok and second.parsed == 1 and second.read_attachments == 0
    assert PAGE in second.rendered
    assert "Pumpstationsavgiften" in page.read_text(encoding="utf-8")
    assert [w.message[:40] for w in second.diagnostics.warnings] == [
        "the text of attachment 'trasig.pdf' cann"
    ]  # the damaged file is still named, from the cache

    # A changed attachment is read again, and its meeting page shows the new text.
    (project.content / FOLDER / "budget.pdf").write_bytes(pdf_bytes("Reviderad budget med vattenavgift."))
    third = Builder(project, search=False).build()
    assert third.ok and third.read_attachments == 1
    assert PAGE in third.rendered
    html = page.read_text(encoding="utf-8")
    assert "vattenavgift" in html and "Pumpstationsavgiften" not in html

    # The cache keeps the texts of the files the archive has, by their digest.
    texts = next((project.content.parent / ".cache").glob("texts-*"))
    assert len(list(texts.glob("*.pickle"))) == 5  # the budget's old text is gone


def test_a_build_in_one_process_reads_a_text_once(mini: MiniProject) -> None:
    project = mini(files=attachment_files())
    builder = Builder(project, search=False)
    assert builder.build().read_attachments == 5
    meeting = project.content / MEETING_PATH
    meeting.write_text(meeting.read_text(encoding="utf-8") + "\nMer text.\n", encoding="utf-8")
    again = builder.build()
    assert again.ok and again.parsed == 1 and again.read_attachments == 0


def test_the_preview_shortcut_keeps_the_texts_it_has(mini: MiniProject) -> None:
    """An edit shown at once (preview.quick) reads no attachment: the texts stay as last built."""
    project = mini(files=attachment_files())
    builder = Builder(project, search=False)
    assert builder.build().ok and builder.last is not None
    before = builder.last.site.meetings[0]
    edited = replace(before, attachments=tuple(replace(a, text=None) for a in before.attachments))
    again = text_as_before(edited, before)
    assert again.attachments == before.attachments
    assert text_as_before(edited, edited) is edited


def test_an_unreadable_attachment_never_fails_the_build(mini: MiniProject) -> None:
    front = "attachments:\n  - {file: tom.docx, title: Tom}\n  - {file: konstig.txt, title: Konstig}\n"
    project = mini(
        files={
            MEETING_PATH: meeting_text(front),
            f"{FOLDER}/tom.docx": b"",
            f"{FOLDER}/konstig.txt": b"\xff\xfe\x00\xd8",  # UTF-16 with a lone surrogate
        }
    )
    result = Builder(project, search=False).build()
    assert result.ok
    assert all(d.severity is Severity.WARNING for d in result.diagnostics.items)
    assert [p.name for p in result.without_text] == ["tom.docx"]


# --- search in Chromium, and the page for everyone ------------------------------------------------


@pytest.fixture(scope="module")
def searched_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The archive with attachments, built with its search index and served: (content, base URL)."""
    root = tmp_path_factory.mktemp("attachments")
    files: dict[str, str | bytes] = {
        "site.yml": MINI_SITE,
        "municipalities.yml": MINI_MUNICIPALITIES,
        "networks/skolchefer/network.yml": MINI_NETWORK,
        "networks/chefsgrupp/network.yml": MINI_OTHER_NETWORK,
        **attachment_files(),
    }
    write_files(root / "content", files)
    project = Project(root / "content", ROOT / "templates", root / "site")
    result = Builder(project).build(index=True)
    assert result.ok and result.search is not None, result.diagnostics.format()
    with serve_folder(project.output) as base:
        yield project.content, base


@pytest.mark.slow
def test_a_word_only_in_an_attachment_is_found_and_links_to_it(
    page: Page, searched_site: tuple[Path, str]
) -> None:
    content, base = searched_site
    minutes = (content / MEETING_PATH).read_text(encoding="utf-8").lower()
    assert "pumpstationsavgift" not in minutes and "regnbåg" not in minutes
    status = search(page, base, "q=pumpstationsavgiften")
    assert status.startswith("1 träff")
    sub = page.locator(".sub-result.is-attachment a")
    assert sub.count() == 1
    assert sub.inner_text() == "Bilaga: Budget 2025"
    assert sub.get_attribute("href") == f"{PAGE}budget.pdf"
    assert "Pumpstationsavgiften" in page.inner_text(".sub-result.is-attachment .excerpt")
    assert page.locator(".search-result h2 a").get_attribute("href") == PAGE

    search(page, base, "q=regnb%C3%A5gsmodellen")  # a Word file in a folder, its name with ö
    sub = page.locator(".sub-result.is-attachment a")
    assert sub.inner_text() == "Bilaga: Underlag om fördelning"
    href = sub.get_attribute("href")
    assert href == f"{PAGE}underlag/f%C3%B6rdelning.docx"
    response = page.request.get(f"{base}{href}")
    assert response.ok
    assert response.body() == (content / FOLDER / "underlag/fördelning.docx").read_bytes()

    search(page, base, "q=l%C3%A4rlingsplatser")  # plain text
    assert page.locator(".sub-result.is-attachment a").inner_text() == "Bilaga: Minnesanteckningar"


@pytest.mark.slow
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_meeting_page_with_attachment_texts_is_accessible(
    browser: Browser, searched_site: tuple[Path, str], scheme: str
) -> None:
    _, base = searched_site
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(base + PAGE)
    texts = page.locator("details.attachment-text")
    assert texts.count() == 3
    assert not page.is_visible("text=Pumpstationsavgiften")  # closed until a reader opens it
    found: list[str] = []
    for opened in (False, True):
        if opened:
            page.locator("details.attachment-text summary").first.focus()
            page.keyboard.press("Enter")  # the keyboard opens it
            assert page.is_visible("text=Pumpstationsavgiften")
        response = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}}).response
        found += [
            f"{opened}: {v['id']} {[n['target'] for n in v['nodes']][:3]}" for v in response["violations"]
        ]
    context.close()
    assert found == []


@pytest.mark.slow
def test_the_meeting_page_with_attachment_texts_is_valid_html(searched_site: tuple[Path, str]) -> None:
    content, _ = searched_site
    site = content.parent / "site"
    _validate(site)
    root = parse_html(site / PAGE.strip("/") / "index.html")
    levels = [int(e.tag[1]) for e in root.find_all() if e.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in itertools.pairwise(levels))
