"""Command line: `build` (the default), `check`, `serve`, `new`, `import`, `seal`, `verify`;
`build.py` calls `main()`."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

from . import __version__
from .build.builder import BuildResult, Project, build, check
from .diagnostics import DEBUG_VARIABLE, Diagnostics, debugging, internal_error_report
from .output import OutputError
from .speed.switch import ENVIRONMENT_VARIABLE, Speedups, wanted
from .validate import read_time_span


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="protokollarkiv",
        description="Build a static website from an archive of meeting minutes.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--root",
            type=Path,
            default=Path("."),
            help="project folder holding content/ and templates/ (default: .)",
        )
        sub.add_argument("--content", type=Path, help="content folder (default: ROOT/content)")
        sub.add_argument("--templates", type=Path, help="templates folder (default: ROOT/templates)")
        sub.add_argument("-q", "--quiet", action="store_true", help="print only problems")
        sub.add_argument(
            "--debug",
            action="store_true",
            help=f"show the traceback of an internal error (or set {DEBUG_VARIABLE}=1)",
        )
        sub.add_argument(
            "--cache",
            type=Path,
            help="build cache: parsed meetings, what each page was built from (default: ROOT/.cache)",
        )
        sub.add_argument("--no-cache", action="store_true", help="neither read nor write the build cache")
        sub.add_argument(
            "--reference",
            action="store_true",
            help=f"reference engines only: the same output, slower (or set {ENVIRONMENT_VARIABLE}=0)",
        )
        sub.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="build as of this day, YYYY-MM-DD: the anslagstavla, publication, reviews of dates "
            "(default: today)",
        )
        sub.add_argument(
            "-j",
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="worker processes for large builds (default: one per core; 1: all in this process)",
        )

    build_cmd = commands.add_parser("build", help="build the site into the output folder (default)")
    common(build_cmd)
    build_cmd.add_argument("--output", type=Path, help="output folder (default: ROOT/site)")
    build_cmd.add_argument(
        "--drafts",
        action="store_true",
        help="include draft minutes (status: utkast), with a banner and noindex",
    )
    build_cmd.add_argument(
        "--no-search", action="store_true", help="skip the search index (faster; search will not work)"
    )
    serve_cmd = commands.add_parser(
        "serve", help="preview: build, serve on 127.0.0.1, rebuild and reload on every change"
    )
    common(serve_cmd)
    serve_cmd.add_argument("--output", type=Path, help="output folder (default: ROOT/site)")
    serve_cmd.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: any free)")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve_cmd.add_argument("--no-drafts", action="store_true", help="hide draft minutes, as production does")
    new_cmd = commands.add_parser("new", help="start the minutes of a network's next meeting")
    common(new_cmd)
    new_cmd.add_argument("network", help="the network's slug, e.g. skolchefer-skaraborg")
    new_cmd.add_argument(
        "--date", type=date.fromisoformat, default=None, help="meeting day, YYYY-MM-DD (default: today)"
    )
    new_cmd.add_argument("--time", type=_time_span, help="e.g. 09:00-12:00 (default: as last meeting)")
    new_cmd.add_argument("--place", help="default: as last meeting")
    import_cmd = commands.add_parser(
        "import", help="turn old minutes (.docx, .pdf, .txt, .md) into draft meetings of a network"
    )
    common(import_cmd)
    import_cmd.add_argument("sources", nargs="+", type=Path, metavar="FILE_OR_FOLDER")
    import_cmd.add_argument("--network", required=True, help="the network's slug, e.g. skolchefer-skaraborg")
    import_cmd.add_argument("--dry-run", action="store_true", help="print the drafts; write nothing")
    import_cmd.add_argument(
        "--force", action="store_true", help="replace an existing meeting; write a draft without a date"
    )
    check_cmd = commands.add_parser("check", help="validate the archive without writing anything")
    common(check_cmd)
    check_cmd.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="json: one object per diagnostic, for editors and CI",
    )
    seal_cmd = commands.add_parser(
        "seal", help="check the archive, then record the digest of every justerat meeting in sigill.json"
    )
    common(seal_cmd)
    verify_cmd = commands.add_parser(
        "verify", help="recompute a published meeting's digest from its mote.json and compare"
    )
    common(verify_cmd)
    verify_cmd.add_argument(
        "target", help="a mote.json file, or a meeting's URL path (e.g. /natverk/x/2024-09-20/) in the site"
    )
    verify_cmd.add_argument("--output", type=Path, help="the built site (default: ROOT/site)")
    return parser


def _time_span(text: str) -> str:
    """`--time` as the front matter will hold it, checked as `check` will."""
    span = read_time_span(text)
    if isinstance(span, str):
        raise argparse.ArgumentTypeError(f"it {span}")
    return str(span)


def _project(args: argparse.Namespace) -> Project:
    root: Path = args.root
    default = Project.at(root)
    return Project(
        content=args.content or default.content,
        templates=args.templates or default.templates,
        output=getattr(args, "output", None) or default.output,
        guide=default.guide,
        cache=None if args.no_cache else args.cache or default.cache,
    )


_STAGE_LABELS = {"parse": "Parsing meetings", "render": "Rendering pages"}


class _Progress:
    """Pages done of total and the rate, redrawn in place on a terminal; silent elsewhere (CI logs)."""

    def __init__(self) -> None:
        self.stage = ""
        self.started = 0.0
        self.shown = 0.0

    @staticmethod
    def wanted() -> bool:
        return sys.stderr.isatty() and not os.environ.get("CI")

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage != self.stage:
            self.stage, self.started, self.shown = stage, now, 0.0
        if done < total and now - self.shown < 0.1:
            return
        self.shown = now
        if done >= total:
            sys.stderr.write("\r\x1b[K")
        else:
            rate = done / max(now - self.started, 1e-6)
            label = _STAGE_LABELS.get(stage, stage)
            sys.stderr.write(f"\r\x1b[K{label}: {done:,} of {total:,} ({rate:,.0f}/s)")
        sys.stderr.flush()


def _summary(result: BuildResult, project: Project, drafts: bool, jobs: int) -> str:
    stats = result.stats
    assert stats is not None
    seconds = sum(v for k, v in result.timings.items() if k != "search")
    stages = ", ".join(f"{name} {value:.2f} s" for name, value in result.timings.items() if name != "search")
    parsed, rendered = result.parsed, len(result.rendered)
    notes = (
        f"{stages}; {parsed} meeting{'' if parsed == 1 else 's'} parsed, "
        f"{rendered} page{'' if rendered == 1 else 's'} rendered"
    )
    if result.read_attachments:
        read = result.read_attachments
        notes += f", {read} attachment{'' if read == 1 else 's'} read for search"
    if jobs > 1:
        notes += f", {jobs} jobs"
    scanned = ""
    if result.without_text:
        count = len(result.without_text)
        names = ", ".join(_shown(path) for path in result.without_text[:3])
        more = f" and {count - 3} more" if count > 3 else ""
        noun = "attachment" if count == 1 else "attachments"
        scanned = f"; {count} {noun} without text, not searchable (scanned? no OCR): {names}{more}"
    return (
        f"Built {result.pages} pages{' (drafts included)' if drafts else ''} into {project.output}: "
        f"{stats.written} written, {stats.unchanged} unchanged, {stats.removed} removed in {seconds:.2f} s "
        f"({notes})" + (f"; {result.diagnostics.summary()}" if result.diagnostics.items else "") + scanned
    )


def _shown(path: Path) -> str:
    """A path as the summary names it: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _report(result: BuildResult, root: Path) -> None:
    for line in result.diagnostics.format(root):
        print(line, file=sys.stderr)
    if os.environ.get("GITHUB_ACTIONS") == "true":  # annotate the files in the pull request
        for diagnostic in result.diagnostics.items:
            print(diagnostic.github_annotation(root))


def _serve(args: argparse.Namespace, project: Project, speedups: Speedups) -> int:
    from .preview.http import serve

    options = {"host": args.host, "port": args.port, "include_drafts": not args.no_drafts}
    return serve(project, root=Path.cwd(), jobs=args.jobs, speedups=speedups, today=args.today, **options)


def _new(args: argparse.Namespace, project: Project, speedups: Speedups) -> int:
    from .tools.scaffold import ScaffoldError, create

    try:
        path = create(project, args.network, args.date or date.today(), args.time, args.place)
    except (ScaffoldError, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(path)
    return 0


def _import(args: argparse.Namespace, project: Project, speedups: Speedups) -> int:
    from .tools.importer import Importer, ImportSetupError, Outcome

    try:
        importer = Importer.open(project, args.network, dry_run=args.dry_run, force=args.force)
    except ImportSetupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1

    def report(outcome: Outcome) -> None:
        if args.dry_run and outcome.text:
            print(outcome.text)
        if not outcome.ok or not args.quiet:
            print(outcome.line, file=sys.stderr if args.dry_run or not outcome.ok else sys.stdout)

    outcomes = importer.run(args.sources, report)
    failed = sum(1 for o in outcomes if not o.ok)
    if len(outcomes) != 1 or not outcomes:
        verb = "checked" if args.dry_run else "imported"
        print(f"{len(outcomes) - failed} of {len(outcomes)} files {verb}, {failed} failed", file=sys.stderr)
    return 1 if failed or not outcomes else 0


def _check(args: argparse.Namespace, project: Project, speedups: Speedups) -> int:
    root = Path.cwd()
    result = check(project, jobs=args.jobs, speedups=speedups, today=args.today)
    if args.format == "json":
        print(json.dumps([d.as_dict(root) for d in result.diagnostics.items], ensure_ascii=False, indent=1))
        return 0 if result.ok else 1
    _report(result, root)
    if not args.quiet or not result.ok:
        meetings = len(result.site.meetings) if result.site else 0
        noun = "meeting" if meetings == 1 else "meetings"
        print(f"Checked {meetings} {noun}: {result.diagnostics.summary()}", file=sys.stderr)
    return 0 if result.ok else 1


def _build(args: argparse.Namespace, project: Project, speedups: Speedups) -> int:
    result = build(
        project,
        include_drafts=args.drafts,
        search=not args.no_search,
        base_url=os.environ.get("URL") or None,  # Netlify's address for the site wins over site.yml
        jobs=args.jobs,
        progress=_Progress() if _Progress.wanted() and not args.quiet else None,
        speedups=speedups,
        today=args.today,
    )
    _report(result, Path.cwd())
    if not result.ok:
        print(
            f"Build stopped: {result.diagnostics.summary()}; {project.output} was not changed.",
            file=sys.stderr,
        )
        return 1
    if not args.quiet and result.stats is not None:
        print(_summary(result, project, args.drafts, args.jobs), file=sys.stderr)
        if result.search is not None:
            found = result.search
            print(
                f"Indexed {found.pages} meeting{'s' if found.pages != 1 else ''} "
                f"({found.decisions} decisions) for search in {found.seconds:.2f} s "
                f"({found.index_bytes / 1024:.0f} KiB)",
                file=sys.stderr,
            )
    return 0


def _seal(args: argparse.Namespace, project: Project, speedups: Speedups) -> int:
    """`seal`: only an archive that passes `check` is sealed; the ledger is replaced at once."""
    from .record.seal import ledger_path, read_ledger, renew, write_ledger
    from .urls import meeting_id

    root, content = Path.cwd(), project.absolute().content
    path = ledger_path(content)
    result = check(project, jobs=args.jobs, speedups=speedups, today=args.today)
    _report(result, root)
    ledger = read_ledger(path, Diagnostics()) if result.ok else None
    if ledger is None or result.site is None:
        print(f"Not sealed: {result.diagnostics.summary()}; {path} was not changed.", file=sys.stderr)
        return 1
    # Minutes taken off publication are still the record: sealed as the published ones are.
    meetings = {meeting_id(m): m for m in (*result.site.meetings, *result.site.gone)}
    renewal = renew(ledger, meetings, content, args.today or date.today())
    written = write_ledger(path, renewal.ledger)
    counts = (
        f"{len(renewal.sealed)} newly sealed, {len(renewal.updated)} renewed, "
        f"{len(renewal.ledger.entries) - len(renewal.sealed) - len(renewal.updated)} unchanged"
    )
    if args.quiet:
        return 0
    print(f"{'Wrote' if written else 'Unchanged:'} {path}: {counts}", file=sys.stderr)
    for label, keys in (("sealed", renewal.sealed), ("renewed", renewal.updated)):
        for key in keys:
            print(f"  {label} {key}", file=sys.stderr)
    if renewal.kept:
        print(f"  kept the seals of {len(renewal.kept)} minutes not in the archive", file=sys.stderr)
    return 0


def _verify_target(target: str, output: Path) -> Path | None:
    """The mote.json a `verify` argument names: a file, or a URL path (or URL) inside the site."""
    given = Path(target)
    if given.is_file():
        return given
    site = output.resolve()
    found = (site / urlsplit(target).path.strip("/")).resolve()
    if found.is_dir():
        found = found / "mote.json"
    return found if found.is_relative_to(site) and found.is_file() else None


def _verify(args: argparse.Namespace, project: Project, speedups: Speedups) -> int:
    from .record.seal import verify_record

    path = _verify_target(args.target, project.output)
    if path is None:
        where = f"nor a meeting's page in {project.output}"
        print(f"error: {args.target}: no such mote.json, {where}", file=sys.stderr)
        return 1
    try:
        record = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        print(f"error: {path}: not readable as JSON: {exc}", file=sys.stderr)
        return 1
    outcome = verify_record(record)
    if isinstance(outcome, str):
        print(f"error: {path}: cannot be verified: {outcome}", file=sys.stderr)
        return 1
    carried, computed = outcome
    if carried != computed:
        print(
            f"MISMATCH {path}: it carries the digest {carried}, but its facts and text give {computed}: "
            "this copy is not what was published",
            file=sys.stderr,
        )
        return 1
    print(f"OK {path}: its facts and text give the digest it carries, {carried}")
    return 0


_COMMANDS = {
    "serve": _serve,
    "new": _new,
    "import": _import,
    "check": _check,
    "build": _build,
    "seal": _seal,
    "verify": _verify,
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "build")
    args = _parser().parse_args(argv)
    if args.jobs < 1:
        print("error: --jobs must be 1 or more", file=sys.stderr)
        return 2
    if args.debug:  # the preview server and worker processes read it from there too
        os.environ[DEBUG_VARIABLE] = "1"
    speedups = Speedups(enabled=not args.reference and wanted(os.environ))
    try:
        return _COMMANDS[args.command](args, _project(args), speedups)
    except OutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: one line, the traceback only when asked for
        print(internal_error_report(exc, debugging()), file=sys.stderr)
        return 2


def run() -> NoReturn:
    """`main` as a program: its status is the exit status, and the process leaves at once
    when everything is written (see `speed.memory.leave`)."""
    status = main()
    Speedups(enabled=wanted(os.environ) and "--reference" not in sys.argv).leave(status)
