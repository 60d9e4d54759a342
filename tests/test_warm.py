"""A warm cache writes the bytes of a cold build (issue 24).

After each kind of change a build in a new `Builder` (as a new process: nothing in memory) finds
the listing rows and export lines of unchanged meetings in `.cache/` (`state.KeptPieces`) and
must write exactly the site that a build without any cache writes, every file and folder."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from protokollarkiv.build.builder import Builder, BuildResult, Project

from .test_scale import _generate

MEETINGS = 60


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("warm") / "content"
    _generate(folder, MEETINGS)
    return folder


def built(builder: Builder) -> BuildResult:
    result = builder.build()
    assert result.ok, [line for line in result.diagnostics.format() if ": error: " in line]
    return result


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) of a site."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


def meetings(content: Path) -> list[Path]:
    return sorted(content.rglob("20*.md"))


def edit_text(root: Path) -> None:
    path = meetings(root / "content")[7]
    path.write_text(path.read_text(encoding="utf-8") + "\nEn rättelse i texten.\n", encoding="utf-8")


def move_year(root: Path) -> None:
    path = meetings(root / "content")[3]
    text = path.read_text(encoding="utf-8")
    old = path.stem  # YYYY-MM-DD
    new = f"{int(old[:4]) + 1}{old[4:]}"
    target = path.parent.parent / new[:4] / f"{new}.md"
    assert not target.exists()
    target.parent.mkdir(exist_ok=True)
    year = int(old[:4])  # every date of the minutes a year later (adjusted on, next meeting)
    text = text.replace(f"{year + 1}-", f"{year + 2}-").replace(f"{year}-", f"{year + 1}-")
    target.write_text(text, encoding="utf-8")
    path.unlink()


def add_in_new_year(root: Path) -> None:
    path = meetings(root / "content")[0]
    text = path.read_text(encoding="utf-8")
    year = int(path.stem[:4])
    target = path.parent.parent / "2005" / f"2005{path.stem[4:]}.md"
    target.parent.mkdir()
    target.write_text(text.replace(f"{year + 1}-", "2006-").replace(f"{year}-", "2005-"), encoding="utf-8")


def delete_one(root: Path) -> None:
    meetings(root / "content")[11].unlink()


def rename_network(root: Path) -> None:
    path = sorted((root / "content" / "networks").glob("*/network.yml"))[0]
    text = path.read_text(encoding="utf-8")
    assert "name: Nätverk" in text
    path.write_text(text.replace("name: Nätverk", "name: Samverkan", 1), encoding="utf-8")


def change_template(root: Path) -> None:
    path = root / "templates" / "_fragments.html"
    text = path.read_text(encoding="utf-8")
    marker = '<p class="row-summary">'
    assert marker in text
    path.write_text(text.replace(marker, '<p class="row-summary changed">'), encoding="utf-8")


@pytest.mark.slow  # builds a generated archive of 60 meetings three times a change
@pytest.mark.parametrize(
    "change", [edit_text, move_year, add_in_new_year, delete_one, rename_network, change_template]
)
def test_a_warm_build_after_a_change_equals_a_cold_build(
    archive: Path, tmp_path: Path, change: Callable[[Path], None]
) -> None:
    root = tmp_path / "project"
    shutil.copytree(archive, root / "content")
    shutil.copytree(Path(__file__).parents[1] / "templates", root / "templates")
    project = Project(root / "content", root / "templates", root / "site", cache=root / ".cache")
    first = Builder(project, search=False, keep_pieces=False, jobs=2)
    first.archive.meetings.parallel_min = first.stager.parallel_min = 2  # workers keep pieces too
    assert built(first).parallel == {"parse", "render"}
    assert list((root / ".cache").glob("pieces-*/part-*.bin")), "the rows of the cold build are kept"

    change(root)
    warm = built(Builder(project, search=False, keep_pieces=False))
    cold = Project(project.content, project.templates, tmp_path / "cold")
    built(Builder(cold, search=False, keep_pieces=False))
    assert tree(project.output) == tree(cold.output)
    if change is not change_template and change is not rename_network:
        # listings were made from the kept rows of the unchanged meetings
        assert warm.kept > MEETINGS, warm.kept


def test_kept_pieces_survive_a_killed_writer_and_ignore_a_damaged_base(tmp_path: Path) -> None:
    """A part file cut short (a process killed while writing) is read up to its last whole frame;
    a damaged base is ignored with a warning; a merge keeps the pieces of live meetings only."""
    from protokollarkiv.build.state import KEPT_PARTS, KeptPieces

    warnings: list[str] = []
    folder = tmp_path / "pieces-x"
    store = KeptPieces(folder, lambda path, message: warnings.append(message))
    store[("a", "row", "")] = "A"
    store.flush()
    store[("b", "row", "")] = "B"
    store.flush()
    (part,) = folder.glob("part-*.bin")
    part.write_bytes(part.read_bytes()[:-3])
    again = KeptPieces(folder, lambda path, message: warnings.append(message))
    assert again.get(("a", "row", "")) == "A" and again.get(("b", "row", "")) is None
    assert again.found == 1 and warnings == []

    for index in range(KEPT_PARTS):  # enough part files for a merge
        (folder / f"part-{10**9 + index}.bin").write_bytes(part.read_bytes())
    again[("c", "row", "")] = "C"
    again.merge({"a"})  # "c" is a meeting that is gone
    assert not list(folder.glob("part-*.bin")) and (folder / "base.pickle").is_file()
    merged = KeptPieces(folder, lambda path, message: None)
    assert merged.get(("a", "row", "")) == "A" and merged.get(("c", "row", "")) is None

    (folder / "base.pickle").write_bytes(b"protokollarkiv-cache\nnonsense")
    assert KeptPieces(folder, lambda path, message: warnings.append(message)).get(("a", "row", "")) is None
    assert warnings and "damaged" in warnings[0]
