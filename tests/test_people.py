"""One name per person: people.yml, and the warnings about one person spelt two ways."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from protokollarkiv.build.builder import Project, check
from protokollarkiv.people import alike, letters_apart

from .conftest import ROOT, MiniProject, meeting_text

SEED_000 = "networks/skolchefer-skaraborg/2024/2024-09-20.md"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("pär arvidsson fäldt", "pär arvidsson fältdt", True),  # one letter (the seeds)
        ("lotta hjoberg", "lotta hjöberg", True),  # diacritics (the seeds)
        ("katarina lindberg", "katarina lindbreg", True),  # two letters swapped
        ("anna berg", "anna borg", True),  # one letter: the rule cannot tell, people.yml can
        ("bo ek", "bo åk", False),  # short names: only by diacritics ...
        ("bo ek", "bö ek", True),  # ... which make these alike
        ("anneli alm", "robert rydquist", False),
        ("johan strömberg", "johanna strömberg", False),  # another first name: another person
        ("karin lindberg", "karin lindbergh", True),  # the rest one letter apart
        ("karin lindberg", "karin lundbergh", True),  # two
        ("karin lindberg", "karin lundbärgh", False),  # three
    ],
)
def test_names_alike(a: str, b: str, same: bool) -> None:
    assert alike(a, b) is same


def test_letters_apart_stops_early() -> None:
    assert letters_apart("abcdef", "abcdef") == 0
    assert letters_apart("abcdef", "abdcef") == 1  # a swap of neighbours is one
    assert letters_apart("abcdef", "uvwxyz") is None
    assert letters_apart("ab", "abcde") is None  # lengths three apart


def sample_without_people(tmp_path: Path) -> Project:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    (tmp_path / "content" / "people.yml").unlink()
    return Project(tmp_path / "content", ROOT / "templates", tmp_path / "site")


def warnings_about_spelling(project: Project) -> list[tuple[str, int, str]]:
    result = check(project)
    return [
        (d.path.relative_to(project.content).as_posix(), d.line, d.message)
        for d in result.diagnostics.items
        if "spelt two ways" in d.message
    ]


def test_the_seeds_two_spellings_give_exactly_that_warning(tmp_path: Path) -> None:
    project = sample_without_people(tmp_path)
    assert warnings_about_spelling(project) == [
        (
            SEED_000,
            7,  # the chair, as the signature block spells it
            "'Pär Arvidsson Fältdt' looks like 'Pär Arvidsson Fäldt' of the participant list:"
            " one person spelt two ways?",
        )
    ]
    # the sample archive's people.yml names the one person's two spellings: quiet
    shutil.copy(ROOT / "content" / "people.yml", project.content / "people.yml")
    assert warnings_about_spelling(project) == []


def test_a_rarer_spelling_in_one_municipality_is_pointed_at(mini: MiniProject) -> None:
    def meeting(name: str, day: str) -> str:
        return meeting_text(f"participants:\n  - {{name: {name}, municipality: skovde}}\n", date=day)

    project = mini(
        {
            "networks/skolchefer/2024/2024-10-24.md": meeting("Lotta Hjoberg", "2024-10-24"),
            "networks/skolchefer/2024/2024-11-21.md": meeting("Lotta Hjöberg", "2024-11-21"),
            # the same name in another municipality is someone else's: no warning
            "networks/skolchefer/2024/2024-12-12.md": meeting_text(
                "participants:\n  - {name: Lotta Hjobert, municipality: falkoping}\n", date="2024-12-12"
            ),
        },
        meeting=meeting("Lotta Hjoberg", "2024-09-20"),
    )
    assert warnings_about_spelling(project) == [
        (
            "networks/skolchefer/2024/2024-11-21.md",
            5,
            "'Lotta Hjöberg' looks like 'Lotta Hjoberg' (2 meetings): one person spelt two ways?",
        )
    ]
    # declared as two people: quiet; joined as one: quiet too
    (project.content / "people.yml").write_text(
        "- name: Lotta Hjoberg\n- name: Lotta Hjöberg\n", encoding="utf-8"
    )
    assert warnings_about_spelling(project) == []
    (project.content / "people.yml").write_text(
        "- {name: Lotta Hjoberg, aliases: [Lotta Hjöberg]}\n", encoding="utf-8"
    )
    assert warnings_about_spelling(project) == []


def test_a_spelling_claimed_twice_in_people_yml_is_an_error_naming_both_lines(mini: MiniProject) -> None:
    people = "- name: Anna Alm\n  aliases: [Anna Allm]\n- name: Anna Allm\n- {name: Bo Ek, public: kanske}\n"
    project = mini({"people.yml": people})
    errors = {(d.line, d.message) for d in check(project).diagnostics.errors if d.path.name == "people.yml"}
    assert (3, "the spelling 'Anna Allm' is claimed twice: also by 'Anna Alm' at line 2") in errors
    assert (4, "'public' must be true or false, not text") in errors
    project = mini({"people.yml": "name: Anna Alm\n"})
    messages = [d.message for d in check(project).diagnostics.errors]
    assert "people.yml must be a list of people, not a mapping" in messages
