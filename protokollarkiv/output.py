"""Staged output: a build makes the complete new site beside the live one and swaps it in at once.

Changed files are written into a staging folder; at commit the files that did not change are
hard-linked into it from the live site (the search index too, or a fresh one is written there),
and the staging folder and the site then trade places in one step (`renameat2` with
`RENAME_EXCHANGE` on Linux; two renames elsewhere, undone at the next start when a build was
killed between them). A build killed at any moment leaves the old site or the new one, never a
mix; what it leaves beside the site is removed at the start of the next build.

The processes a build starts (Pagefind, the workers) die with it: `die_with_parent`.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Folders in the site that another stage owns (the search index); never removed as stale.
INDEX_DIR = "pagefind"  # the search index's folder, written by `search`
KEPT_PREFIXES = (f"{INDEX_DIR}/",)
# A file that every build writes; its presence marks a folder as ours to prune.
MARKER = "sitemap.xml"
# What builds put beside the site `<name>`: `.<name>.<kind>-<pid>`. `staging` is a new tree being
# made (or, after the swap, the old one being removed), `old` the old tree between the two renames
# of the fallback, `pagefind` and `pagefind-old` the search index refreshed on its own (`search`).
# `.<name>.spare` (no pid: not a leftover) is the site before the live one, which the next build
# brings up to date as its staging folder instead of linking every file anew (`StagedOutput`).
_LEFTOVER = r"\.{name}\.(staging|old|pagefind|pagefind-old)-(\d+)"
PAUSE_VARIABLE = "PROTOKOLLARKIV_PAUSE_AT"  # tests: stop at this checkpoint until killed


class OutputError(Exception):
    """The output folder cannot be written safely."""


@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def total(self) -> int:
        return self.written + self.unchanged


def _holds(live: Path, data: bytes) -> bool:
    """Whether the file `live` has exactly these bytes (False when it is missing)."""
    try:
        return live.stat().st_size == len(data) and live.read_bytes() == data
    except OSError:
        return False


def _clear(path: Path) -> None:
    """Remove whatever is at `path` (a file, a link or a folder); nothing when nothing is."""
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except (IsADirectoryError, PermissionError):  # a folder (EISDIR on Linux, EPERM elsewhere)
        shutil.rmtree(path)


def stage_file(site_dir: Path, staging: Path, relative: str, data: bytes) -> bool:
    """Write `data` to the staging folder unless the live site has these bytes already; True if staged.

    The staging folder may be the spare site (`StagedOutput`), whose files can be links to the
    live site's: what is there is removed first, so a file of the live site is never written."""
    if _holds(site_dir / relative, data):
        return False
    target = staging / relative
    _clear(target)
    try:
        target.write_bytes(data)
    except (FileNotFoundError, NotADirectoryError):
        _make_folder(staging, relative.rpartition("/")[0])
        target.write_bytes(data)
    return True


def _make_folder(root: Path, relative: str) -> None:
    """`root/relative` as a folder, replacing a file that stands where one of its folders must be."""
    try:
        os.makedirs(root / relative, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        parts = relative.split("/")
        for end in range(1, len(parts) + 1):
            path = root.joinpath(*parts[:end])
            if path.is_symlink() or (path.exists() and not path.is_dir()):
                path.unlink()
        os.makedirs(root / relative, exist_ok=True)


def replace_file(site_dir: Path, relative: str, data: bytes) -> bool:
    """Put `data` into the live site at once (an atomic replace) unless it is there already; True if written.

    For the preview server's shortcut (`quick`); builds go through `StagedOutput`.
    """
    live = site_dir / relative
    if _holds(live, data):
        return False
    temporary = live.with_name(f".{live.name}.{os.getpid()}.new")
    temporary.write_bytes(data)
    os.replace(temporary, live)
    return True


# --- processes -----------------------------------------------------------------------------


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists (one that only waits to be reaped counts as gone)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    try:  # Linux: a zombie has ended; its id only waits for its parent
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rpartition(b")")[2].split()[0] != b"Z"
    except (OSError, IndexError):
        return True


_PR_SET_PDEATHSIG = 1


def parent_death_guard() -> Callable[[], None]:
    """A function for a forked child to call first (a worker's initializer): the child is
    killed (SIGKILL) when the process, strictly the thread, that started it dies, even by `kill -9`.

    Linux only (`prctl(PR_SET_PDEATHSIG)`); elsewhere it does nothing. The C function is looked up
    here, before the fork, so the child only calls it; a parent that died before the call is
    caught by comparing the child's parent with the one that made the guard.
    """
    if sys.platform != "linux":
        return lambda: None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return lambda: None
    parent = os.getpid()

    def guard() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the guard was set
            os.kill(os.getpid(), signal.SIGKILL)

    return guard


def checkpoint(name: str) -> None:
    """A named moment of the commit; with PROTOKOLLARKIV_PAUSE_AT=name the process says so on
    stderr and waits there until it is killed (for tests that kill a build at an exact moment)."""
    if os.environ.get(PAUSE_VARIABLE) == name:
        print(f"paused at {name}", file=sys.stderr, flush=True)
        while True:
            time.sleep(3600)


# --- swapping folders ----------------------------------------------------------------------

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def exchange(first: Path, second: Path) -> bool:
    """Trade the names of two existing folders in one step; False where the system cannot
    (not Linux, an old C library, a file system without RENAME_EXCHANGE)."""
    if sys.platform != "linux":
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2  # glibc 2.28+
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, f"cannot swap {first} and {second}: {os.strerror(code)}")


def swap_in(fresh: Path, live: Path, *, old: Path) -> None:
    """Make the folder `fresh` the folder `live`; the previous `live` ends up at `fresh` (an
    exchange) or at `old` (two renames: `live` → `old`, `fresh` → `live`; a process killed
    between them leaves no `live`, and `recover_site` puts `old` back). A missing `live` is
    simply created."""
    if not live.exists():
        os.rename(fresh, live)
        return
    if exchange(fresh, live):
        return
    os.rename(live, old)
    os.rename(fresh, live)


def leftovers(site_dir: Path) -> list[tuple[str, int, Path]]:
    """What builds left beside the site: (kind, owner pid, path)."""
    pattern = re.compile(_LEFTOVER.format(name=re.escape(site_dir.name)))
    found = []
    with contextlib.suppress(FileNotFoundError), os.scandir(site_dir.parent) as entries:
        for entry in entries:
            if match := pattern.fullmatch(entry.name):
                found.append((match[1], int(match[2]), Path(entry.path)))
    return found


def recover_site(site_dir: Path, mine: bool = True) -> list[Path]:
    """Undo what killed builds left beside the site `site_dir`; the paths removed or restored.

    Only what belongs to a process that is gone is touched (with `mine`, also what carries this
    process's id, when it has not started a build yet: a dead process's id may come back), so a
    build running next to this one keeps its folders. A site missing between the two renames of
    the fallback swap comes back from its `old` folder.
    """
    site_dir = Path(os.path.realpath(site_dir))
    me = os.getpid()
    found = [
        item
        for item in leftovers(site_dir)
        if (item[1] == me and mine) or (item[1] != me and not process_alive(item[1]))
    ]
    touched = []
    if not site_dir.exists():
        olds = sorted((p for kind, _, p in found if kind == "old"), key=lambda p: p.stat().st_mtime)
        if olds:
            os.rename(olds[-1], site_dir)
            touched.append(olds[-1])
    for _, _, path in found:
        if path.exists() or path.is_symlink():
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            touched.append(path)
    return touched


# --- the staged output ---------------------------------------------------------------------


class StagedOutput:
    """Compare each output with the live site; stage only what differs; swap the new site in at commit.

    The staging folder becomes the complete new site: at commit, what did not change is
    hard-linked into it from the live site (a link costs no bytes), and it trades places with
    the live site in one step. A build that fails before `commit` leaves the live site byte for
    byte as it was; a build that changes nothing writes nothing; a build killed at any moment
    leaves the old site or the new one.
    """

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        real = Path(os.path.realpath(site_dir))  # a symbolic link to the site stays one
        self.real = real
        self.staging = real.with_name(f".{real.name}.staging-{os.getpid()}")
        self.spare = real.with_name(f".{real.name}.spare")
        self.produced: set[str] = set()
        self.staged: list[str] = []
        self.stats = WriteStats()
        self._live: dict[str, tuple[int, int]] | None = None  # relative path -> (device, inode)
        if site_dir.exists() and not site_dir.is_dir():
            raise OutputError(f"{site_dir} exists and is not a folder")
        held = site_dir.is_dir() and any(site_dir.iterdir())
        if held and not (site_dir / MARKER).is_file():
            raise OutputError(
                f"{site_dir} is not empty and holds no earlier build ({MARKER} is missing); "
                "refusing to replace its files — choose an empty output folder"
            )
        self._take_spare(held)

    def _take_spare(self, held: bool) -> None:
        """Start from the spare site (the one before the live one) as the staging folder: most of
        its files are links to the live site's already. Another build may take it first (a rename
        is atomic: one of them gets it); a first build into an empty folder starts empty."""
        if not self.spare.is_dir():
            return
        if not held:
            shutil.rmtree(self.spare, ignore_errors=True)
            return
        with contextlib.suppress(FileNotFoundError, FileExistsError, OSError):
            if not self.staging.exists():
                os.rename(self.spare, self.staging)

    def put(self, relative: str, data: bytes) -> None:
        self.record(relative, stage_file(self.site_dir, self.staging, relative, data))

    def record(self, relative: str, staged: bool) -> None:
        """An output that was compared with the live site (by `stage_file`, maybe in another process)."""
        if relative in self.produced:
            raise OutputError(f"two outputs want to write {relative}")
        self.produced.add(relative)
        if staged:
            self.staged.append(relative)
        else:
            self.stats.unchanged += 1

    def live_files(self) -> set[str]:
        """Every file in the live site (the search index excluded), as relative paths; read once.

        A symbolic link counts as a file and is never followed.
        """
        if self._live is None:
            self._live = _files(self.site_dir, KEPT_PREFIXES)
        return set(self._live)

    def keep(self, relative: str) -> None:
        """An output that this build did not re-render: it stays as it is in the site."""
        if relative in self.produced:
            raise OutputError(f"two outputs want to write {relative}")
        self.produced.add(relative)
        self.stats.unchanged += 1

    def changes(self) -> bool:
        """Whether committing would change the site's pages (files written or removed)."""
        return bool(self.staged) or bool(self.live_files() - self.produced)

    def abort(self) -> None:
        """Put the staging folder (after a commit: the old site, swapped out) aside as the spare
        site for the next build; remove it when there is a spare already or it cannot be kept."""
        if not self.staging.is_dir():
            return
        with contextlib.suppress(OSError):
            if not self.spare.exists():
                os.rename(self.staging, self.spare)
                return
        shutil.rmtree(self.staging, ignore_errors=True)

    def commit(
        self,
        index: Callable[[Path], object] | None = None,
        before_swap: Callable[[], None] = lambda: None,
    ) -> WriteStats:
        """Complete the new site in the staging folder and swap it in; nothing when nothing changes.

        `index(folder)` writes the search index into the complete new site before the swap, so
        pages and index change together; without it the live index is kept (linked). With
        `index` the site is swapped even when no page changed. `before_swap` runs just before the
        one step that changes the site. The old site is left in the staging folder: `abort`
        removes it. Any failure before the swap leaves the live site as it was.
        """
        stale = self.live_files() - self.produced
        if not self.staged and not stale and index is None:
            self.abort()
            return self.stats
        try:
            vacant = not self.real.exists() or not any(self.real.iterdir())
            checkpoint("staged")
            self.staging.mkdir(parents=True, exist_ok=True)
            if not vacant:
                try:
                    self._complete(index is None)
                except FileNotFoundError as exc:
                    raise OutputError(f"{exc.filename} disappeared during the build") from exc
            checkpoint("linked")
            if index is not None:
                index(self.staging)
            checkpoint("indexed")
            before_swap()
            if vacant:
                with contextlib.suppress(FileNotFoundError):
                    self.real.rmdir()
                self.real.parent.mkdir(parents=True, exist_ok=True)
            old = self.real.with_name(f".{self.real.name}.old-{os.getpid()}")
            try:
                swap_in(self.staging, self.real, old=old)
            except OSError as exc:
                if exc.errno not in (errno.EBUSY, errno.EXDEV):
                    raise
                raise OutputError(
                    f"cannot swap a new site in for {self.site_dir} ({exc.strerror}): it must be a "
                    "folder that can be renamed, not a mount point — choose a folder inside it"
                ) from exc
        except BaseException:
            self.abort()
            raise
        checkpoint("swapped")
        self.stats.written += len(self.staged)
        self.stats.removed += len(stale)
        if old.exists():  # the fallback's two renames: the old site waits where `abort` looks
            os.rename(old, self.staging)
        return self.stats

    def _complete(self, with_index: bool, attempts: int = 5) -> None:
        """Make the staging folder the complete new site: the staged files, every other produced
        file linked from the live site (`_link`), nothing else; `with_index`: the live search index
        linked too, as it is.

        The preview server refreshes the index on a thread of its own, swapping a new one in
        whole: when that happens while this links the old one, linking starts again."""
        self.live_files()
        live = dict(self._live or {})
        if not with_index:  # a new index is written into the staging folder: none of the spare's
            shutil.rmtree(self.staging / INDEX_DIR, ignore_errors=True)
        for attempt in range(attempts):
            index = _files(self.real / INDEX_DIR, (), INDEX_DIR + "/") if with_index else {}
            try:
                self._link({**live, **index} if with_index else live)
                return
            except FileNotFoundError as exc:
                if not with_index or not str(exc.filename).startswith(str(self.real / INDEX_DIR)):
                    raise
                if attempt == attempts - 1:
                    raise OutputError(f"{self.real / INDEX_DIR} kept changing during the build") from exc

    def _link(self, live: dict[str, tuple[int, int]]) -> None:
        """The staging folder holds the staged files, and for every other produced file (or file
        of `live` under the index) a link to the live site's; whatever else is in it (a spare
        site's outdated files) goes."""
        staged = set(self.staged)
        wanted = {r for r in self.produced if r not in staged}
        wanted.update(r for r in live if r.startswith(INDEX_DIR + "/"))
        present = _files(self.staging, ())
        emptied: set[str] = set()
        for relative, inode in present.items():
            if relative in staged or (relative in wanted and inode == live.get(relative)):
                wanted.discard(relative)
                continue
            os.unlink(self.staging / relative)
            emptied.add(relative.rpartition("/")[0])
        source, target = str(self.real), str(self.staging)
        folders: set[str] = set()
        for relative in wanted:
            folder = relative.rpartition("/")[0]
            if folder not in folders:
                _make_folder(self.staging, folder)
                folders.add(folder)
            try:
                os.link(f"{source}/{relative}", f"{target}/{relative}", follow_symlinks=False)
            except FileNotFoundError:
                raise
            except FileExistsError:  # a folder of the spare stands where this file must be
                _clear(Path(f"{target}/{relative}"))
                os.link(f"{source}/{relative}", f"{target}/{relative}", follow_symlinks=False)
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP):
                    raise
                shutil.copy2(f"{source}/{relative}", f"{target}/{relative}", follow_symlinks=False)
        _remove_empty(self.staging, emptied)


def _files(
    root: Path, skip: tuple[str, ...], prefix: str = "", inodes: bool = True
) -> dict[str, tuple[int, int]]:
    """Every file under `root` (a symbolic link counts as one, never followed), by its path
    relative to the site, with its device and inode (without `inodes`: (0, 0), no `stat`);
    folders named in `skip` ("pagefind/") left out."""
    found: dict[str, tuple[int, int]] = {}
    folders = [(prefix, str(root))] if root.is_dir() else []
    while folders:
        relative_folder, folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                relative = relative_folder + entry.name
                if not entry.is_dir(follow_symlinks=False):
                    if inodes:
                        info = entry.stat(follow_symlinks=False)
                        found[relative] = (info.st_dev, info.st_ino)
                    else:
                        found[relative] = (0, 0)
                elif relative + "/" not in skip:
                    folders.append((relative + "/", entry.path))
    return found


def site_files(site_dir: Path) -> set[str]:
    """Every file in the site (the search index excluded), as relative paths (`StagedOutput.live_files`
    without taking the spare site)."""
    return set(_files(site_dir, KEPT_PREFIXES, inodes=False))


def _remove_empty(root: Path, folders: set[str]) -> None:
    """Remove each of `folders` (relative to `root`) and its parents while they are empty."""
    for folder in sorted(folders, key=lambda f: -f.count("/")):
        while folder:
            try:
                os.rmdir(root / folder)
            except OSError:  # not empty (or gone already)
                break
            folder = folder.rpartition("/")[0]
