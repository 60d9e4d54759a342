"""The web editor: the vendored Decap CMS, its configuration made from the validator's keys, the
preview server's local back end, the /admin/ headers, and the form in real Chromium."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Page, expect

from protokollarkiv import cms, validate
from protokollarkiv.build.builder import Project, check
from protokollarkiv.preview.backend import MAX_UPLOAD, LocalBackend, Refused

from . import test_serve
from .conftest import ROOT, MiniProject, run_cli
from .test_serve import Server

server = test_serve.server  # the preview server over a copy of the sample archive (a fixture)

BUNDLE = ROOT / "templates/static/admin/decap-cms.js"
SEED = "content/networks/skolchefer-skaraborg/2024/2024-09-20.md"
SEEDS = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "content/networks").rglob("*.md"))


# --- the bundle and the configuration -------------------------------------------------------


def test_the_bundle_is_the_pinned_release_with_its_licences() -> None:
    assert hashlib.sha256(BUNDLE.read_bytes()).hexdigest() == cms.DECAP_SHA256
    assert b"decap-cms-app " + cms.DECAP_VERSION.encode() in BUNDLE.read_bytes()
    assert "MIT License" in (BUNDLE.parent / "LICENSE").read_text(encoding="utf-8")
    assert (BUNDLE.parent / "decap-cms.js.LICENSE.txt").stat().st_size > 1000


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    site = check(Project.at(ROOT)).site
    assert site is not None
    return yaml.safe_load(cms.config_yaml(site))  # type: ignore[no-any-return]


def _names(fields: list[dict[str, Any]]) -> list[str]:
    return [f["name"] for f in fields]


def _field(fields: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(f for f in fields if f["name"] == name)


def form_problems(config: dict[str, Any]) -> list[str]:
    """What the configuration lacks against the validator's keys (empty: nothing)."""
    problems = []
    for collection in config["collections"]:
        fields = collection["fields"]
        if _names(fields) != [*validate.MEETING_KEYS, "body"]:
            problems.append(f"{collection['name']}: {_names(fields)} != MEETING_KEYS + body")
            continue
        for key, keys in (
            ("participants", validate.PARTICIPANT_KEYS),
            ("attachments", validate.ATTACHMENT_KEYS),
            ("corrections", validate.CORRECTION_KEYS),
        ):
            if _names(_field(fields, key)["fields"]) != list(keys):
                problems.append(f"{collection['name']}.{key}: {_names(_field(fields, key)['fields'])}")
    return problems


def test_every_front_matter_key_has_a_form_field(config: dict[str, Any]) -> None:
    assert form_problems(config) == []


def test_a_new_key_without_a_field_fails_the_comparison(
    config: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validate, "MEETING_KEYS", (*validate.MEETING_KEYS, "venue"))
    monkeypatch.setattr(validate, "PARTICIPANT_KEYS", (*validate.PARTICIPANT_KEYS, "recused"))
    assert len(form_problems(config)) == len(config["collections"])


def test_the_configuration_follows_the_model(config: dict[str, Any]) -> None:
    site = check(Project.at(ROOT)).site
    assert site is not None
    assert config["backend"] == {
        "name": "github",
        "repo": "protokollarkiv/protokollarkiv",
        "branch": "main",
        "squash_merges": True,
    }
    assert config["publish_mode"] == "editorial_workflow"
    assert "local_backend" not in config  # only the preview server's answer has it
    assert [c["name"] for c in config["collections"]] == list(site.networks)
    skaraborg = next(c for c in config["collections"] if c["name"] == "skolchefer-skaraborg")
    assert skaraborg["folder"] == "content/networks/skolchefer-skaraborg"
    assert skaraborg["path"] == "{{year}}/{{slug}}"
    fields = skaraborg["fields"]
    assert {f["name"] for f in fields if f["required"]} == {"date", "status"}
    assert _field(fields, "date")["label"] == "Datum"
    people = _field(fields, "participants")["fields"]
    municipality = _field(people, "municipality")
    assert {o["value"]: o["label"] for o in municipality["options"]} == {
        slug: m.name for slug, m in site.municipalities.items()
    }
    assert _field(people, "name")["required"] is True
    assert [c["value"] for c in _field(people, "present")["choices"]] == [True, False, None]
    assert "beslutande" in [c["value"] for c in _field(people, "role")["choices"]]
    # A new meeting starts from what `new` scaffolds: the regulars, the numbering continued.
    regulars = _field(fields, "participants")["default"]
    assert {"name": "Anneli Alm", "municipality": "falkoping", "role": "beslutande"} in regulars
    assert not any(p.get("items") for p in regulars)
    assert _field(fields, "body")["default"].startswith("## § 111 Mötets öppnande")
    assert _field(fields, "body")["editor_components"] == ["beslut"]


def test_site_yml_cms_is_validated(mini: MiniProject) -> None:
    from .conftest import MINI_SITE

    project = mini({"site.yml": MINI_SITE + "cms:\n  repo: not a repo\n  branch: a..b\n  bot: 1\n"})
    lines = check(project).diagnostics.format()
    assert any("'repo' must name a GitHub repository as owner/name: 'not a repo'" in line for line in lines)
    assert any("'branch' is not a git branch name: 'a..b'" in line for line in lines)
    assert any("unknown key 'bot'" in line for line in lines)


# --- the built /admin/ and its headers ------------------------------------------------------


def test_admin_is_built_noindex_outside_the_sitemap_and_unlinked(sample_output: Path) -> None:
    page = (sample_output / "admin/index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in page
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert [s.rsplit("/", 1)[1].split(".")[0] for s in scripts] == ["decap-cms", "admin"]
    assert all(s.startswith("/static/admin/") for s in scripts)  # from the site, never a CDN
    assert (sample_output / scripts[0].lstrip("/")).read_bytes() == BUNDLE.read_bytes()
    assert yaml.safe_load((sample_output / "admin/config.yml").read_text(encoding="utf-8"))["collections"]
    assert "/admin/" not in (sample_output / "sitemap.xml").read_text(encoding="utf-8")
    for other in sample_output.rglob("*.html"):
        if "admin" not in other.relative_to(sample_output).parts:
            # the writing guide names the address as text; no public page links to it
            assert not re.search(r'href="[^"]*/admin/', other.read_text(encoding="utf-8")), other


NETLIFY = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))


def netlify_headers(path: str) -> dict[str, str]:
    """What Netlify sends for `path`: the headers of every rule whose path matches, the values of
    a header given by several rules joined with a comma (as a browser reads two policies)."""
    headers: dict[str, str] = {}
    for rule in NETLIFY["headers"]:
        pattern = "^" + re.escape(rule["for"]).replace(r"\*", ".*") + "$"
        if re.match(pattern, path):
            for name, value in rule["values"].items():
                headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def test_admin_has_its_own_policy_and_every_other_file_the_strict_one(sample_output: Path) -> None:
    strict = netlify_headers("/natverk/x/2024-09-20/")["Content-Security-Policy"]
    assert "'unsafe-eval'" not in strict and "'unsafe-inline'" not in strict
    urls = ["/", "/admin/", "/admin/config.yml"]
    urls += ["/" + p.relative_to(sample_output).as_posix() for p in sample_output.rglob("*") if p.is_file()]
    for url in urls:
        if url == "/_redirects":
            continue  # read by Netlify, never served
        headers = netlify_headers(url)
        if url.startswith("/admin/"):
            policy = headers["Content-Security-Policy"]
            assert (
                "script-src 'self' 'unsafe-eval';" in policy and "style-src 'self' 'unsafe-inline';" in policy
            )
            assert (
                "frame-ancestors 'none'" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
            )
            assert headers["Cross-Origin-Opener-Policy"] == "same-origin-allow-popups"
        else:
            assert headers.get("Content-Security-Policy") == strict, url
            assert headers.get("Cross-Origin-Opener-Policy") == "same-origin", url


# --- the local back end ---------------------------------------------------------------------


@pytest.fixture
def backend(tmp_path: Path) -> LocalBackend:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    (tmp_path / "secret.txt").write_text("not for the editor", encoding="utf-8")
    return LocalBackend(tmp_path, tmp_path / "content")


def ask(backend: LocalBackend, action: str, **params: Any) -> Any:
    return backend.answer(json.dumps({"action": action, "params": {"branch": "main", **params}}).encode())


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_info_and_reading_entries(backend: LocalBackend) -> None:
    assert backend.answer(b'{"action": "info"}') == {
        "repo": backend.root.name,
        "publish_modes": ["simple"],
        "type": "local_fs",
    }
    listed = ask(
        backend, "entriesByFolder", folder="content/networks/skolchefer-skaraborg", extension="md", depth=2
    )
    assert [e["file"]["path"] for e in listed] == [SEED]
    text = (backend.root / SEED).read_bytes()
    assert listed[0] == {
        "data": text.decode(),
        "file": {"path": SEED, "id": hashlib.sha256(text).hexdigest()},
    }
    assert ask(backend, "getEntry", path=SEED) == listed[0]
    both = ask(backend, "entriesByFiles", files=[{"path": SEED, "label": "x"}, {"path": SEED[:-3] + "x.md"}])
    assert both[0]["file"]["label"] == "x" and both[1] == {
        "data": None,
        "file": {"path": SEED[:-3] + "x.md", "id": None},
    }
    assert ask(backend, "getDeployPreview", collection="x", slug="y") is None


def test_persisting_an_entry_with_an_attachment_and_moving_it(backend: LocalBackend) -> None:
    new = "content/networks/skolchefer-skaraborg/2025/2025-01-10.md"
    pdf = b"%PDF-1.4 bilaga"
    answer = ask(
        backend,
        "persistEntry",
        dataFiles=[{"slug": "2025-01-10", "path": new, "raw": "---\ndate: 2025-01-10\n---\n"}],
        assets=[
            {
                "path": new[:-3] + "/bilaga.pdf",
                "content": base64.b64encode(pdf).decode(),
                "encoding": "base64",
            }
        ],
        options={"commitMessage": "Skapa", "useWorkflow": False, "status": ""},
    )
    assert answer == {"message": "entry persisted"}
    assert (backend.root / new).read_text(encoding="utf-8") == "---\ndate: 2025-01-10\n---\n"
    assert (backend.root / new[:-3] / "bilaga.pdf").read_bytes() == pdf
    media = ask(backend, "getMedia", mediaFolder=new[:-3])
    assert [(m["name"], base64.b64decode(m["content"])) for m in media] == [("bilaga.pdf", pdf)]
    assert (
        ask(backend, "getMediaFile", path=new[:-3] + "/bilaga.pdf")["id"] == hashlib.sha256(pdf).hexdigest()
    )
    moved = new.replace("2025-01-10", "2025-01-11")
    ask(
        backend,
        "persistEntry",
        entry={"slug": "x", "path": new, "raw": "---\ndate: 2025-01-11\n---\n", "newPath": moved},
        assets=[],
        options={"commitMessage": "Flytta", "useWorkflow": False, "status": ""},
    )
    assert not (backend.root / new).exists() and (backend.root / moved[:-3] / "bilaga.pdf").exists()
    uploaded = ask(
        backend,
        "persistMedia",
        asset={
            "path": moved[:-3] + "/b.txt",
            "content": base64.b64encode(b"b").decode(),
            "encoding": "base64",
        },
        options={"commitMessage": "m"},
    )
    assert uploaded["name"] == "b.txt" and (backend.root / moved[:-3] / "b.txt").read_bytes() == b"b"
    ask(backend, "deleteFile", path=moved[:-3] + "/b.txt", options={"commitMessage": "d"})
    ask(backend, "deleteFiles", paths=[moved, moved[:-3] + "/bilaga.pdf"], options={"commitMessage": "d"})
    assert not (backend.root / moved).exists() and not (backend.root / moved[:-3] / "bilaga.pdf").exists()


BIG = base64.b64encode(b"x" * (MAX_UPLOAD + 1)).decode()
REFUSALS = [
    (b"{not json", 400, "not JSON"),
    (b"[1]", 400, "JSON object"),
    (json.dumps({"action": "rmrf", "params": {}}).encode(), 422, "Unknown action rmrf"),
    (json.dumps({"action": "getEntry", "params": {"path": "content/../secret.txt"}}).encode(), 403, "leaves"),
    (json.dumps({"action": "getEntry", "params": {"path": "/etc/passwd"}}).encode(), 403, "relative"),
    (json.dumps({"action": "getEntry", "params": {"path": "content/site.yml"}}).encode(), 403, "outside"),
    (
        json.dumps({"action": "getEntry", "params": {"path": "content/networks/x/link.md"}}).encode(),
        403,
        "link",
    ),
    (
        json.dumps(
            {"action": "persistEntry", "params": {"entry": {"path": "secret.md", "raw": "x"}, "assets": []}}
        ).encode(),
        403,
        "outside",
    ),
    (
        json.dumps(
            {
                "action": "persistEntry",
                "params": {"entry": {"path": SEED[:-3] + ".html", "raw": "<script>"}, "assets": []},
            }
        ).encode(),
        415,
        "not a file of kind",
    ),
    (
        json.dumps(
            {
                "action": "persistMedia",
                "params": {
                    "asset": {"path": SEED[:-3] + "/x.svg", "content": "PHN2Zz4=", "encoding": "base64"}
                },
            }
        ).encode(),
        415,
        "not a file of kind",
    ),
    (
        json.dumps(
            {
                "action": "persistMedia",
                "params": {"asset": {"path": SEED[:-3] + "/x.pdf", "content": BIG, "encoding": "base64"}},
            }
        ).encode(),
        413,
        "larger than 20 MiB",
    ),
    (
        json.dumps(
            {
                "action": "persistEntry",
                "params": {
                    "entry": {"path": SEED, "raw": "changed"},
                    "assets": [{"path": "content/networks/network.pdf", "content": "", "encoding": "base64"}],
                },
            }
        ).encode(),
        403,
        "",
    ),
    (
        json.dumps(
            {"action": "deleteFile", "params": {"path": "content/networks/skolchefer-skaraborg/network.yml"}}
        ).encode(),
        415,
        "",
    ),
]


@pytest.mark.parametrize(("body", "status", "message"), REFUSALS)
def test_the_back_end_refuses_without_touching_the_disk(
    backend: LocalBackend, body: bytes, status: int, message: str
) -> None:
    outside = backend.root / "elsewhere.md"
    outside.write_text("---\n---\n", encoding="utf-8")
    (backend.content / "networks/x").mkdir()
    (backend.content / "networks/x/link.md").symlink_to(outside)
    before = snapshot(backend.root)
    with pytest.raises(Refused) as refused:
        backend.answer(body)
    assert refused.value.status == status and message in refused.value.message
    assert snapshot(backend.root) == before


# --- the preview server and the form in Chromium ------------------------------------------


def post(server: Server, body: bytes, **headers: str) -> tuple[int, Any]:
    import http.client

    host, port = server.base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    sent = {"Content-Type": "application/json", "Origin": server.base, **headers}
    connection.request("POST", "/api/v1", body, {k: v for k, v in sent.items() if v})
    response = connection.getresponse()
    answer = json.loads(response.read())
    connection.close()
    return response.status, answer


@pytest.mark.slow
def test_the_preview_server_answers_the_protocol_only_from_its_own_pages(server: Server) -> None:
    before = snapshot(server.root / "content")
    status, answer = post(server, b'{"action": "info"}')
    assert status == 200 and answer["type"] == "local_fs"
    assert post(server, b'{"action": "info"}', Origin="https://evil.example")[0] == 403
    assert post(server, b'{"action": "info"}', Origin="")[0] == 403
    assert post(server, b'{"action": "info"}', **{"Content-Type": "text/plain"})[0] == 415
    assert post(server, b"{", Origin=server.base)[0] == 400
    assert snapshot(server.root / "content") == before
    config = yaml.safe_load(server.get("/admin/config.yml")[1])
    assert config["local_backend"] == {"url": server.base + "/api/v1"}
    assert "livereload" not in server.get("/admin/")[1]


def mote(server: Server, meeting: str) -> dict[str, Any]:
    network, _, name = meeting.removeprefix("content/networks/").partition("/")
    return json.loads(server.get(f"/natverk/{network}/{Path(name).stem}/mote.json")[1])  # type: ignore[no-any-return]


def save(page: Page, server: Server, meeting: str) -> None:
    """Publish the open entry; returns once the file changed and the site is rebuilt with it."""
    path = server.root / meeting
    before = path.read_bytes() if path.exists() else b""
    version = int(server.status()["version"])  # type: ignore[call-overload]
    page.get_by_role("button", name="Publicera", exact=True).click()
    page.get_by_text("Publicera nu").click()
    server.wait_for(lambda: path.exists() and path.read_bytes() != before, f"{meeting} saved")
    server.wait_for(lambda: int(server.status()["version"]) > version, "the rebuild")  # type: ignore[call-overload]


def open_entry(page: Page, server: Server, meeting: str, place: str) -> None:
    """Open the meeting's form; returns once it shows the meeting (the place it has on disk)."""
    network, _, name = meeting.removeprefix("content/networks/").partition("/")
    page.goto(f"{server.base}/admin/#/collections/{network}/entries/{name.removesuffix('.md')}")
    page.reload()  # a new hash alone keeps the last form's fields
    expect(page.locator("input[id^='place-field']")).to_have_value(place)


def login(page: Page, server: Server) -> None:
    page.goto(server.base + "/admin/")
    page.get_by_role("button", name="Logga in").click()
    page.get_by_text("Skolchefer Skaraborg").first.wait_for()


@pytest.mark.slow
def test_editing_seeds_in_the_form_keeps_their_facts(server: Server, page: Page) -> None:
    """Item 5: each seed saved through the form (place changed, then changed back) gives the
    same mote.json; and a changed place changes nothing else. The formatting Decap writes is
    reported in the README (comments and one-line participants are lost)."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, server)
    originals = {meeting: mote(server, meeting) for meeting in SEEDS}
    for meeting, original in originals.items():
        open_entry(page, server, meeting, original["place"])
        page.locator("input[id^='place-field']").fill("Stadshuset, sal 2")
        save(page, server, meeting)
        changed = mote(server, meeting)
        # the place, and the seal's digest of the facts (of which the place is one)
        assert {k for k in original if original[k] != changed.get(k)} == {"place", "digest"}, meeting
        assert changed["place"] == "Stadshuset, sal 2"
    page.reload()  # the form as a secretary finds it the next day: read again from the files
    for meeting, original in originals.items():
        open_entry(page, server, meeting, "Stadshuset, sal 2")
        page.locator("input[id^='place-field']").fill(original["place"])
        save(page, server, meeting)
        assert mote(server, meeting) == original, meeting
    assert server.status()["errors"] == []
    assert errors == []


NEW = "content/networks/chefsgrupp-skola-orebro/2025/2025-02-14.md"  # the year folder from the date
PEOPLE = [("Anna Berg", "Kumla", "kumla"), ("Bo Ek", "Nora", "nora"), ("Cecilia Dahl", "Örebro", "orebro")]
BODY = ["## 1. Skolskjuts", "", "Nätverket gick igenom läget.", "", "::: beslut", "Ordna skolskjuts.", ":::"]


def preview_shows(page: Page, text: str) -> None:
    """Returns once the preview pane, drawn from the entry as Decap holds it, shows `text`:
    the form's last change has reached the entry before the next one is made."""
    expect(page.frame_locator("iframe").first.locator("body")).to_contain_text(text)


def add_participants(page: Page, people: list[tuple[str, str, str]]) -> None:
    """Empty the participant list (a new meeting starts with the regulars) and add `people`,
    each one's municipality chosen from the select."""
    items = page.locator("[id^='participants-field']").first
    remove = items.locator("button:has(path[d^='M11.916'])")  # an item's ×, which has no name
    while remove.count():
        count = remove.count()
        remove.first.click()
        expect(remove).to_have_count(count - 1)
    for name, municipality, _ in people:
        page.get_by_role("button", name="Add deltagare").click()
        page.locator("input[id^='name-field']").last.fill(name)
        preview_shows(page, name)
        page.locator("input[id^='municipality-field']").last.click()
        page.get_by_role("option", name=municipality, exact=True).click()
        page.locator("select[id^='role-field']").last.select_option(label="beslutande")
        preview_shows(page, f"{name}{municipality.lower().replace('ö', 'o')}beslutande")


def write_body(page: Page, lines: list[str]) -> None:
    """Replace the scaffolded agenda with `lines`, typed in the editor's Markdown mode."""
    page.get_by_role("switch").last.click()  # Rich Text -> Markdown
    page.get_by_role("textbox").last.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Backspace")
    for line in lines:
        page.keyboard.insert_text(line)
        page.keyboard.press("Enter")
    page.get_by_role("switch").last.click()  # back to Rich Text


def attach(page: Page, file: Path, title: str) -> None:
    """Upload `file` through the attachments list's file widget and give it a title."""
    attachments = page.locator("[id^='attachments-field']").first
    page.get_by_role("button", name="Add bilagor").click()
    attachments.get_by_role("button", name="Välj en fil").click()
    page.locator("input[type=file]").set_input_files(file)
    page.get_by_role("button", name="Välj markerad").click()
    expect(page.get_by_role("button", name="Välj markerad")).to_be_hidden()
    expect(attachments).to_contain_text(file.name)
    attachments.locator("input[id^='title-field']").fill(title)
    preview_shows(page, file.name)


@pytest.mark.slow
def test_a_new_meeting_made_in_the_form_is_filed_checked_and_served(
    server: Server, page: Page, tmp_path: Path
) -> None:
    """The form from /admin/ to the served page: a new meeting with three participants from the
    municipality select, one item with a `::: beslut` decision and an uploaded attachment."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, server)
    page.get_by_role("link", name="Chefsgrupp skola Örebro").click()
    page.get_by_role("link", name="Skapa ett inlägg av typen protokoll").click()
    page.locator("input[type=date][id^='date-field']").fill("2025-02-14")
    page.locator("input[id^='place-field']").fill("Örebro slott")
    preview_shows(page, "Örebro slott")
    add_participants(page, PEOPLE)
    write_body(page, BODY)
    # the decision is the `beslut` editor component (admin.js) in the rich-text view
    expect(page.locator("textarea[id^='text-field']")).to_have_value("Ordna skolskjuts.")
    upload = tmp_path / "budget.txt"
    upload.write_text("Budgeten för skolskjuts 2025.\n", encoding="utf-8")
    attach(page, upload, "Budget 2025")
    save(page, server, NEW)

    path = server.root / NEW
    front, body = path.read_text(encoding="utf-8").removeprefix("---\n").split("\n---\n", 1)
    assert yaml.safe_load(front) == {
        "date": date(2025, 2, 14),
        "place": "Örebro slott",
        "status": "utkast",
        "participants": [
            {"name": name, "municipality": slug, "role": "beslutande", "present": True}
            for name, _, slug in PEOPLE
        ],
        "attachments": [{"file": "budget.txt", "title": "Budget 2025"}],  # beside the meeting
    }  # no `adjusted_on: ""` for the empty dates (admin.js drops empty values)
    assert body.strip() == "\n".join(BODY).strip()
    assert (path.with_suffix("") / "budget.txt").read_bytes() == upload.read_bytes()

    checked = run_cli("check", cwd=server.root)
    report = checked.stdout + checked.stderr
    assert checked.returncode == 0 and ": error:" not in report and "0 errors" in report, report

    status, html = server.get("/natverk/chefsgrupp-skola-orebro/2025-02-14/")
    assert status == 200
    for name, _, _ in PEOPLE:  # each on the participant list, linked to their person page
        assert re.search(rf'<th scope="row"><a href="/person/[a-z-]+/">{name}</a></th>', html), name
    assert '<a href="/natverk/chefsgrupp-skola-orebro/2025-02-14/budget.txt">Budget 2025</a>' in html
    assert server.get("/natverk/chefsgrupp-skola-orebro/2025-02-14/budget.txt")[0] == 200
    assert "Ordna skolskjuts." in html
    assert server.status()["errors"] == []
    assert errors == []


@pytest.mark.slow
def test_axe_on_admin_is_reported_not_enforced(server: Server, page: Page) -> None:
    """axe on /admin/ is information only (Decap is a third-party app): the violations on the
    collection list and on a meeting's form are printed (`pytest -s`), never a failure."""
    from axe_playwright_python.sync_playwright import Axe

    from .test_accessibility import WCAG_TAGS

    login(page, server)
    found: dict[str, list[str]] = {}
    for view in ("list", "form"):
        if view == "form":
            open_entry(page, server, SEED, "Regionens Hus")
        response = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}}).response
        found[view] = [
            f"{v['id']} ({v['impact']}, {len(v['nodes'])}×): {v['help']}" for v in response["violations"]
        ]
    print("\naxe on /admin/ (informative):")
    for view, violations in found.items():
        print(f"  {view}: {len(violations)} rules violated")
        for line in violations:
            print(f"    {line}")


def test_the_editor_writes_only_for_this_machine() -> None:
    """`serve --host 0.0.0.0` opens the preview to the network; the back end still refuses any
    request that does not come from a loopback address, whatever its Origin and Host headers say."""
    from protokollarkiv.preview.http import local_client

    assert local_client("127.0.0.1") and local_client("127.8.9.1") and local_client("::1")
    assert local_client("::ffff:127.0.0.1")
    assert not local_client("192.168.1.20") and not local_client("10.0.0.1")
    assert not local_client("::ffff:192.168.1.20") and not local_client("fe80::1") and not local_client("")
