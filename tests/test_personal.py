"""Personal data: the scanner's true positives and negatives, the allow-list, and whole builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from protokollarkiv.build.builder import build, check
from protokollarkiv.record.personal import (
    CONTACT_HINT,
    NOTHING_ALLOWED,
    Allowed,
    Finding,
    luhn_valid,
    masked,
    normal_phone,
    scan,
)

from .conftest import MEETING_PATH, MINI_SITE, MiniProject, meeting_text, run_cli
from .test_build import snapshot
from .test_cli import project_args

M = f"content/{MEETING_PATH}"


def with_check_digit(nine: str) -> str:
    """`nine` digits and the Luhn check digit that makes them an identity number (no real person's:
    the tests compute their numbers)."""
    return next(nine + digit for digit in "0123456789" if luhn_valid(nine + digit))


def wrong_check_digit(nine: str) -> str:
    right = with_check_digit(nine)
    return right[:-1] + str((int(right[-1]) + 1) % 10)


PNR = with_check_digit("850709123")  # 1985-07-09
OLD = with_check_digit("121212121")  # 1912-12-12 or 2012-12-12
SAM = with_check_digit("850769123")  # samordningsnummer: day 9 + 60
LEAP = with_check_digit("000229123")  # 29 February 2000 (not 1900)


def dashed(number: str) -> str:
    return f"{number[:6]}-{number[6:]}"


def kinds(text: str, allowed: Allowed = NOTHING_ALLOWED) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in scan(text, allowed)]


# --- identity numbers ---------------------------------------------------------------------------


def test_luhn_digit() -> None:
    assert luhn_valid("8112189876")  # Skatteverket's example
    assert not luhn_valid("8112189875")
    assert luhn_valid(PNR) and not luhn_valid(wrong_check_digit(PNR[:9]))


@pytest.mark.parametrize(
    ("text", "kind", "written"),
    [
        (f"Anna Alm, {dashed(PNR)}, anmäler", "personnummer", dashed(PNR)),
        (f"pnr {PNR} anmäler", "personnummer", PNR),
        (f"född 19{dashed(PNR)}.", "personnummer", f"19{dashed(PNR)}"),
        (f"född 19{PNR}", "personnummer", f"19{PNR}"),
        (f"{OLD[:6]}+{OLD[6:]} (över hundra år)", "personnummer", f"{OLD[:6]}+{OLD[6:]}"),
        (f"({dashed(SAM)})", "samordningsnummer", dashed(SAM)),
        (f"20{SAM}", "samordningsnummer", f"20{SAM}"),
        (f"{LEAP[:6]}-{LEAP[6:]}", "personnummer", dashed(LEAP)),
        (f"{PNR[:6]}\u2013{PNR[6:]}", "personnummer", f"{PNR[:6]}\u2013{PNR[6:]}"),  # a word processor's dash
        (f"| {dashed(PNR)} |", "personnummer", dashed(PNR)),  # a table cell
        (f"pnr:{PNR}", "personnummer", PNR),
        (f"- {PNR}@example.se", "personnummer", PNR),  # an address made of one
    ],
)
def test_identity_numbers_are_found(text: str, kind: str, written: str) -> None:
    found = scan(text)
    assert [(f.kind, f.text) for f in found] == [(kind, written)]
    assert text[found[0].start :].startswith(written)


@pytest.mark.parametrize(
    "text",
    [
        "Dnr KS 2024/0123",
        "Dnr 2023-00123",
        "RS 2020-00015, SN 2024.045, KS2024/0123-1",
        "Skövde kommun, organisationsnummer 212000-1563",
        "Bolaget 556677-8899 och 5566778899",
        "162120001563",  # organisationsnummer with the prefix 16
        "Sökt belopp 1 234 567 kr, tilldelat 12 000 000 kronor",
        "Budget 8507091232 kr",  # an amount, however it looks
        "Nästa möte: 2024-10-24--25",
        "Period 20240101-20241231",
        "2024-09-20, 2020-09-16 och 16 september 2020 kl 9:00 – 12:00",
        f"{PNR}1",  # inside a longer run
        f"1{PNR}",
        f"18{PNR}",  # a twelve-digit form from a century that has no living people
        f"x{PNR}",
        f"{dashed(PNR)}-1",
        f"3,{PNR}",
        f"https://example.se/arenden/{PNR}",
        dashed(wrong_check_digit(PNR[:9])),
        with_check_digit("851309123"),  # month 13
        with_check_digit("850230123"),  # 30 February
        with_check_digit("010229123"),  # 29 February 1901 and 2001
        with_check_digit("850792123"),  # day 92: not a samordningsnummer either
        f"{LEAP[:6]}+{LEAP[6:]}",  # 29 February 1800 or 1900
        with_check_digit("850700123"),  # day 0
        "Lag (1930:173), SFS 2017:725",
        "541 83 Skövde, Bg 5050-1055",
        "Regeringen.se/pressmeddelanden/2020/09/11-miljarder-kronor",
        "070-123 45 67, 08-123 456 78, +46 70 123 45 67",  # phone numbers, not identity numbers
        "tel. 0701234567",
    ],
)
def test_look_alikes_are_not_identity_numbers(text: str) -> None:
    assert [f for f in scan(text) if f.kind in ("personnummer", "samordningsnummer")] == []


def test_a_bare_ten_digit_phone_number() -> None:
    """0701234567 could be a phone number or the personnummer of someone born in 2007: after a word
    such as "tel" or when allowed it is a phone number, otherwise the stricter reading wins."""
    number = with_check_digit("070123456")
    assert kinds(f"Mobil: {number}") == [("phone", number)]
    assert kinds(f"Ring {number} eller skriv") == [("phone", number)]
    assert kinds(f"Kontakta {number}", Allowed.of([f"{number[:3]}-{number[3:]}"])) == []
    assert kinds(f"Kontakta {number}") == [("personnummer", number)]


def test_masked() -> None:
    assert masked("850709-1232") == "850709-****"
    assert masked("198507091232") == "19850709****"


# --- phone numbers and e-mail addresses -------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "0500-49 30 00",
        "070-123 45 67",
        "070 123 45 67",
        "070-1234567",
        "+46 70 123 45 67",
        "+46 (0)70-123 45 67",
        "+46701234567",
        "08-123 456 78",
        "08-12 34 56",
        "031-123\u00a045\u00a067",
    ],
)
def test_phone_numbers_are_found(number: str) -> None:
    assert kinds(f"Frågor till Anna, tel. {number}.") == [("phone", number)]


@pytest.mark.parametrize(
    "text",
    [
        "kl 0900-1200",
        "Dnr 2023-00123",
        "KS 2024/0123",
        "2024-10-24--25",
        "Ärende 2024-0123456",
        "0,5 miljoner",
        "Skövde 541 83",
    ],
)
def test_not_phone_numbers(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Skicka till anna.alm@skovde.se.", "anna.alm@skovde.se"),
        ("[mejla](mailto:Bo.Ek@Example.se)", "Bo.Ek@Example.se"),
        ("<kansliet+protokoll@kommun.example.se>", "kansliet+protokoll@kommun.example.se"),
        ("åsa.öberg@hjo.se", "åsa.öberg@hjo.se"),
    ],
)
def test_email_addresses_are_found(text: str, address: str) -> None:
    assert kinds(text) == [("email", address)]


def test_not_email_addresses() -> None:
    assert kinds("@skovde på X, a@b, x" * 3 + "y" * 5000 + "@" + "z." * 2000) == []


def test_the_allow_list() -> None:
    """Phone numbers match in their national digits (spaces, dashes, +46 and (0) aside), e-mail
    addresses without case; `@domain` allows a whole domain."""
    allowed = Allowed.of(["+46 (0)500-49 30 00", "Registrator@Skovde.se", "@hjo.se", "  0046 8 123 456 78 "])
    assert allowed.phones == {"0500493000", "0812345678"}
    text = (
        "Växeln 0500-49 30 00, 0500493000, +46 500 49 30 00; 08-123 456 78; registrator@skovde.se,"
        " REGISTRATOR@SKOVDE.SE, anna@hjo.se, Anna@HJO.se"
    )
    assert kinds(text, allowed) == []
    assert kinds("0500-49 30 01, anna@skovde.se, anna@x.hjo.se", allowed) == [
        ("phone", "0500-49 30 01"),
        ("email", "anna@skovde.se"),
        ("email", "anna@x.hjo.se"),
    ]
    assert normal_phone("+46 70-123 45 67") == normal_phone("070 123 45 67") == "0701234567"


def test_each_occurrence_once_in_order() -> None:
    text = f"a@example.se, tel 070-123 45 67, {dashed(PNR)}; a@example.se"
    assert scan(text) == [
        Finding("email", 0, "a@example.se"),
        Finding("phone", 18, "070-123 45 67"),
        Finding("personnummer", 33, dashed(PNR)),
        Finding("email", 46, "a@example.se"),
    ]


def test_identity_numbers_only_when_contacts_are_not_asked_for() -> None:
    assert kinds(f"a@example.se {PNR}") == [("email", "a@example.se"), ("personnummer", PNR)]
    assert [f.kind for f in scan(f"a@example.se {PNR}", contacts=False)] == ["personnummer"]


# --- whole builds ---------------------------------------------------------------------------------

BODY = "## § 1 Öppnande\n\nMötet öppnas.\n\n## § 2 Anmälan\n\nEleven ({pnr}) anmäls.\n"


def diagnostics_of(mini: MiniProject, **kwargs: object) -> list[str]:
    project = mini(**kwargs)
    return check(project).diagnostics.format(project.content.parent)


def test_a_personnummer_in_justerat_minutes_stops_the_build(mini: MiniProject) -> None:
    project = mini()
    assert build(project, search=False).ok
    before = snapshot(project.output)
    broken = mini(meeting=meeting_text(body=BODY.format(pnr=dashed(PNR))))
    result = build(broken, search=False)
    assert not result.ok and result.stats is None
    assert result.diagnostics.format(project.content.parent) == [
        f"{M}:14:9: error: the minutes show a personnummer (850709-****)"
        " (remove it or mask it as 850709-****: justerat minutes are published)"
    ]
    assert PNR not in "".join(result.diagnostics.format())  # masked even in the log
    assert snapshot(project.output) == before


def test_a_personnummer_in_a_draft_is_a_warning(mini: MiniProject) -> None:
    found = diagnostics_of(mini, meeting=meeting_text(body=BODY.format(pnr=f"19{PNR}"), status="utkast"))
    assert found == [
        f"{M}:14:9: warning: the minutes show a personnummer (19850709****)"
        " (remove it or mask it as 19850709**** before the minutes are justerat)"
    ]


def test_identity_numbers_in_the_front_matter(mini: MiniProject) -> None:
    """Personnummer anywhere in the file, comments too (the file is a public record); phone numbers
    and e-mail addresses only in the body."""
    front = (
        f"participants:\n  - {{name: Anna Alm ({dashed(SAM)}), municipality: skovde}}\n"
        f"# Bo Ek {PNR}, 070-123 45 67\n"
    )
    assert diagnostics_of(mini, meeting=meeting_text(front)) == [
        f"{M}:5:22: error: the minutes show a samordningsnummer (850769-****)"
        " (remove it or mask it as 850769-****: justerat minutes are published)",
        f"{M}:6:9: error: the minutes show a personnummer (850709****)"
        " (remove it or mask it as 850709****: justerat minutes are published)",
    ]


def test_contacts_in_the_body_warn_unless_allowed(mini: MiniProject) -> None:
    body = (
        "## § 1 Öppnande\n\nFrågor: Anna Alm, 070-123 45 67, anna.alm@skovde.se.\n"
        "Växeln: 0500-49 30 00, info@example.se.\n"
    )
    hint = CONTACT_HINT
    meeting = meeting_text(body=body)
    assert diagnostics_of(mini, meeting=meeting) == [
        f"{M}:10:19: warning: the minutes show the phone number 070-123 45 67 ({hint})",
        f"{M}:10:34: warning: the minutes show the e-mail address anna.alm@skovde.se ({hint})",
        f"{M}:11:9: warning: the minutes show the phone number 0500-49 30 00 ({hint})",
    ]  # info@example.se is the site's own contact (site.yml contact.email)
    site = MINI_SITE + "allowed_contacts:\n  - 0500-49 30 00\n  - '@skovde.se'\n"
    assert diagnostics_of(mini, meeting=meeting, files={"site.yml": site}) == [
        f"{M}:10:19: warning: the minutes show the phone number 070-123 45 67 ({hint})",
    ]


def test_check_on_the_command_line(mini: MiniProject) -> None:
    """No traceback, exit status 1, the number masked; nothing written."""
    project = mini(meeting=meeting_text(body=BODY.format(pnr=PNR)))
    root = project.content.parent
    done = run_cli("check", *project_args(root), cwd=root)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"{M}:14:9: error: the minutes show a personnummer (850709****)"
        " (remove it or mask it as 850709****: justerat minutes are published)",
        "Checked 1 meeting: 1 error, 0 warnings",
    ]
    assert not Path(root / "site").exists()
