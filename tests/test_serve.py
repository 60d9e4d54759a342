"""The preview server as editors use it: a real subprocess on a free port, real files, real Chromium."""

from __future__ import annotations

import gc
import http.client
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from protokollarkiv.build.builder import Project
from protokollarkiv.preview import http as serve
from protokollarkiv.preview import session
from protokollarkiv.preview.session import Preview
from protokollarkiv.speed import memory

from .conftest import ROOT

pytestmark = pytest.mark.slow

MEETING = "content/networks/skolchefer-skaraborg/2024/2024-09-20.md"
PAGE = "/natverk/skolchefer-skaraborg/2024-09-20/"


@dataclass
class Server:
    root: Path
    base: str
    process: subprocess.Popen[str]
    lines: queue.Queue[str]

    def get(self, path: str) -> tuple[int, str]:
        host, port = self.base.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        connection.close()
        return response.status, body

    def status(self) -> dict[str, object]:
        return json.loads(self.get("/__protokollarkiv/status")[1])  # type: ignore[no-any-return]

    def wait_for(self, check: Callable[[], bool], what: str, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if check():
                return
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}")

    def wait_for_version(self, version: int) -> None:
        self.wait_for(lambda: self.status()["version"] == version, f"build {version}")

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", "0"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=pump, daemon=True).start()
    base = None
    deadline = time.monotonic() + 60
    seen = []
    while base is None and time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        seen.append(line)
        if match := re.search(r"on (http://127\.0\.0\.1:\d+)/", line):
            base = match[1]
    assert base, f"server did not start: {seen}"
    running = Server(tmp_path, base, process, lines)
    running.wait_for_version(1)
    yield running
    process.terminate()
    process.wait(timeout=10)


def test_an_edit_is_served_and_announced(server: Server) -> None:
    events: list[str] = []
    host, port = server.base.removeprefix("http://").split(":")
    stream = http.client.HTTPConnection(host, int(port), timeout=20)
    stream.request("GET", "/__protokollarkiv/events")
    response = stream.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"

    def listen() -> None:
        for raw in response:
            events.append(raw.decode().strip())

    threading.Thread(target=listen, daemon=True).start()
    server.wait_for(lambda: "event: hello" in events, "the hello event")

    server.edit(MEETING, "Ordföranden förklarar mötet öppnat.", "Mötet öppnas av ordföranden klockan åtta.")
    server.wait_for(lambda: "klockan åtta" in server.get(PAGE)[1], "the new text")
    server.wait_for_version(2)

    def reloads() -> list[dict[str, object]]:
        return [
            json.loads(events[i + 1].removeprefix("data: "))
            for i, line in enumerate(events[:-1])
            if line == "event: reload"
        ]

    server.wait_for(lambda: len(reloads()) == 2, "two reload events")
    shown, rebuilt = reloads()
    # The edited page at once, before the rebuild; then the rebuild, which rewrote no page (the
    # sentence shows nowhere else), so no open page reloads again.
    assert shown == {"version": 1, "urls": [PAGE]} and rebuilt == {"version": 2, "urls": []}
    server.wait_for(
        lambda: any(line.endswith("1 files written (build 2)") for line in server.lines.queue),
        "the rebuild's report, counting the page written before it",
    )
    assert any(line.startswith(f"Showed {PAGE} in ") for line in server.lines.queue)
    status, body = server.get(PAGE)
    assert status == 200 and '<script src="/__protokollarkiv/livereload.js"' in body
    on_disk = (server.root / "site" / PAGE.strip("/") / "index.html").read_text(encoding="utf-8")
    assert "livereload" not in on_disk  # injected into responses only
    stream.close()


def test_open_page_reloads_by_itself_and_keeps_its_place(server: Server, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1000, "height": 600})
    page.goto(server.base + PAGE)
    page.evaluate("window.scrollTo(0, 900); window.__before_reload = true")
    page.wait_for_function("window.scrollY > 800")
    server.edit(MEETING, "Ordföranden förklarar mötet öppnat.", "Ordföranden hälsar alla välkomna.")
    page.wait_for_function("window.__before_reload === undefined", timeout=15000)
    page.wait_for_function("document.body.textContent.includes('hälsar alla välkomna')")
    page.wait_for_function("window.scrollY > 800", timeout=5000)
    page.close()


def test_only_the_pages_an_edit_changes_reload(server: Server, browser: Browser) -> None:
    """The edited meeting's page at once; a listing that shows its new title after the rebuild;
    a page the edit does not touch never."""
    opened = {}
    for url in (PAGE, "/natverk/skolchefer-skaraborg/", "/om/tillganglighet/"):
        opened[url] = browser.new_page()
        opened[url].goto(server.base + url)
        opened[url].evaluate("window.__before_reload = true")
    server.edit(MEETING, "title: Skol- och utbildningschefer", "title: Skolchefernas höstmöte")
    gone = "window.__before_reload === undefined"
    opened[PAGE].wait_for_function(gone, timeout=15000)
    opened[PAGE].wait_for_function("document.body.textContent.includes('Skolchefernas höstmöte')")
    listing = opened["/natverk/skolchefer-skaraborg/"]
    listing.wait_for_function(gone, timeout=15000)
    assert "Skolchefernas höstmöte" in listing.inner_text("main")
    server.wait_for_version(2)
    time.sleep(0.5)  # the last reload event has reached every page
    assert opened["/om/tillganglighet/"].evaluate("window.__before_reload") is True
    for page in opened.values():
        page.close()


def test_broken_front_matter_shows_the_overlay_until_fixed(server: Server, browser: Browser) -> None:
    page = browser.new_page()
    page.goto(server.base + PAGE)
    server.edit(MEETING, "place: Regionens Hus", "place: [Regionens Hus")
    overlay = page.locator("#protokollarkiv-errors")
    overlay.wait_for(timeout=15000)
    text = overlay.inner_text()
    assert f"{MEETING}:5:" in text and "YAML syntax error" in text
    assert "Bygget misslyckades" in text and "The build failed" in text
    assert "Regionens Hus" in page.inner_text(".meta")  # the last good page is still served
    assert server.status()["errors"]
    output = "\n".join(list(server.lines.queue))
    assert output.count("YAML syntax error") == 1 and "Traceback" not in output

    server.edit(MEETING, "place: [Regionens Hus", "place: Regionens Hus")
    overlay.wait_for(state="detached", timeout=15000)
    assert server.status()["errors"] == []
    page.close()


def test_delete_and_readd_a_meeting(server: Server) -> None:
    path = server.root / MEETING
    text = path.read_text(encoding="utf-8")
    path.unlink()
    server.wait_for(lambda: server.get(PAGE)[0] == 404, "the page to go")
    assert "Sidan finns inte" in server.get(PAGE)[1]
    assert PAGE not in server.get("/natverk/skolchefer-skaraborg/")[1]
    path.write_text(text, encoding="utf-8")
    server.wait_for(lambda: server.get(PAGE)[0] == 200, "the page to return")
    (server.root / "content/networks/skolchefer-skaraborg/2025").mkdir()  # a new folder is fine
    version = server.status()["version"]
    server.wait_for(lambda: server.status()["version"] >= version, "a rebuild")
    assert server.get(PAGE)[0] == 200


def test_atomic_save_triggers_exactly_one_rebuild_and_temp_files_none(server: Server) -> None:
    version = server.status()["version"]
    assert isinstance(version, int)
    path = server.root / MEETING
    (path.parent / ".2024-09-20.md.swp").write_bytes(b"vim swap")
    (path.parent / "4913").write_bytes(b"")
    (path.parent / "2024-09-20.md~").write_text("backup", encoding="utf-8")
    time.sleep(1.0)
    assert server.status()["version"] == version  # editors' temporary files are ignored

    temporary = path.with_name("2024-09-20.md.tmp")
    temporary.write_text(
        path.read_text(encoding="utf-8").replace("Regionens Hus", "Stadshuset"), encoding="utf-8"
    )
    os.replace(temporary, path)
    server.wait_for_version(version + 1)
    time.sleep(1.0)
    assert server.status()["version"] == version + 1
    assert "Stadshuset" in server.get(PAGE)[1]


def test_nothing_outside_the_site_can_be_read(server: Server) -> None:
    (server.root / "site/outside").symlink_to(server.root / "content")
    for path in (
        "/../content/site.yml",
        "/%2e%2e/content/site.yml",
        "/natverk/..%2f..%2fcontent%2fsite.yml",
        "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/outside/site.yml",
        "/natverk/%00/index.html",
    ):
        host, port = server.base.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.putrequest("GET", path, skip_host=False)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        assert response.status == 404, path
        assert "title: " not in body and "root:" not in body, path
    assert server.get("/natverk")[0] == 301
    assert server.get("/natverk/")[0] == 200


def test_port_in_use_moves_to_the_next_one(server: Server) -> None:
    taken = int(server.base.rsplit(":", 1)[1])
    second = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(taken)],
        cwd=server.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert second.stdout is not None
    try:
        first_lines = [second.stdout.readline() for _ in range(2)]
    finally:
        second.terminate()
        second.wait(timeout=10)
    assert f"Port {taken} is in use; serving on port {taken + 1} instead.\n" in first_lines


def test_ctrl_c_stops_cleanly(server: Server) -> None:
    import signal

    server.process.send_signal(signal.SIGINT)
    assert server.process.wait(timeout=10) == 0
    output = "\n".join(list(server.lines.queue))
    assert "Traceback" not in output


def test_after_a_rebuild_the_server_collects_garbage_and_freezes_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between edits the server collects garbage and freezes the model out of the collector's way,
    so the next rebuild does not pause to scan it; the rebuild after that is still correct. Only
    every FULL_SETTLE_EVERY-th time does it scan the frozen objects and tidy the memos."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    project = Project(tmp_path / "content", ROOT / "templates", tmp_path / "site")
    preview = Preview(project, include_drafts=True, root=tmp_path)
    preview.builder.options = replace(preview.builder.options, search=False)
    monkeypatch.setattr(session, "FULL_SETTLE_EVERY", 2)
    settles: list[bool] = []

    def settled(count: int) -> None:
        deadline = time.monotonic() + 15
        while preview._settles < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert preview._settles == count

    gc.unfreeze()
    try:
        first = preview.rebuild()
        assert first is not None and first.ok
        deadline = time.monotonic() + 15
        while gc.get_freeze_count() == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert gc.get_freeze_count() > 0
        preview.wait_idle()  # the background work is done
        meeting = tmp_path / MEETING
        meeting.write_text(meeting.read_text(encoding="utf-8") + "\nEtt tillägg efter frysningen.\n")
        second = preview.rebuild()
        assert second is not None and second.ok and PAGE in second.rendered
        assert (
            "Ett tillägg efter frysningen."
            in (tmp_path / "site" / PAGE.strip("/") / "index.html").read_text()
        )
        settled(2)
        monkeypatch.setattr(memory, "settle", lambda full=True: settles.append(full))
        for count in (3, 4, 5):
            preview.rebuild()
            settled(count)
        assert settles == [True, False, True]  # the first settle (full) and the second were real
    finally:
        gc.unfreeze()


def test_a_browser_hanging_up_is_not_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    """A reload can cut off an answer in the middle (BrokenPipeError in the handler's thread):
    the server says nothing about it, but still prints any other error."""
    server = serve._Server(("127.0.0.1", 0), preview=None)  # type: ignore[arg-type]
    try:
        hang_ups = [BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "reset")]
        for error in [*hang_ups, ValueError("bug")]:
            try:
                raise error
            except Exception:
                server.handle_error(None, ("127.0.0.1", 1))
    finally:
        server.server_close()
    printed = capsys.readouterr().err
    assert "BrokenPipeError" not in printed and "ConnectionResetError" not in printed
    assert "ValueError: bug" in printed
