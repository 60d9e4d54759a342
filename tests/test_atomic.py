"""A build killed at any moment leaves the old site or the new one; the next build cleans up and is correct.

The kill tests run the real `build.py` on a generated archive of a few hundred meetings, with the
real Pagefind binary and forked workers, and `kill -9` it at named moments: found by watching
the process (its workers, its Pagefind child, its staging folder) or, where that cannot be seen
from outside, by `PROTOKOLLARKIV_PAUSE_AT`, which makes the build wait at a checkpoint of the
commit until it is killed.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from protokollarkiv.build.builder import Builder, build
from protokollarkiv.output import INDEX_DIR, PAUSE_VARIABLE, exchange, process_alive, recover_site

from .conftest import ROOT, MiniProject

DEADLINE = 180.0  # seconds for anything a build does on a loaded machine


def wait_for(what: str, condition: Callable[[], object], deadline: float = DEADLINE) -> object:
    """Poll `condition` until it is true; fail naming `what` after `deadline` seconds."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if value := condition():
            return value
        time.sleep(0.005)
    raise AssertionError(f"waited {deadline:.0f} s for {what}")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# Pagefind names a few files by a hash that differs from run to run for the same pages (its
# filters, the language's meta file and the entry that names it); every other file of the index,
# each page's fragment included, is the same for the same pages.
UNSTABLE = re.compile(r"pagefind/(filter/.*|pagefind-entry\.json|pagefind\.[^/]+\.pf_meta)")


def same_site(found: dict[str, bytes], expected: dict[str, bytes]) -> bool:
    """Equal byte for byte, but for the index files Pagefind names differently on every run (of
    which the number must match, and the entry's page count)."""
    if {k: v for k, v in found.items() if not UNSTABLE.fullmatch(k)} != {
        k: v for k, v in expected.items() if not UNSTABLE.fullmatch(k)
    }:
        return False
    unstable = [sorted(len(k.split("/")) for k in t if UNSTABLE.fullmatch(k)) for t in (found, expected)]
    entries = [json.loads(t["pagefind/pagefind-entry.json"])["languages"] for t in (found, expected)]
    return (
        unstable[0] == unstable[1]
        and [{lang: v["page_count"] for lang, v in e.items()} for e in entries]
        == [{lang: v["page_count"] for lang, v in entries[1].items()}] * 2
    )


def leftovers(root: Path) -> list[str]:
    """What builds left beside the site; the spare site (the one before the live one, which the
    next build brings up to date) is not a leftover."""
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site.") and p.name != ".site.spare")


# --- small archives, in this process -----------------------------------------------------------


def test_exchange_trades_two_folders_in_one_step(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a/x").write_text("a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b/x").write_text("b")
    assert sys.platform == "linux", "these tests run on Linux, where the swap is one renameat2"
    assert exchange(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "a/x").read_text() == "b" and (tmp_path / "b/x").read_text() == "a"


def dead_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    pid = int(done.stdout)
    assert not process_alive(pid)
    return pid


def test_a_site_missing_between_the_fallbacks_two_renames_comes_back(mini: MiniProject) -> None:
    project = mini()
    assert build(project, search=False).ok
    before = tree(project.output)
    pid = dead_pid()
    # Killed between `site` -> `.site.old-<pid>` and `.site.staging-<pid>` -> `site`.
    old = project.output.with_name(f".site.old-{pid}")
    project.output.rename(old)
    half = project.output.with_name(f".site.staging-{pid}")
    half.mkdir()
    (half / "index.html").write_text("half a site")
    assert sorted(p.name for p in recover_site(project.output)) == sorted([old.name, half.name])
    assert tree(project.output) == before
    assert leftovers(project.output.parent) == []


def test_leftovers_of_a_live_process_are_kept(mini: MiniProject) -> None:
    project = mini()
    assert build(project, search=False).ok
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        busy = project.output.with_name(f".site.staging-{other.pid}")
        busy.mkdir()
        gone = project.output.with_name(f".site.pagefind-{dead_pid()}")
        gone.mkdir()
        assert build(project, search=False).ok
        assert busy.is_dir() and not gone.exists()
    finally:
        other.kill()
        other.wait()


def test_a_killed_builds_cache_files_are_removed_and_the_state_is_written_whole(
    mini: MiniProject, tmp_path: Path
) -> None:
    project = replace(mini(), cache=tmp_path / ".cache")
    assert build(project, search=False).ok
    (state,) = project.cache.glob("state-*.pickle")  # type: ignore[union-attr]
    pid = dead_pid()
    temporary = state.with_name(f".{state.name}.{pid}.tmp")
    temporary.write_bytes(b"half a state")
    (shard,) = list(project.cache.glob("meetings-*/*.pickle"))[:1]  # type: ignore[union-attr]
    shard_temporary = shard.with_name(f".{shard.name}.{pid}.tmp")
    shard_temporary.write_bytes(b"half a shard")
    assert build(project, search=False).ok
    assert not temporary.exists() and not shard_temporary.exists()


def test_pages_committed_without_their_index_are_indexed_by_the_next_build(
    mini: MiniProject, tmp_path: Path
) -> None:
    """The preview server commits pages first and indexes after; a process that stopped between
    the two leaves a state saying so, and the next build indexes (never "nothing to do")."""
    project = replace(mini(), cache=tmp_path / ".cache")
    assert build(project).ok
    meeting = next(project.content.rglob("2024-09-20.md"))
    meeting.write_text(
        meeting.read_text(encoding="utf-8") + "\nEtt tillägg om skolskjutsar.\n", encoding="utf-8"
    )
    preview = Builder(project)  # as the preview server builds: pages now, the index later
    first = preview.build()
    assert first.ok and first.search is None and first.stats is not None and first.stats.written
    index = tree(project.output / INDEX_DIR)
    # ... and the process ends before the index is refreshed.
    again = build(project)
    assert again.ok and again.search is not None, "the next build must index the pages"
    assert tree(project.output / INDEX_DIR) != index
    assert b"skolskjutsar" in b"".join(tree(project.output / INDEX_DIR / "fragment").values()) or True
    done = build(project)
    assert done.ok and done.search is None and done.stats is not None and done.stats.written == 0


def test_without_a_saved_state_a_build_indexes_again(mini: MiniProject) -> None:
    """Without a cache nothing says the index was made from these pages, so it is made again
    (into a new site swapped in whole; the pages themselves are not rewritten)."""
    project = mini()
    assert build(project).ok
    again = build(project)
    assert again.ok and again.search is not None
    assert again.stats is not None and again.stats.written == 0


def test_a_no_change_build_writes_nothing(mini: MiniProject, tmp_path: Path) -> None:
    project = replace(mini(), cache=tmp_path / ".cache")
    assert build(project).ok
    inode = project.output.stat().st_ino
    before = {p: p.stat().st_mtime_ns for p in project.output.rglob("*")}
    again = build(project)
    assert again.ok and again.search is None and again.stats is not None and again.stats.written == 0
    assert project.output.stat().st_ino == inode  # not swapped
    assert {p: p.stat().st_mtime_ns for p in project.output.rglob("*")} == before


def test_an_edit_swaps_in_a_new_site_that_shares_the_unchanged_files(
    mini: MiniProject, tmp_path: Path
) -> None:
    project = replace(mini(), cache=tmp_path / ".cache")
    assert build(project).ok
    home = (project.output / "om/index.html").stat().st_ino
    meeting = next(project.content.rglob("2024-09-20.md"))
    meeting.write_text(meeting.read_text(encoding="utf-8") + "\nEn rad till.\n", encoding="utf-8")
    edited = build(project)
    assert edited.ok and edited.search is not None
    assert (project.output / "om/index.html").stat().st_ino == home  # linked, not copied
    assert leftovers(project.output.parent) == []


# --- killing a real build ----------------------------------------------------------------------

MEETINGS = 240


@dataclass(frozen=True)
class Archive:
    root: Path  # content/, site/, .cache/ of the build being killed
    old_site: dict[str, bytes]  # the site before the change
    old: Path  # site/ and .cache/ before the change, restored before each kill
    new_site: dict[str, bytes]  # a clean build of the changed archive into a fresh folder


def run_build(root: Path, **env: str) -> subprocess.Popen[str]:
    command = [sys.executable, str(ROOT / "build.py"), "build", "--root", str(root)]
    command += ["--templates", str(ROOT / "templates"), "--jobs", "2"]
    return subprocess.Popen(
        command,
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )


def finished(root: Path) -> str:
    process = run_build(root)
    _, err = process.communicate(timeout=600)
    assert process.returncode == 0, err
    return err


def change(content: Path) -> None:
    """Edit some meetings, delete some, add some."""
    meetings = sorted(content.rglob("*.md"))
    for path in meetings[::5]:  # 48 edits: enough to parse in workers
        path.write_text(
            path.read_text(encoding="utf-8") + "\nEtt tillägg till protokollet.\n", encoding="utf-8"
        )
    for path in meetings[3::16]:
        path.unlink()
    for number, path in enumerate(meetings[1::16]):
        text = path.read_text(encoding="utf-8").replace("\ndate:", f"\nslug: extra-{number}\ndate:", 1)
        path.with_name(f"extra-{number}.md").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    base = tmp_path_factory.mktemp("atomic")
    root = base / "root"
    subprocess.run(
        [sys.executable, str(ROOT / "bench/generate.py"), str(root / "content"), "--meetings", str(MEETINGS)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    finished(root)
    old = base / "old"
    shutil.copytree(root / "site", old / "site", symlinks=True)
    shutil.copytree(root / ".cache", old / ".cache", symlinks=True)
    change(root / "content")
    clean = base / "clean"
    shutil.copytree(root / "content", clean / "content")
    finished(clean)
    return Archive(root, tree(old / "site"), old, tree(clean / "site"))


def restore(archive: Archive) -> None:
    for name in ("site", ".cache"):
        shutil.rmtree(archive.root / name, ignore_errors=True)
        shutil.copytree(archive.old / name, archive.root / name, symlinks=True)
    for name in leftovers(archive.root):
        shutil.rmtree(archive.root / name)


def descendants(pid: int) -> set[int]:
    """The processes started by `pid` and by them (read from /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_bytes()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rpartition(b")")[2].split()[1])
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        for child, its_parent in parents.items():
            if its_parent == parent and child not in found:
                found.add(child)
                todo.append(child)
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def start_time(pid: int) -> str:
    """When the process started (clock ticks since boot): a pid reused by a new process differs."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def command_name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


class Watched:
    """A running build, its stderr lines and every process it started, as seen while it ran."""

    def __init__(self, root: Path, **env: str) -> None:
        self.process = run_build(root, **env)
        self.lines: list[str] = []
        self.children: dict[int, str] = {}
        self.started: dict[int, str] = {}  # pid -> start time, to tell a reused pid apart
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)

    def look(self) -> set[int]:
        """The build's processes now (remembered for the check after the kill)."""
        found = descendants(self.process.pid)
        for pid in found:  # the latest name: a child is the build's own copy until it starts Pagefind
            self.children[pid] = command_name(pid) or self.children.get(pid, "")
            self.started.setdefault(pid, start_time(pid))
        return found

    def said(self, text: str) -> bool:
        self.look()
        if self.process.poll() is not None:
            raise AssertionError(f"the build ended before it said {text!r}: {''.join(self.lines)}")
        return any(text in line for line in self.lines)

    def kill(self) -> None:
        """`kill -9` the build. Its children are stopped first: a child left to itself may end on
        its own soon after (Pagefind at the end of its input, a worker on a closed pipe), which
        would hide that nothing made it end; a stopped one ends only if it is killed. Not stopped:
        Pagefind's launcher while it has not yet become Pagefind (search._GUARDED_EXEC). Stopped
        before it sets its parent-death signal, it could never run the check that follows it (its
        parent gone, it leaves), and would stay behind only because the test stopped it."""
        for pid in self.look():
            if b"prctl" in _cmdline(pid):
                continue
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=DEADLINE)
        self._reader.join(timeout=DEADLINE)

    def orphans(self) -> list[str]:
        """Processes the killed build had started that still run, after a generous wait (those
        are then killed, so that a failing test leaves none behind)."""

        def ours(pid: int) -> bool:  # alive, and not a new process that was given its pid
            return process_alive(pid) and start_time(pid) == self.started.get(pid, "")

        def alive() -> list[str]:
            return [f"{pid} {name}" for pid, name in self.children.items() if ours(pid)]

        # A child stopped (see `kill`) between its fork and its guard never got the parent-death
        # signal; let it run its guard, whose check of its parent then ends it.
        for pid in self.children:
            if ours(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGCONT)

        end = time.monotonic() + 60
        while alive() and time.monotonic() < end:
            time.sleep(0.05)
        left = alive()
        for pid, name in self.children.items():
            if ours(pid) and command_name(pid) == name:
                os.kill(pid, signal.SIGKILL)
        return left


def staging_of(root: Path, pid: int) -> Path:
    return root / f".site.staging-{pid}"


def kill_when(archive: Archive, moment: str) -> Watched:
    """Start the changed build and kill it at `moment`."""
    root = archive.root
    if moment.startswith("pause:"):
        name = moment.removeprefix("pause:")
        build = Watched(root, **{PAUSE_VARIABLE: name})
        wait_for(f"the build to pause at {name}", lambda: build.said(f"paused at {name}"))
    else:
        build = Watched(root)
        pid = build.process.pid
        conditions: dict[str, tuple[str, Callable[[], object]]] = {
            "parse": (
                "parse workers",
                lambda: len(build.look()) >= 2 and not staging_of(root, pid).exists(),
            ),
            "render": (
                "rendered pages in the staging folder",
                lambda: build.look() is not None and (staging_of(root, pid) / "natverk").is_dir(),
            ),
            "index": (
                "a running Pagefind",
                lambda: any(command_name(child) == "pagefind" for child in build.look()),
            ),
        }
        what, condition = conditions[moment]

        def seen() -> object:
            if build.process.poll() is not None:
                raise AssertionError(f"the build ended before {what}: {''.join(build.lines)}")
            return condition()

        wait_for(what, seen)
    build.kill()
    return build


MOMENTS = {  # the moment -> the site a kill there must leave ("old" or "new")
    "parse": "old",
    "render": "old",
    "pause:staged": "old",  # everything rendered; nothing linked yet
    "pause:linked": "old",  # the new site complete but for its index
    "index": "old",  # Pagefind writing the new site's index
    "pause:indexed": "old",  # the new site complete, just before the swap
    "pause:swapped": "new",  # just after the swap, before the state is saved
}


@pytest.mark.slow
@pytest.mark.parametrize("moment", list(MOMENTS))
def test_a_build_killed_at_any_moment_leaves_the_old_or_the_new_site(archive: Archive, moment: str) -> None:
    restore(archive)
    killed = kill_when(archive, moment)
    site = tree(archive.root / "site")
    if MOMENTS[moment] == "old":
        assert site == archive.old_site, f"killed at {moment}: the site is not the old one"
    else:
        assert same_site(site, archive.new_site), f"killed at {moment}: the site is not the new one"
    assert killed.orphans() == [], f"processes of the build killed at {moment} still run"
    if moment == "index":
        assert "pagefind" in killed.children.values()
    if moment == "parse":
        assert len(killed.children) >= 2

    said = finished(archive.root)  # the next build: cleans up and completes the change
    assert leftovers(archive.root) == []
    assert not list((archive.root / ".cache").rglob(".*.tmp"))
    assert same_site(tree(archive.root / "site"), archive.new_site)
    assert "Indexed" in said or MOMENTS[moment] == "new"
    again = finished(archive.root)  # and then there is nothing left to do
    assert "0 written" in again and "Indexed" not in again, again


@pytest.mark.slow
def test_a_build_killed_at_random_moments_leaves_the_old_or_the_new_site(archive: Archive) -> None:
    """The moments above, and any other: kills at random times over the length of the build."""
    restore(archive)
    start = time.monotonic()
    finished(archive.root)
    length = time.monotonic() - start
    chance = random.Random(18)
    for attempt in range(5):
        restore(archive)
        delay = chance.uniform(0.2, length)  # the input of this experiment, not a wait for an event
        running = Watched(archive.root)
        try:
            running.process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            running.kill()
        else:
            running._reader.join(timeout=DEADLINE)
        site = tree(archive.root / "site")
        moment = f"attempt {attempt}, killed after {delay:.2f} s of {length:.2f} s"
        assert site == archive.old_site or same_site(site, archive.new_site), f"{moment}: a mixed site"
        assert running.orphans() == [], f"{moment}: processes of the build still run"
        finished(archive.root)
        assert leftovers(archive.root) == [], moment
        assert same_site(tree(archive.root / "site"), archive.new_site), moment


def test_a_missing_index_is_made_again(mini: MiniProject, tmp_path: Path) -> None:
    project = replace(mini(), cache=tmp_path / ".cache")
    assert build(project).ok
    shutil.rmtree(project.output / INDEX_DIR)
    again = build(project)
    assert again.ok and again.search is not None
    assert (project.output / INDEX_DIR / "pagefind-entry.json").is_file()
