"""Measure what a search costs a visitor: index size, and bytes fetched by a first and a second query.

`python bench/search_probe.py SITE_DIR WORD [WORD2]` serves SITE_DIR on 127.0.0.1, opens
/sok/?q=WORD in Debian's Chromium, then searches WORD2 on the same page, and prints the bytes
fetched from /pagefind/ for each (the Pagefind files are compressed already, so these are the
bytes on the wire of a static host without extra compression).
"""

from __future__ import annotations

import argparse
import functools
import shutil
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import Response, sync_playwright

ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def probe(site: Path, first: str, second: str) -> dict[str, int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    fetched: list[int] = []

    def count(response: Response) -> None:
        if "/pagefind/" in response.url:
            fetched.append(len(response.body()))

    figures: dict[str, int] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        page = browser.new_page()
        page.on("response", count)
        wait = (
            "() => { const s = document.getElementById('search-status').textContent;"
            " return s && !s.startsWith('Söker') && !s.startsWith('Searching'); }"
        )
        page.goto(f"{base}/sok/?q={quote(first)}")
        page.wait_for_function(wait)
        page.wait_for_load_state("networkidle")
        figures["first_query_bytes"] = sum(fetched)
        figures["first_query_hits"] = page.locator(".search-result").count()
        fetched.clear()
        page.fill("#q", second)
        page.press("#q", "Enter")
        page.wait_for_function(
            f"() => document.getElementById('search-status').textContent.includes({second!r})"
        )
        page.wait_for_load_state("networkidle")
        figures["second_query_bytes"] = sum(fetched)
        page.remove_listener("response", count)  # else a body still being read fails as the browser closes
        browser.close()
    server.shutdown()
    figures["index_bytes"] = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("first")
    parser.add_argument("second", nargs="?", default="budget")
    args = parser.parse_args()
    for name, value in probe(args.site, args.first, args.second).items():
        shown = f"{value / 1024:.0f} KiB" if name.endswith("bytes") else str(value)
        print(f"{name}: {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
