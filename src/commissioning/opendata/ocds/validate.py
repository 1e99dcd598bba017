"""Validate OCDS release and record packages offline with ``libcoveocds`` (LAW-1, LAW-2, PRO-9).

How it stays offline:

* the core schema and codelists come from ``shared/data/ocds/standard-1__1__5-schema.zip``
  (``config["standard_zip"] = "file://..."``);
* ``libcoveocds`` fetches extension files through ``ocdsextensionregistry.util.session`` (a
  ``requests`` session; for GitHub-hosted extensions it downloads the repository archive ZIP).
  While a validation runs, that session's ``http://`` and ``https://`` transport adapters are
  replaced by :class:`LocalExtensionAdapter`, which answers the canonical extension URLs and their
  archive URLs from ``shared/data/ocds/extensions/`` and refuses every other URL with a
  ``ConnectionError`` — so nothing can reach the network, and an undeclared or unknown extension
  shows up as an invalid extension (an error) instead of being fetched.
"""

from __future__ import annotations

import io
import json
import tempfile
import threading
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import requests
from libcoveocds.common_checks import common_checks_ocds
from libcoveocds.config import LibCoveOCDSConfig
from libcoveocds.lib.api import context_api_transform
from libcoveocds.schema import SchemaOCDS
from ocdsextensionregistry.util import session as registry_session
from requests.adapters import HTTPAdapter
from urllib3.response import HTTPResponse

from commissioning.opendata.ocds import extensions as ext

_LOCK = threading.Lock()


class OfflineError(requests.ConnectionError):
    """Raised for any URL that is not one of the locally served extension files."""


class LocalExtensionAdapter(HTTPAdapter):
    """A requests transport adapter serving extension files from local folders.

    ``folders`` maps an extension's base URL (its ``extension.json`` URL minus the file name) to
    the folder holding its files; ``archives`` maps the GitHub archive URL that
    ``ocdsextensionregistry`` downloads (``https://github.com/<owner>/<repo>/archive/<ref>.zip``)
    to the same folder, answered with a ZIP built in memory. Unknown files inside a known
    extension answer 404 (as GitHub would); any other URL raises :class:`OfflineError`.
    """

    def __init__(self, folders: Mapping[str, Path], archives: Mapping[str, Path]) -> None:
        super().__init__()
        self.folders = dict(folders)
        self.archives = dict(archives)

    def _body(self, url: str) -> bytes | None:
        clean = urlsplit(url)._replace(query="", fragment="").geturl()
        if clean in self.archives:
            return _zip_folder(self.archives[clean], clean)
        for base, folder in self.folders.items():
            if clean.startswith(base):
                path = (folder / unquote(clean[len(base) :])).resolve()
                inside = path.is_relative_to(folder.resolve())
                return path.read_bytes() if inside and path.is_file() else None
        raise OfflineError(f"offline validation refuses to fetch {url}")

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        body = self._body(request.url or "")
        status = 200 if body is not None else 404
        content = body or b""
        raw = HTTPResponse(
            body=io.BytesIO(content),
            status=status,
            reason="OK" if status == 200 else "Not Found",
            headers={"Content-Length": str(len(content))},
            preload_content=False,
            decode_content=False,
        )
        return self.build_response(request, raw)


def _zip_folder(folder: Path, url: str) -> bytes:
    """A GitHub-style archive: one top-level directory entry first, then the files under it."""
    top = url.rstrip("/").split("/")[-1].removesuffix(".zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{folder.name}-{top}/", b"")
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.write(path, f"{folder.name}-{top}/{path.relative_to(folder).as_posix()}")
    return buffer.getvalue()


def _archive_url(extension_url: str) -> str:
    """``https://raw.githubusercontent.com/O/R/REF/extension.json`` -> GitHub archive URL."""
    owner, repo, ref = urlsplit(extension_url).path.strip("/").split("/")[:3]
    return f"https://github.com/{owner}/{repo}/archive/{ref}.zip"


def local_extension_adapter() -> LocalExtensionAdapter:
    """An adapter serving every extension that our packages declare from ``shared/``."""
    folders = {
        url.removesuffix("extension.json"): ext.extension_base_dir(url)
        for url in ext.EXTENSION_FOLDERS
    }
    archives = {_archive_url(url): ext.extension_base_dir(url) for url in ext.EXTENSION_FOLDERS}
    return LocalExtensionAdapter(folders, archives)


@contextmanager
def offline_extensions(session: requests.Session | None = None) -> Iterator[None]:
    """Serve the declared extensions from disk on ``session`` and block all other requests.

    The session's previous adapters are restored afterwards.
    """
    if session is None:
        session = registry_session
    adapter = local_extension_adapter()
    with _LOCK:
        saved = dict(session.adapters)
        session.adapters.clear()
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        try:
            yield
        finally:
            session.adapters.clear()
            session.adapters.update(saved)


@dataclass(frozen=True)
class ValidationResult:
    """What libcoveocds found. ``errors`` are readable one-line messages."""

    errors: tuple[str, ...]
    invalid_extensions: tuple[str, ...] = ()
    additional_fields: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def error_count(self) -> int:
        return len(self.errors)

    @property
    def is_valid(self) -> bool:
        return self.error_count == 0

    def summary(self) -> str:
        lines = [f"OCDS validation: {self.error_count} error(s)"]
        lines += [f"  error: {error}" for error in self.errors]
        lines += [f"  additional field: {path}" for path in self.additional_fields]
        lines += [f"  warning: {warning}" for warning in self.warnings]
        return "\n".join(lines)


def _format_error(error: Mapping[str, Any]) -> str:
    path = error.get("path") or error.get("field") or "(package)"
    value = error.get("value")
    shown = f" (value: {json.dumps(value, default=str)[:80]})" if value not in ("", None) else ""
    return f"{path}: {error.get('description', error.get('type', 'invalid'))}{shown}"


def _closed_codelist_errors(context: Mapping[str, Any]) -> list[str]:
    values = context.get("additional_closed_codelist_values") or {}
    return [
        f"{path}: {', '.join(map(str, info.get('values', [])))} not in closed codelist "
        f"{info.get('codelist', '')}"
        for path, info in sorted(values.items())
    ]


def result_from_context(context: Mapping[str, Any]) -> ValidationResult:
    """Turn libcoveocds' API context into a :class:`ValidationResult`."""
    errors = [_format_error(error) for error in context.get("validation_errors", [])]
    errors += _closed_codelist_errors(context)
    invalid = [
        f"{url}: {reason}"
        for url, reason in (context.get("extensions") or {}).get("invalid_extensions", [])
    ]
    errors += [f"extension {item}" for item in invalid]
    if context.get("json_deref_error"):
        errors.append(f"schema reference error: {context['json_deref_error']}")
    additional = sorted(
        str(item.get("path", "")) + "/" + str(item.get("field", ""))
        for item in context.get("additional_fields", [])
    )
    warnings = [
        f"{check}: {item.get('json_location', item) if isinstance(item, dict) else item}"
        for check, items in sorted((context.get("additional_checks") or {}).items())
        for item in items
    ]
    return ValidationResult(
        errors=tuple(errors),
        invalid_extensions=tuple(invalid),
        additional_fields=tuple(additional),
        warnings=tuple(warnings),
    )


class OfflineSchemaOCDS(SchemaOCDS):
    """libcoveocds' schema object, kept offline. Nothing is pruned: a ``$ref`` that no declared
    extension defines is a schema reference error (an error in the result), never skipped."""

    def _jsonref_kwarg(self, *, proxies: bool = False) -> dict[str, Any]:
        # jsonref fetches remote $refs with a bare requests.get(); the record package schema
        # refers to the versioned release schema by URL, so answer those from the zip.
        kwargs: dict[str, Any] = SchemaOCDS._jsonref_kwarg(proxies=proxies)
        kwargs["loader"] = self._standard_loader
        return kwargs

    def _standard_loader(self, uri: str, **_: Any) -> Any:
        tag = self.version_choices[self.version][2]
        for scheme in ("https", "http"):
            prefix = f"{scheme}://standard.open-contracting.org/schema/{tag}/"
            if uri.startswith(prefix):
                name = uri[len(prefix) :].split("#")[0]
                return json.loads(self.builder.get_standard_file_contents(name))
        raise OfflineError(f"offline validation refuses to fetch {uri}")


def validate_package(package: Mapping[str, Any]) -> ValidationResult:
    """Validate a release package or record package dict offline; never reaches the network.

    Mirrors ``libcoveocds.api.ocds_json_output`` (schema, ``common_checks_ocds``, API context).
    """
    zip_path = ext.standard_zip_path()
    if not zip_path.is_file():
        raise FileNotFoundError(
            f"OCDS schema zip not found at {zip_path}; set OCDS_SHARED_DIR to the shared/ folder"
        )
    config = LibCoveOCDSConfig(
        {"standard_zip": zip_path.as_uri(), "context": "api", "additional_checks": "all"}
    )
    # A JSON round trip: what we validate is exactly what would be published.
    data = json.loads(json.dumps(package))
    with tempfile.TemporaryDirectory(prefix="ocds-validate-") as output_dir, offline_extensions():
        schema_obj = OfflineSchemaOCDS(None, data, config, record_pkg="records" in data)
        context: dict[str, Any] = {"file_type": "json"}
        context_api_transform(
            common_checks_ocds(context, output_dir, data, schema_obj, cache=False)
        )
        if schema_obj.json_deref_error:
            context["json_deref_error"] = schema_obj.json_deref_error
    return result_from_context(context)
