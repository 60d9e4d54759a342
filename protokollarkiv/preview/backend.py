"""The web editor's local back end: Decap CMS's `local_backend` protocol, in the preview server.

What `decap-server` (packages/decap-server/src/middlewares/localFs) speaks, without Node: one JSON
endpoint, `POST /api/v1` with `{"action": …, "params": {…}}`. Paths are relative to the project
(the folder holding content/). It reads and writes only meeting files (`.md`) and their
attachments under content/networks/, through no `..`, hidden name or symbolic link leading out.
Every request is checked whole before anything is read or written: a refusal (`Refused`, a 4xx
with a message) leaves the disk as it was. Saving a meeting writes the file; the watcher rebuilds.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path, PurePosixPath
from typing import Any

MEETING_SUFFIX = ".md"
# What a meeting's folder may hold for the editor: documents, sheets, slides, pictures (no SVG,
# which can carry scripts), plain text and data.
ATTACHMENT_SUFFIXES = frozenset(
    ".pdf .doc .docx .odt .rtf .txt .xls .xlsx .ods .csv .ppt .pptx .odp .png .jpg .jpeg .gif .webp".split()
)
MAX_UPLOAD = 20 * 1024 * 1024  # bytes of one attachment
MAX_MEETING = 2 * 1024 * 1024  # bytes of one meeting file
MAX_REQUEST = 2 * MAX_UPLOAD  # bytes of one request (base64 makes 4 of 3)
NETWORKS = "networks"


@dataclass(frozen=True)
class Refused(Exception):
    """A request the back end does not carry out: its status and a message for the editor."""

    status: HTTPStatus
    message: str


def _bad(message: str) -> Refused:
    return Refused(HTTPStatus.BAD_REQUEST, message)


def _text(params: dict[str, Any], key: str) -> str:
    value = params.get(key)
    if not isinstance(value, str) or not value:
        raise _bad(f"'{key}' must be a non-empty string")
    return value


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class LocalBackend:
    """Answers the protocol's actions for the project at `root` (content/ beneath it)."""

    def __init__(self, root: Path, content: Path) -> None:
        self.root = root.resolve()
        self.content = content.resolve()
        self.networks = self.content / NETWORKS
        self._actions: dict[str, Callable[[dict[str, Any]], Any]] = {
            "info": self._info,
            "entriesByFolder": self._entries_by_folder,
            "entriesByFiles": self._entries_by_files,
            "getEntry": self._get_entry,
            "persistEntry": self._persist_entry,
            "getMedia": self._get_media,
            "getMediaFile": self._get_media_file,
            "persistMedia": self._persist_media,
            "deleteFile": self._delete_file,
            "deleteFiles": self._delete_files,
            "getDeployPreview": lambda params: None,
        }

    def answer(self, body: bytes) -> Any:
        """The JSON answer to one request's body; raises Refused."""
        try:
            request = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise _bad(f"the request is not JSON: {exc}") from None
        if not isinstance(request, dict):
            raise _bad("the request must be a JSON object")
        action = request.get("action")
        handler = self._actions.get(action) if isinstance(action, str) else None
        if handler is None:
            raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"Unknown action {action}")
        params = request.get("params", {})
        if params is None and action == "info":
            params = {}
        if not isinstance(params, dict):
            raise _bad("'params' must be a JSON object")
        return handler(params)

    # --- paths -----------------------------------------------------------------------------

    def _path(self, text: object, suffixes: frozenset[str] | None, folder: bool = False) -> Path:
        """The file (or folder) a request names, checked; `suffixes`: the kinds of file allowed."""
        if not isinstance(text, str) or not text:
            raise _bad("a path must be a non-empty string")
        if "\\" in text or "\0" in text or text.startswith("/"):
            raise Refused(HTTPStatus.FORBIDDEN, f"'{text[:200]}' is not a relative path inside content/")
        parts = PurePosixPath(text).parts
        if any(part in (".", "..") or part.startswith(".") for part in parts):
            raise Refused(HTTPStatus.FORBIDDEN, f"'{text[:200]}' leaves content/ or names a hidden file")
        target = self.root.joinpath(*parts)
        real = target.resolve()
        inside = self.networks if not folder else self.content
        if real != inside and inside not in real.parents:
            raise Refused(HTTPStatus.FORBIDDEN, f"'{text[:200]}' is outside content/{NETWORKS}/")
        if real != target or target.is_symlink():
            raise Refused(HTTPStatus.FORBIDDEN, f"'{text[:200]}' goes through a symbolic link")
        if suffixes is not None and real.suffix.lower() not in suffixes:
            allowed = " ".join(sorted(suffixes))
            raise Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"'{real.name}' is not a file of kind {allowed}")
        if suffixes is not None and (real.parent == self.networks or real.name == "network.yml"):
            raise Refused(HTTPStatus.FORBIDDEN, f"'{text[:200]}' is not a meeting file or attachment")
        return real

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def _meeting(self, text: object) -> Path:
        return self._path(text, frozenset({MEETING_SUFFIX}))

    def _attachment(self, text: object) -> Path:
        path = self._path(text, ATTACHMENT_SUFFIXES)
        if path.parent.parent == self.networks:
            raise Refused(HTTPStatus.FORBIDDEN, f"'{text}' is not in a meeting's folder")
        return path

    def _either(self, text: object) -> Path:
        suffix = PurePosixPath(text).suffix.lower() if isinstance(text, str) else ""
        return self._meeting(text) if suffix == MEETING_SUFFIX else self._attachment(text)

    # --- reading ---------------------------------------------------------------------------

    def _info(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}

    def _entry(self, path: Path, label: object = None) -> dict[str, Any]:
        file: dict[str, Any] = {"path": self._relative(path)}
        if isinstance(label, str):
            file["label"] = label
        try:
            data = path.read_bytes()
        except OSError:
            return {"data": None, "file": {**file, "id": None}}
        return {"data": data.decode("utf-8", "replace"), "file": {**file, "id": _sha256(data)}}

    def _entries_by_folder(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        folder = self._path(params.get("folder"), None, folder=True)
        extension = params.get("extension", "md")
        if extension not in ("md", ".md"):
            raise Refused(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"only meeting files (.md) are listed, not {extension}"
            )
        depth = params.get("depth", 1)
        if not isinstance(depth, int) or isinstance(depth, bool) or not 0 <= depth <= 20:
            raise _bad("'depth' must be a number from 0 to 20")
        return [self._entry(path) for path in self._listed(folder, {MEETING_SUFFIX}, depth)]

    def _listed(self, folder: Path, suffixes: set[str] | frozenset[str], depth: int) -> list[Path]:
        """The files of those kinds under `folder`, `depth` levels deep, no hidden or linked ones."""
        found: list[Path] = []
        if depth <= 0 or not folder.is_dir() or folder.is_symlink():
            return found
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.name.startswith(".") or entry.is_symlink():
                continue
            path = Path(entry.path)
            if entry.is_dir():
                found.extend(self._listed(path, suffixes, depth - 1))
            elif entry.is_file() and path.suffix.lower() in suffixes and self.networks in path.parents:
                found.append(path)
        return found

    def _entries_by_files(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        files = params.get("files")
        if not isinstance(files, list) or not all(isinstance(f, dict) for f in files):
            raise _bad("'files' must be a list of {path, label}")
        checked = [(self._meeting(f.get("path")), f.get("label")) for f in files]
        return [self._entry(path, label) for path, label in checked]

    def _get_entry(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._entry(self._meeting(params.get("path")))

    def _media_file(self, path: Path) -> dict[str, Any]:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise Refused(
                HTTPStatus.NOT_FOUND, f"cannot read '{self._relative(path)}': {exc.strerror}"
            ) from None
        return {
            "id": _sha256(data),
            "content": base64.b64encode(data).decode("ascii"),
            "encoding": "base64",
            "path": self._relative(path),
            "name": path.name,
        }

    def _get_media(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        folder = self._path(params.get("mediaFolder"), None, folder=True)
        return [self._media_file(path) for path in self._listed(folder, ATTACHMENT_SUFFIXES, 1)]

    def _get_media_file(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._media_file(self._attachment(params.get("path")))

    # --- writing ---------------------------------------------------------------------------

    def _asset(self, asset: object) -> tuple[Path, bytes]:
        """An uploaded attachment, checked and decoded (nothing written yet)."""
        if not isinstance(asset, dict):
            raise _bad("an asset must be {path, content, encoding}")
        path = self._attachment(asset.get("path"))
        if asset.get("encoding") != "base64" or not isinstance(asset.get("content"), str):
            raise _bad("an asset's content must be a base64 string (encoding: base64)")
        if len(asset["content"]) > MAX_UPLOAD * 4 // 3 + 4:
            raise Refused(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"'{path.name}' is larger than {MAX_UPLOAD // 2**20} MiB"
            )
        try:
            data = base64.b64decode(asset["content"], validate=True)
        except (binascii.Error, ValueError):
            raise _bad(f"the content of '{path.name}' is not base64") from None
        if len(data) > MAX_UPLOAD:
            raise Refused(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"'{path.name}' is larger than {MAX_UPLOAD // 2**20} MiB"
            )
        return path, data

    def _data_file(self, file: object) -> tuple[Path, bytes, Path | None]:
        if not isinstance(file, dict) or not isinstance(file.get("raw"), str):
            raise _bad("an entry must be {slug, path, raw, newPath}")
        path = self._meeting(file.get("path"))
        moved = self._meeting(file["newPath"]) if file.get("newPath") else None
        data = file["raw"].encode("utf-8", "surrogatepass")
        if len(data) > MAX_MEETING:
            raise Refused(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"'{path.name}' is larger than {MAX_MEETING // 2**20} MiB",
            )
        return path, data, moved

    def _persist_entry(self, params: dict[str, Any]) -> dict[str, str]:
        files = params.get("dataFiles") if params.get("dataFiles") is not None else [params.get("entry")]
        if not isinstance(files, list) or not files:
            raise _bad("'entry' or 'dataFiles' must give the meeting file")
        assets = params.get("assets", [])
        if not isinstance(assets, list):
            raise _bad("'assets' must be a list")
        checked = [self._data_file(f) for f in files]
        uploads = [self._asset(a) for a in assets]
        for path, data, _ in checked:
            _write(path, data)
        for path, data in uploads:
            _write(path, data)
        for path, _, moved in checked:
            if moved is not None and moved != path:
                _move(path, moved)
        return {"message": "entry persisted"}

    def _persist_media(self, params: dict[str, Any]) -> dict[str, Any]:
        path, data = self._asset(params.get("asset"))
        _write(path, data)
        return self._media_file(path)

    def _delete_file(self, params: dict[str, Any]) -> dict[str, str]:
        path = self._either(params.get("path"))
        path.unlink(missing_ok=True)
        return {"message": f"deleted file {self._relative(path)}"}

    def _delete_files(self, params: dict[str, Any]) -> dict[str, str]:
        paths = params.get("paths")
        if not isinstance(paths, list):
            raise _bad("'paths' must be a list")
        checked = [self._either(p) for p in paths]
        for path in checked:
            path.unlink(missing_ok=True)
        return {"message": f"deleted files {', '.join(self._relative(p) for p in checked)}"}


def _write(path: Path, data: bytes) -> None:
    """Write through a temporary file and `os.replace`: the watcher never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _move(old: Path, new: Path) -> None:
    """A meeting renamed (its date changed): the file, and its attachments' folder with it."""
    new.parent.mkdir(parents=True, exist_ok=True)
    os.replace(old, new)
    folder, target = old.with_suffix(""), new.with_suffix("")
    if folder.is_dir() and not target.exists():
        os.replace(folder, target)
