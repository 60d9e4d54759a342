"""The command line as users run it: exit codes, messages, and the default `build`."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from .conftest import ROOT, MiniProject, meeting_text, run_cli


def project_args(project_root: Path) -> list[str]:
    return ["--root", str(project_root), "--templates", str(ROOT / "templates")]


def test_check_exit_codes(mini: MiniProject) -> None:
    project = mini()
    root = project.content.parent
    clean = run_cli("check", *project_args(root), cwd=root)
    assert clean.returncode == 0, clean.stderr
    assert clean.stderr.strip() == "Checked 1 meeting: 0 errors, 0 warnings"

    mini(meeting=meeting_text("titel: X\n"))
    warned = run_cli("check", *project_args(root), cwd=root)
    assert warned.returncode == 0
    assert "warning: unknown key 'titel'" in warned.stderr
    # The program leaves with os._exit (cli.run): what it printed to a pipe still arrives whole.
    listed = run_cli("check", "--format", "json", *project_args(root), cwd=root)
    assert listed.returncode == 0 and [d["message"] for d in json.loads(listed.stdout)] == [
        "unknown key 'titel' in meeting front matter"
    ]

    mini(meeting=meeting_text(status="klar"))
    failed = run_cli("check", *project_args(root), cwd=root)
    assert failed.returncode == 1
    assert failed.stderr.splitlines() == [
        "content/networks/skolchefer/2024/2024-09-20.md:3:9: error: 'status' must be one of "
        "utkast, justerat, not 'klar' (use one of: utkast, justerat)",
        "Checked 0 meetings: 1 error, 0 warnings",
    ]
    assert not (root / "site").exists()


def test_build_without_a_command_builds_and_refuses_to_write_on_errors(mini: MiniProject) -> None:
    project = mini()
    root = project.content.parent
    done = run_cli(*project_args(root), cwd=root)
    assert done.returncode == 0, done.stderr
    assert "Built 35 pages" in done.stderr
    assert "Indexed 1 meeting (0 decisions) for search in" in done.stderr
    assert (root / "site/natverk/skolchefer/2024-09-20/index.html").is_file()
    assert sorted(p.name for p in root.iterdir()) == [".cache", "content", "site"]  # nothing else written
    before = (root / "site/index.html").read_bytes()

    mini(meeting=meeting_text(date="2024-02-30"))
    refused = run_cli("build", *project_args(root), cwd=root)
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    assert refused.stderr.splitlines()[-1].startswith("Build stopped: 1 error, 0 warnings;")
    assert (root / "site/index.html").read_bytes() == before


def test_output_folder_problems_are_messages_not_tracebacks(mini: MiniProject) -> None:
    project = mini()
    root = project.content.parent
    (root / "site").mkdir()
    (root / "site/notes.txt").write_text("mine")
    result = run_cli("build", *project_args(root), cwd=root)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "refusing" in result.stderr
    assert "Traceback" not in result.stderr


ORDER = [
    "diagnostics",
    "load",
    "model",
    "markdown",
    "compiled",
    "strings",
    "validate",
    "review",
    "pages",
    "render",
    "feeds",
    "output",
    "cache",
    "search",
    "workers",
    "builder",
    "quick",
    "scaffold",
    "serve",
    "cli",
]


def test_imports_only_go_down_the_stage_list() -> None:
    """A module imports only modules listed before it (STYLE.md's layout)."""
    package = ROOT / "protokollarkiv"
    modules = {p.stem for p in package.glob("*.py")} - {"__init__"}
    assert modules == set(ORDER)
    for name in ORDER:
        tree = ast.parse((package / f"{name}.py").read_text(encoding="utf-8"))
        imported = {
            node.module or alias.name  # `from .x import y` or `from . import x`
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.level == 1
            for alias in node.names
            if node.module or alias.name in modules  # not `from . import __version__`
        }
        allowed = set(ORDER[: ORDER.index(name)])
        assert imported <= allowed, f"{name} imports {imported - allowed}"


def test_the_program_leaves_at_once_unless_something_still_runs() -> None:
    """`cli.run` skips the interpreter's clean-up (atexit handlers, freeing every object) when
    only the main thread is left, with `main`'s status; a thread still running gets the normal way."""
    import subprocess
    import sys

    program = (
        "import atexit, sys, threading, time\n"
        "from protokollarkiv import cli\n"
        "atexit.register(lambda: print('clean-up ran', flush=True))\n"
        "def main():\n"
        "    if sys.argv[1] == 'thread':\n"
        "        threading.Thread(target=time.sleep, args=(0.3,)).start()\n"
        "    print('printed', end='')\n"
        "    return 3\n"
        "cli.main = main\n"
        "cli.run()\n"
    )
    for case, clean_up in (("alone", False), ("thread", True)):
        done = subprocess.run(
            [sys.executable, "-c", program, case], cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 3, done.stderr
        assert done.stdout == ("printedclean-up ran\n" if clean_up else "printed")
