"""Stripping what a reporter's file says about them (SUP-5): images are redrawn from their
pixels with Pillow (no EXIF, GPS, camera or editing metadata survives); a PDF is rewritten with
pypdf without its document information (author, creator, producer, dates), its XMP metadata
and the pages' private application data. What cannot be rewritten — an office document, an
encrypted or damaged PDF — is kept as sent and the reporter is told."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import NameObject

IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


@dataclass(frozen=True)
class Cleaned:
    name: str
    content: bytes
    metadata_removed: bool
    note: str


#: Where a PDF keeps data about its making rather than its content: the catalogue's and each
#: page's XMP stream, and the pages' private application data.
_PDF_METADATA_KEYS = ("/Metadata", "/PieceInfo")


def clean(name: str, content: bytes) -> Cleaned:
    if content.startswith(b"%PDF"):
        stripped = _clean_pdf(content)
        if stripped is not None:
            return Cleaned(
                name,
                stripped,
                True,
                f"Hidden details (author, software, dates) removed from {name}.",
            )
    try:
        with Image.open(io.BytesIO(content)) as image:
            image_format = image.format or ""
            if image_format not in IMAGE_FORMATS:
                raise UnidentifiedImageError(image_format)
            image.load()
            # Only the pixels are carried over: info, EXIF, XMP and ICC profiles are not.
            bare = Image.frombytes(image.mode, image.size, image.tobytes())
            if image.mode == "P" and image.getpalette():
                bare.putpalette(image.getpalette() or [])
            out = io.BytesIO()
            bare.save(out, format=image_format)
    except (UnidentifiedImageError, OSError, ValueError):
        kind = "PDF" if content.startswith(b"%PDF") else "file"
        return Cleaned(
            name,
            content,
            False,
            f"The hidden details of {name} (a {kind}) could not be removed: it may still "
            "name its author, the software used and when it was written.",
        )
    return Cleaned(
        name, out.getvalue(), True, f"Hidden details (camera, place, time) removed from {name}."
    )


def _clean_pdf(content: bytes) -> bytes | None:
    """The PDF without its metadata, or None when it cannot be read and rewritten."""
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            return None
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None
        for holder in (writer.root_object, *(page for page in writer.pages)):
            for key in _PDF_METADATA_KEYS:
                if key in holder:
                    del holder[NameObject(key)]
        out = io.BytesIO()
        writer.write(out)
    except (PyPdfError, OSError, ValueError, KeyError, TypeError):
        return None
    return out.getvalue()
