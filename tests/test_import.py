"""`import`: Word, PDF and text minutes as drafts; the seeds' facts per format; bad input; other shapes."""

from __future__ import annotations

import io
import shutil
import zipfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from protokollarkiv.build.builder import Project, check
from protokollarkiv.cli import main
from protokollarkiv.diagnostics import Severity
from protokollarkiv.markdown import parse_body

from .conftest import ROOT

SEEDS = ROOT.parent / "shared" / "seeds"
FIXTURES = ROOT / "tests" / "fixtures" / "import"
FACTS = yaml.safe_load((FIXTURES / "seed-facts.yml").read_text(encoding="utf-8"))
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian's fonts-dejavu-core
NETWORK = "skolchefer-skaraborg"


# --- writing Word and PDF files from text, as an office suite would ---------------------------


def write_docx(text: str, path: Path) -> Path:
    """One paragraph per line; "- " lines as list paragraphs; runs of tab-separated lines as a table."""
    document = docx.Document()
    lines = [line for line in text.splitlines() if line.strip()]
    i = 0
    while i < len(lines):
        rows = []
        while i < len(lines) and "\t" in lines[i]:
            rows.append(lines[i].split("\t"))
            i += 1
        if len(rows) >= 2:
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, cells in enumerate(rows):
                for c, cell in enumerate(cells):
                    table.cell(r, c).text = cell
            continue
        for cells in rows:
            document.add_paragraph("\t".join(cells))
        if i < len(lines) and "\t" not in lines[i]:
            line = lines[i]
            if line.startswith("- "):
                document.add_paragraph(line[2:], style="List Bullet")
            else:
                document.add_paragraph(line)
            i += 1
    document.save(str(path))
    return path


class _Minutes(FPDF):
    """A4 pages with the organisation's name at the top and "page (pages)" at the foot."""

    def header(self) -> None:
        self.set_font("Body", size=8)
        self.cell(0, 5, "Protokoll – arkivexemplar", new_x="LMARGIN", new_y="NEXT")
        self.ln(3)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Body", size=8)
        self.cell(0, 5, f"{self.page_no()} ({{nb}})", align="R")


def write_pdf(text: str, path: Path, pages: int | None = None) -> Path:
    pdf = _Minutes(format="A4")
    pdf.add_font("Body", "", str(FONT))
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("Body", size=10.5)
    for line in text.splitlines():
        if not line.strip():
            pdf.ln(3)
        elif "\t" in line:
            label, value = line.split("\t", 1)
            pdf.cell(40, 5.5, label)
            pdf.multi_cell(0, 5.5, value.replace("\t", "   "), align="L", new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.multi_cell(0, 5.5, line, align="L", new_x="LMARGIN", new_y="NEXT")
    for _ in range((pages or 0) - pdf.page_no()):
        pdf.add_page()
        pdf.multi_cell(0, 5.5, "Bilaga. " + "Text om budgeten och verksamheten. " * 30)
    pdf.output(str(path))
    return path


# --- the archive imported into, and reading a draft ---------------------------------------------


@pytest.fixture()
def archive(tmp_path: Path) -> Project:
    """A copy of the sample archive without its meetings (the seeds' own), so the drafts' dates are free."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for meeting in (content / "networks").rglob("*.md"):
        meeting.unlink()
    return Project(content, ROOT / "templates", tmp_path / "site", ROOT / "docs", None)


def run(project: Project, *args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(["import", "--content", str(project.content), *map(str, args)])
    return status, out.getvalue(), err.getvalue()


def read_draft(text: str) -> tuple[dict[str, Any], Any]:
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), parse_body(body)


def meetings(project: Project) -> list[Path]:
    return sorted((project.content / "networks").rglob("*.md"))


def _participant(entry: dict[str, Any]) -> str:
    where = entry.get("municipality") or entry.get("organisation") or ""
    present = entry.get("present", True)
    return (
        f"{entry['name']} | {where} | {'absent' if present is False else 'present' if present else 'unknown'}"
    )


def held_facts(text: str, facts: dict[str, Any]) -> tuple[int, int, list[str]]:
    """How many of a seed's facts a draft holds, of how many, and the ones it misses."""
    front, body = read_draft(text)
    checks: list[tuple[str, bool]] = []
    for key in ("date", "time", "place", "secretary"):
        if facts[key] is not None:
            checks.append((f"{key} {facts[key]}", str(front.get(key)) == str(facts[key])))
    for key in ("chair", "adjusters"):
        if facts[key]:
            checks.append((f"{key} {facts[key]}", front.get(key) == facts[key]))
    headings = [f"{i.label} {i.title}" if i.label else i.title for i in body.items]
    checks += [(f"item {h}", h in headings) for h in facts["items"]]
    checks.append(("items in order", [h for h in headings if h in facts["items"]] == facts["items"]))
    people = {_participant(p) for p in front.get("participants") or []}
    checks += [(f"participant {p}", p in people) for p in facts["participants"]]
    places = front.get("municipalities") or {}
    checks += [(f"municipality {m}: {s}", places.get(m) == s) for m, s in facts["municipalities"].items()]
    decided = {i.number: " ".join(d.text for d in i.decisions) for i in body.items}
    for number, texts in facts["decisions"].items():
        checks += [
            (
                f"decision {number}: {t[:40]}",
                " ".join(t.split()) in " ".join(decided.get(str(number), "").split()),
            )
            for t in texts
        ]
    misses = [name for name, ok in checks if not ok]
    return len(checks) - len(misses), len(checks), misses


def _seed_file(seed: str, fmt: str, folder: Path) -> Path:
    source = next(SEEDS.glob(f"{seed}_*.txt"))
    text = source.read_text(encoding="utf-8")
    if fmt == "txt":
        return source
    path = folder / f"{source.stem}.{fmt}"
    return write_docx(text, path) if fmt == "docx" else write_pdf(text, path)


needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="the seeds are in ../shared/seeds")


# --- the seeds, as text, Word and PDF ------------------------------------------------------------

REPORT: dict[tuple[str, str], tuple[int, int, list[str]]] = {}


@needs_seeds
@pytest.mark.parametrize("fmt", ["txt", "docx", "pdf"])
@pytest.mark.parametrize("seed", ["000", "001", "004"])
def test_a_seed_imports_with_its_facts(archive: Project, tmp_path: Path, seed: str, fmt: str) -> None:
    source = _seed_file(seed, fmt, tmp_path)
    status, out, err = run(archive, source, "--network", NETWORK)
    assert status == 0, err
    written = meetings(archive)
    assert len(written) == 1 and written[0].name == f"{FACTS[seed]['date']}.md", out
    held, total, misses = held_facts(written[0].read_text(encoding="utf-8"), FACTS[seed])
    REPORT[(seed, fmt)] = (held, total, misses)
    print(f"seed {seed} {fmt}: {held}/{total} facts; misses: {misses}")
    if fmt == "pdf":
        assert held >= 0.9 * total, misses
    else:
        assert not misses
    result = check(archive)
    assert not [d for d in result.diagnostics.items if d.severity is Severity.ERROR]


@needs_seeds
def test_the_text_is_kept_as_written(archive: Project) -> None:
    """Every sentence of a seed's items reaches the draft unchanged (the importer never rewrites)."""
    source = next(SEEDS.glob("000_*.txt"))
    status, _, _ = run(archive, source, "--network", NETWORK)
    assert status == 0
    draft = " ".join(meetings(archive)[0].read_text(encoding="utf-8").split())
    text = source.read_text(encoding="utf-8")
    body = text[text.index("§ 100") :]
    for line in body.splitlines():
        words = " ".join(line.removeprefix("- ").split())
        if words and not words.startswith("§"):
            assert words in draft, words


@needs_seeds
def test_page_headers_go_and_a_sentence_cut_by_a_page_break_is_whole(archive: Project) -> None:
    status, _, _ = run(archive, next(SEEDS.glob("004_*.txt")), "--network", NETWORK)
    assert status == 0
    draft = meetings(archive)[0].read_text(encoding="utf-8")
    body = draft.split("\n---\n", 1)[1]
    assert "Tjänsteställe" not in body and "Sekreterare\n" not in body
    assert "universitet får olika ersättningar för olika discipliner" in body
    assert "förändrad struktur i juni." in body


# --- the command -----------------------------------------------------------------------------


def test_dry_run_prints_the_draft_and_writes_nothing(archive: Project) -> None:
    source = FIXTURES / "narvaro-tabell.txt"
    status, out, err = run(archive, source, "--network", NETWORK, "--dry-run")
    assert status == 0, err
    assert out.startswith("---\n") and "## § 121 Gymnasiesamverkan 2025" in out
    assert "would write" in err and meetings(archive) == []


def test_the_same_input_gives_the_same_bytes(archive: Project, tmp_path: Path) -> None:
    source = write_docx((FIXTURES / "ks-dnr.txt").read_text(encoding="utf-8"), tmp_path / "ks.docx")
    assert run(archive, source, "--network", NETWORK)[0] == 0
    first = meetings(archive)[0].read_bytes()
    meetings(archive)[0].unlink()
    assert run(archive, source, "--network", NETWORK)[0] == 0
    assert meetings(archive)[0].read_bytes() == first


def test_an_existing_meeting_is_replaced_only_with_force(archive: Project) -> None:
    source = FIXTURES / "narvaro-tabell.txt"
    assert run(archive, source, "--network", NETWORK)[0] == 0
    target = meetings(archive)[0]
    target.write_text(target.read_text(encoding="utf-8") + "\nEgen rad.\n", encoding="utf-8")
    status, _, err = run(archive, source, "--network", NETWORK)
    assert status == 1 and "already exists (--force replaces it)" in err
    assert target.read_text(encoding="utf-8").endswith("Egen rad.\n")
    assert run(archive, source, "--network", NETWORK, "--force")[0] == 0
    assert "Egen rad." not in target.read_text(encoding="utf-8")


def test_a_folder_prints_one_line_per_file_and_a_total(archive: Project, tmp_path: Path) -> None:
    folder = tmp_path / "gamla"
    folder.mkdir()
    for name in ("narvaro-tabell.txt", "ks-dnr.txt", "styrelse.md"):
        shutil.copy(FIXTURES / name, folder / name)
    (folder / "tom.txt").write_bytes(b"")
    status, out, err = run(archive, folder, "--network", NETWORK)
    assert status == 1
    assert len(out.strip().splitlines()) == 3 and all(": wrote " in line for line in out.splitlines())
    assert "tom.txt: failed: the file is empty" in err
    assert err.strip().splitlines()[-1] == "3 of 4 files imported, 1 failed"
    assert len(meetings(archive)) == 3


def test_an_unknown_network_is_named_with_a_suggestion(archive: Project) -> None:
    status, _, err = run(archive, FIXTURES / "styrelse.md", "--network", "skolchefer-skarborg")
    assert status == 1 and "unknown network 'skolchefer-skarborg'" in err and "skolchefer-skaraborg" in err


# --- bad input -------------------------------------------------------------------------------


def _bad(archive: Project, path: Path, expected: str) -> None:
    status, out, err = run(archive, path, "--network", NETWORK)
    assert status == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0] == f"{path}: failed: {expected}", err
    assert "Traceback" not in out + err
    assert meetings(archive) == [] and not list((archive.content / "networks").rglob("*.tmp"))


def test_a_corrupt_pdf(archive: Project, tmp_path: Path) -> None:
    path = tmp_path / "trasig.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<<>>\n%%EOF\n")
    status, _, err = run(archive, path, "--network", NETWORK)
    assert status == 1 and err.startswith(f"{path}: failed: ") and "Traceback" not in err


def test_a_password_protected_pdf(archive: Project, tmp_path: Path) -> None:
    plain = write_pdf((FIXTURES / "narvaro-tabell.txt").read_text(encoding="utf-8"), tmp_path / "öppen.pdf")
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="hemligt", owner_password="hemligt")
    path = tmp_path / "låst.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    _bad(archive, path, "the PDF is password-protected: save a copy without a password")


def test_a_corrupt_word_file(archive: Project, tmp_path: Path) -> None:
    path = tmp_path / "trasig.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("word/document.xml", "<w:document>inte klar")
    status, _, err = run(archive, path, "--network", NETWORK)
    assert status == 1 and err.startswith(f"{path}: failed: cannot read the Word file: ")
    assert meetings(archive) == []


def test_a_password_protected_word_file(archive: Project, tmp_path: Path) -> None:
    path = tmp_path / "låst.docx"  # Word keeps an encrypted .docx in an OLE compound file
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    _bad(
        archive,
        path,
        "this is a password-protected Word file or an old .doc: open it in Word and save it as .docx "
        "without a password",
    )


def test_an_empty_file(archive: Project, tmp_path: Path) -> None:
    path = tmp_path / "tom.txt"
    path.write_bytes(b" \n\n")
    _bad(archive, path, "the file is empty")


def test_a_pdf_of_300_pages(archive: Project, tmp_path: Path) -> None:
    path = write_pdf(
        (FIXTURES / "narvaro-tabell.txt").read_text(encoding="utf-8"), tmp_path / "bunt.pdf", 300
    )
    _bad(
        archive,
        path,
        "the PDF has 300 pages, more than one meeting's minutes (at most 200): split off the minutes "
        "and import those pages",
    )


def test_a_scanned_pdf_without_text(archive: Project, tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 170, 250, style="F")  # an image of a page, and no text
    path = tmp_path / "skannad.pdf"
    pdf.output(str(path))
    _bad(archive, path, "the file holds no text (a scanned PDF? there is no OCR)")


def test_text_that_is_no_meeting(archive: Project, tmp_path: Path) -> None:
    path = tmp_path / "recept.txt"
    path.write_text("Kanelbullar\n\nBlanda mjöl, smör och socker. Grädda i 225 grader.\n", encoding="utf-8")
    _bad(archive, path, "no meeting recognised (no date, items or participants)")


def test_windows_1252_text_is_detected(archive: Project) -> None:
    source = FIXTURES / "samverkan-cp1252.txt"
    with pytest.raises(UnicodeDecodeError):
        source.read_bytes().decode("utf-8")
    status, out, err = run(archive, source, "--network", NETWORK)
    assert status == 0, err
    assert "read as Windows-1252" in out
    front, body = read_draft(meetings(archive)[0].read_text(encoding="utf-8"))
    assert front["secretary"] == "Tina Ottosson" and front["chair"] == ["Ingmar Ångman"]
    assert [i.title for i in body.items] == ["Föregående anteckningar", "Läget i kommunerna", "Övrigt"]


def test_no_date_writes_nothing_unless_forced_and_then_check_flags_it(
    archive: Project, tmp_path: Path
) -> None:
    path = tmp_path / "utan-datum.txt"
    path.write_text(
        "Protokoll\n\nNärvarande:\nAnneli Alm, Falköping\nHanna Olofsson, Götene\n\n"
        "§ 1 Mötets öppnande\nOrdföranden öppnar mötet.\n",
        encoding="utf-8",
    )
    status, _, err = run(archive, path, "--network", NETWORK)
    assert status == 1 and "no date found: nothing written" in err and meetings(archive) == []
    status, out, _ = run(archive, path, "--network", NETWORK, "--force")
    assert status == 0 and "no date found: set `date:`" in out
    [draft] = meetings(archive)
    assert draft.parent.name == "utan-datum"
    errors = [d for d in check(archive).diagnostics.items if d.severity is Severity.ERROR]
    assert [d.path for d in errors] == [draft] and "date" in errors[0].message


# --- minutes of other shapes ---------------------------------------------------------------------


def _import_fixture(
    archive: Project, tmp_path: Path, name: str, fmt: str = ""
) -> tuple[dict[str, Any], Any, str]:
    source = FIXTURES / name
    if fmt == "docx":
        source = write_docx(source.read_text(encoding="utf-8"), tmp_path / f"{source.stem}.docx")
    elif fmt == "pdf":
        source = write_pdf(source.read_text(encoding="utf-8"), tmp_path / f"{source.stem}.pdf")
    status, out, err = run(archive, source, "--network", NETWORK)
    assert status == 0, err
    [path] = meetings(archive)
    errors = [d for d in check(archive).diagnostics.items if d.severity is Severity.ERROR]
    assert not errors, [d.format() for d in errors]
    text = path.read_text(encoding="utf-8")
    front, body = read_draft(text)
    return front, body, out


@pytest.mark.parametrize("fmt", ["", "docx", "pdf"])
def test_a_kommunstyrelse_protocol_with_anslag_and_56_paragraphs(
    archive: Project, tmp_path: Path, fmt: str
) -> None:
    front, body, out = _import_fixture(archive, tmp_path, "kommunstyrelse.txt", fmt)
    assert (str(front["date"]), front["time"], front["place"]) == (
        "2024-03-12",
        "13:00-15:30",
        "Stadshuset, Sessionssalen",
    )
    assert str(front["adjusted_on"]) == "2024-03-18" and str(front["posted_on"]) == "2024-03-19"
    assert (front["chair"], front["secretary"], front["adjusters"]) == (
        ["Anders Torén"],
        "Henrik Ahl",
        ["Karin Lundqvist"],
    )
    assert [(i.number, i.title) for i in body.items] == [
        ("56", "Val av justerare"),
        ("57", "Budgetuppföljning februari 2024"),
        ("58", "Motion om solceller på kommunens fastigheter"),
        ("59", "Meddelanden"),
    ]
    assert [i.number for i in body.items if i.decisions] == ["57", "58"]
    parties = {p["name"]: p.get("party") for p in front["participants"]}
    assert parties["Jonas Eriksson"] == "SD" and parties["Lena Forsberg"] == "L"
    assert {p["name"]: p["role"] for p in front["participants"]}["Lena Forsberg"] == "ersättare"
    assert "numbered 'N §'" in out


def test_an_associations_board_minutes_in_markdown(archive: Project, tmp_path: Path) -> None:
    front, body, _ = _import_fixture(archive, tmp_path, "styrelse.md")
    assert (str(front["date"]), front["time"], front["place"]) == (
        "2024-02-05",
        "18:30-20:15",
        "Biblioteket, Skövde",
    )
    assert front["secretary"] == "Sara Nyberg" and front["adjusters"] == ["Eva Lindgren", "Mats Hedlund"]
    assert front["chair"] == ["Eva Lindgren"]
    absent = [p["name"] for p in front["participants"] if p.get("present") is False]
    assert absent == ["Karin Ekholm"] and len(front["participants"]) == 5
    assert [i.number for i in body.items] == ["1", "2", "3", "4", "5"]
    assert [i.number for i in body.items if i.decisions] == ["2", "4"]
    assert str(front["next_meeting"]) == "2024-03-04"


@pytest.mark.parametrize("fmt", ["", "docx", "pdf"])
def test_items_with_ks_prefixes_and_diary_numbers(archive: Project, tmp_path: Path, fmt: str) -> None:
    front, body, out = _import_fixture(archive, tmp_path, "ks-dnr.txt", fmt)
    assert [(i.number, i.title) for i in body.items] == [
        ("1", "Yttrande över remiss om regional transportplan"),
        ("2", "Ansökan om medel ur utvecklingsfonden"),
        ("3", "Delegationsbeslut"),
    ]
    assert len([d for i in body.items for d in i.decisions]) == 3
    assert "Dnr KS 2024/0123" in body.html
    where = {p["name"]: p.get("municipality") or p.get("organisation") for p in front["participants"]}
    assert where["Maria Appelgren"] == "mariestad" and where["Sofia Björk"] == "Region Skaraborg"
    assert "numbered 'Ks N'" in out


@pytest.mark.parametrize("fmt", ["", "docx", "pdf"])
def test_an_attendance_table(archive: Project, tmp_path: Path, fmt: str) -> None:
    front, body, _ = _import_fixture(archive, tmp_path, "narvaro-tabell.txt", fmt)
    people = [_participant(p) for p in front["participants"]]
    assert people == [
        "Anneli Alm | falkoping | present",
        "Hanna Olofsson | gotene | present",
        "Harald Lundqvist | karlsborg | absent",
        "Maria Appelgren | mariestad | present",
        "Johan Strömberg | skovde | present",
        "Hillevi Larsson | Skaraborgs Kommunalförbund | present",
    ]
    assert [i.number for i in body.items] == ["120", "121", "122"] and len(body.items[1].decisions) == 1


def test_a_date_without_its_year_is_a_guess_to_check(archive: Project, tmp_path: Path) -> None:
    front, _, out = _import_fixture(archive, tmp_path, "samverkan-cp1252.txt")
    text = meetings(archive)[0].read_text(encoding="utf-8")
    assert "date: 2023-11-26  # kontrollera: året saknas" in text
    orgs = {p["name"]: p.get("organisation") for p in front["participants"]}
    assert orgs["Ingmar Ångman"] == "Region Örebro län"
    assert "to check" in out
