"""Stripping what a reporter's file says about them (SUP-5): images are redrawn from their
pixels with Pillow (no EXIF, GPS, camera or editing metadata survives); nothing installed can
rewrite a PDF or an office document, so those are kept as sent and the reporter is told."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


@dataclass(frozen=True)
class Cleaned:
    name: str
    content: bytes
    metadata_removed: bool
    note: str


def clean(name: str, content: bytes) -> Cleaned:
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
