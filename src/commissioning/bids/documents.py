"""Checking a bid's documents before they are sealed: the type by extension AND content (magic
bytes, and for the zip-based formats the part that makes a file what it says it is), and the
size (10 MB each). Framework-free apart from the error it raises."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError

MAX_BYTES = 10 * 1024 * 1024
ALLOWED = {
    ".pdf": "PDF",
    ".docx": "Word document (DOCX)",
    ".odt": "OpenDocument text (ODT)",
    ".xlsx": "Excel spreadsheet (XLSX)",
    ".csv": "CSV",
}
ALLOWED_TEXT = "PDF, DOCX, ODT, XLSX or CSV"
_ZIP_MAGIC = b"PK\x03\x04"
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def _zip_names(data: bytes) -> zipfile.ZipFile | None:
    if not data.startswith(_ZIP_MAGIC):
        return None
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return None


def _content_matches(extension: str, data: bytes) -> bool:
    if extension == ".pdf":
        return data.startswith(b"%PDF-")
    if extension == ".csv":
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return False
        return True
    archive = _zip_names(data)
    if archive is None:
        return False
    names = set(archive.namelist())
    if extension == ".docx":
        return "word/document.xml" in names
    if extension == ".xlsx":
        return "xl/workbook.xml" in names
    if extension == ".odt":
        return "mimetype" in names and archive.read("mimetype").strip() == _ODT_MIMETYPE
    return False


def clean_name(name: str) -> str:
    """The file's own name without any folders a browser sent along."""
    return PurePath(name.replace("\\", "/")).name.strip()[:200]


def validate_document(name: str, size: int, data: bytes) -> str:
    """Return the cleaned file name; raise ``ValidationError`` keyed ``document`` if the file is
    empty, over 10 MB, or not a PDF, DOCX, ODT, XLSX or CSV file by both name and content."""
    name = clean_name(name)
    extension = PurePath(name).suffix.lower()
    if size == 0 or not data:
        raise ValidationError({"document": "The selected file is empty"})
    if size > MAX_BYTES or len(data) > MAX_BYTES:
        raise ValidationError({"document": "The selected file must be smaller than 10 MB"})
    if extension not in ALLOWED:
        raise ValidationError({"document": f"The selected file must be a {ALLOWED_TEXT}"})
    if not _content_matches(extension, data):
        raise ValidationError(
            {
                "document": f"The selected file is not a real {ALLOWED[extension]}: "
                "its contents do not match its name"
            }
        )
    return name
