"""The web editor's configuration (/admin/config.yml), made from the model and the validator's keys.

Decap CMS shows a form per network over the same Markdown files. Nothing here is written by hand:
the fields follow `validate.MEETING_KEYS` (and those of participants, attachments and corrections),
required where the validator requires, labelled from the string table; a new meeting starts from
what `new` would scaffold. tests/test_admin.py fails when a front-matter key has no field.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import yaml

from .agenda import BODY_PROMPT, item_headings, regular_participants
from .load import NETWORKS_DIR
from .model import PARTIES, ROLES, STATUSES, Network, Reuse, Site, made_anew
from .strings import UI, translate
from .validate import ATTACHMENT_KEYS, ATTENDANCE_WORDS, CORRECTION_KEYS, MEETING_KEYS, PARTICIPANT_KEYS

# The prebuilt bundle in templates/static/admin/, as the npm registry gave it (`npm pack`);
# LICENSE and decap-cms.js.LICENSE.txt lie beside it. tests/test_admin.py checks the digest.
DECAP_VERSION = "3.16.3"
DECAP_SHA256 = "7c1efd6b616b4786e279aeef194dd21649a72058d3bc8d1f78901b574610dfb8"
DECAP_BUNDLE = "admin/decap-cms.js"  # under templates/static/
ADMIN_SCRIPT = "admin/admin.js"  # our widgets and the `::: beslut` editor component
CONTENT_DIR = "content"  # the archive's folder in the repository (build.inputs.Project.at)
LOCAL_API = "/api/v1"  # the preview server's local back end (preview.backend)

_DATE = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False}
_OPTIONAL_DATE = {**_DATE, "default": ""}
_NAMES = {"widget": "list", "allow_add": True}
_DAY_PATTERN = [r"^\d{4}-\d{2}-\d{2}$", "ÅÅÅÅ-MM-DD"]
_TIME_PATTERN = [r"^\d{1,2}:\d{2}(\s*[-–]\s*\d{1,2}:\d{2})?$", "TT:MM eller TT:MM-TT:MM"]
_SLUG_PATTERN = [r"^[a-z0-9]+(-[a-z0-9]+)*$", "a-z, 0-9 och -"]

# Widgets of the meeting's keys; None: the key is the network's or the site's and filled in per
# collection (`_meeting_fields`). Every key of MEETING_KEYS needs an entry.
MEETING_WIDGETS: dict[str, dict[str, Any] | None] = {
    "title": {"widget": "string"},
    "date": _DATE,
    "time": {"widget": "string", "pattern": _TIME_PATTERN},
    "place": {"widget": "string"},
    "networks": None,
    "status": {"widget": "select", "options": list(STATUSES), "default": "utkast"},
    "adjusted_on": _OPTIONAL_DATE,
    "posted_on": _OPTIONAL_DATE,
    "corrections": None,
    "unpublished": {"widget": "string"},
    "chair": _NAMES,
    "secretary": {"widget": "string"},
    "adjusters": _NAMES,
    "participants": None,
    "municipalities": None,
    "next_meeting": {"widget": "string"},
    "attachments": None,
    "original": {"widget": "file", "choose_url": False},
    # A mapping of item numbers to true/false has no form widget: kept as written (the guide, § 3).
    "procedural": {"widget": "hidden"},
    "slug": {"widget": "string", "pattern": _SLUG_PATTERN},
    "aliases": _NAMES,
}
REQUIRED = frozenset({"date", "status"})  # what validate_meeting requires
PARTICIPANT_REQUIRED = frozenset({"name"})
ATTACHMENT_REQUIRED = frozenset({"file"})
CORRECTION_REQUIRED = frozenset({"date", "text"})


def _label(key: str, language: str, group: str = "") -> dict[str, str]:
    """The Swedish (or English) label and hint of a key, from the string table."""
    name = f"cms_{group}{key}"
    found = {"label": translate(name, language)}
    if f"{name}_hint" in UI:
        found["hint"] = translate(f"{name}_hint", language)
    return found


def _field(
    key: str, widget: dict[str, Any], language: str, required: bool, group: str = ""
) -> dict[str, Any]:
    return {"name": key, **_label(key, language, group), **widget, "required": required}


def _participant_fields(site: Site, network: Network, language: str) -> list[dict[str, Any]]:
    members = [slug for slug in network.members if slug in site.municipalities]
    others = sorted(set(site.municipalities) - set(members), key=lambda s: site.municipalities[s].name)
    widgets: dict[str, dict[str, Any]] = {
        "name": {"widget": "string"},
        "municipality": {
            "widget": "select",
            "options": [
                {"label": site.municipalities[slug].name, "value": slug} for slug in [*members, *others]
            ],
        },
        "organisation": {"widget": "string"},
        # Free-text roles (shown as written) stay as they are: the widget lists them too.
        "role": {"widget": "protokollarkiv-choice", "choices": [{"label": r, "value": r} for r in ROLES]},
        "party": {"widget": "select", "options": list(PARTIES)},
        "present": {
            "widget": "protokollarkiv-choice",
            "choices": [
                {"label": translate(f"cms_present_{value}", language), "value": value}
                for value in (True, False, None)
            ],
            "default": True,
        },
        "group": {"widget": "string"},
        "items": _NAMES,
        "recused": _NAMES,
    }
    return [
        _field(key, widgets[key], language, key in PARTICIPANT_REQUIRED, "participant_")
        for key in PARTICIPANT_KEYS
        if key in widgets
    ]


def _list(fields: list[dict[str, Any]], summary: str) -> dict[str, Any]:
    return {"widget": "list", "summary": summary, "fields": fields, "collapsed": True}


def _collection_widgets(site: Site, network: Network, language: str) -> dict[str, dict[str, Any]]:
    """The widgets that depend on the network and the site: selects of its places and people."""
    members = [slug for slug in network.members if slug in site.municipalities]
    return {
        "networks": {
            "widget": "select",
            "multiple": True,
            "options": [{"label": n.name, "value": n.slug} for n in site.networks.values()],
        },
        "corrections": _list(
            [
                _field(
                    k,
                    _DATE if k == "date" else {"widget": "text"},
                    language,
                    k in CORRECTION_REQUIRED,
                    "correction_",
                )
                for k in CORRECTION_KEYS
            ],
            "{{fields.date}}: {{fields.text}}",
        ),
        "participants": _list(
            _participant_fields(site, network, language), "{{fields.name}} ({{fields.role}})"
        ),
        "municipalities": {
            "widget": "object",
            "collapsed": True,
            "fields": [
                {
                    "name": slug,
                    "label": site.municipalities[slug].name,
                    "widget": "select",
                    "options": list(ATTENDANCE_WORDS),
                    "required": False,
                }
                for slug in members
            ],
        },
        "attachments": _list(
            [
                _field(
                    k,
                    {"widget": "file", "choose_url": False} if k == "file" else {"widget": "string"},
                    language,
                    k in ATTACHMENT_REQUIRED,
                    "attachment_",
                )
                for k in ATTACHMENT_KEYS
            ],
            "{{fields.title}} ({{fields.file}})",
        ),
    }


def _defaults(site: Site, network: Network) -> dict[str, Any]:
    """What `new` would scaffold for the meeting after the network's latest, as the form's
    starting values: its regulars, chair, secretary, place and time, the agenda numbered on."""
    own = [m for m in site.by_network.get(network.slug, ()) if m.primary_network == network.slug]
    latest = max(own, key=lambda m: m.date, default=None)
    after = latest.date + timedelta(days=1) if latest else date.min
    start = str(latest.time).split("-")[0].strip() if latest and latest.time else None
    body = "\n".join(
        f"{heading}\n\n{BODY_PROMPT}\n" for heading in item_headings(site, network, after, start)
    )
    found: dict[str, Any] = {"participants": regular_participants(latest, network), "body": body}
    if latest is not None:
        named = site.people.canonical  # one spelling per person (people.yml)
        secretary = named(latest.secretary) if latest.secretary else None
        found.update(chair=[named(n) for n in latest.chair], place=latest.place, secretary=secretary)
        found["time"] = str(latest.time) if latest.time else None
    return {key: value for key, value in found.items() if value}


def _meeting_fields(site: Site, network: Network, language: str) -> list[dict[str, Any]]:
    """A field per key of MEETING_KEYS (in its order), then the body."""
    per_network = _collection_widgets(site, network, language)
    defaults = _defaults(site, network)
    fields = []
    for key in MEETING_KEYS:
        widget = MEETING_WIDGETS.get(key, {}) or per_network.get(key)
        if widget is None:
            continue  # a key without a widget: the test of the configuration fails
        field = _field(key, widget, language, key in REQUIRED)
        if key in defaults:
            field["default"] = defaults[key]
        fields.append(field)
    body = {
        "widget": "markdown",
        "editor_components": ["beslut"],
        "sanitize_preview": True,
        "default": defaults["body"],
    }
    fields.append(_field("body", body, language, False))
    return fields


def _collection(site: Site, network: Network, language: str) -> dict[str, Any]:
    return {
        "name": network.slug,
        "label": network.short_name or network.name,
        "label_singular": translate("cms_meeting", language),
        "description": network.name,
        "folder": f"{CONTENT_DIR}/{NETWORKS_DIR}/{network.slug}",
        "create": True,
        "extension": "md",
        "format": "frontmatter",
        # The file is named for the meeting's day, in the folder of its year. Decap lower-cases
        # `path` and drops its quotes and dots, and applies no filter in a slug, so a `date('YYYY')`
        # filter gives an empty folder; `{{year}}` is the year of the collection's date field (the
        # meeting's, not the day it was entered), read as local midnight and taken in UTC.
        "slug": "{{fields.date}}",
        "path": "{{year}}/{{slug}}",
        # Attachments go to the meeting's folder: beside 2024/2024-09-20.md, in 2024/2024-09-20/.
        "media_folder": "{{filename}}",
        "public_folder": "",
        "summary": "{{fields.date}} – {{fields.title}}",
        "sortable_fields": ["date", "title"],
        "identifier_field": "date",
        "fields": _meeting_fields(site, network, language),
    }


def decap_config(site: Site) -> dict[str, Any]:
    """The whole configuration: the GitHub back end of site.yml with the editorial workflow, a
    collection per network. The preview server adds `local_backend` (see `with_local_backend`)."""
    language = site.config.language
    config: dict[str, Any] = {
        "backend": {
            "name": "github",
            "repo": site.config.cms_repo or "owner/name",
            "branch": site.config.cms_branch,
            "squash_merges": True,
        },
        "publish_mode": "editorial_workflow",
        "locale": language,
        "media_folder": f"{CONTENT_DIR}/{NETWORKS_DIR}",
        "public_folder": "",
        "search": False,
        "collections": [_collection(site, n, language) for n in site.networks.values()],
    }
    if site.config.base_url:
        config["site_url"] = config["display_url"] = site.config.base_url
    return config


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Writes a value that occurs twice twice, never as an anchor and an alias. libyaml's emitter
    where PyYAML has it (the same text, a fifth of the time: 0.05 s for 20 networks)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def config_yaml(site: Site) -> str:
    head = "# Made by Protokollarkiv from the archive's model at every build; do not edit.\n"
    text = yaml.dump(decap_config(site), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return head + text


def cms_config(site: Site, page: object, reuse: Reuse = made_anew) -> bytes:
    """The export renderer of /admin/config.yml (`feeds.RENDERERS`)."""
    return config_yaml(site).encode("utf-8")


def with_local_backend(text: str, origin: str) -> str:
    """The configuration the preview server answers: Decap's local back end at its own address."""
    return text + yaml.safe_dump({"local_backend": {"url": origin + LOCAL_API}}, sort_keys=False)
