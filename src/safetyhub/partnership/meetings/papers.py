"""Meeting papers: which files are taken (extension AND content signature), read within a limit.

A file is read in chunks and refused as soon as it passes the limit, whatever Content-Length
said; nothing is stored unless the whole file is within the limit and of an allowed type.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from safetyhub.errors import InvalidInput, PayloadTooLarge
from safetyhub.text import N_

CHUNK_BYTES = 64 * 1024
ZIP_SIGNATURE = b"PK\x03\x04"
_ODF_MIMETYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "odp": b"application/vnd.oasis.opendocument.presentation",
}
_OOXML_FOLDERS = {"docx": "word/", "pptx": "ppt/"}

CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "odp": "application/vnd.oasis.opendocument.presentation",
}


@dataclass(frozen=True)
class CheckedPaper:
    """A file that passed every check: its safe name, type and content."""

    filename: str
    extension: str
    content_type: str
    content: bytes


def extension_of(filename: str) -> str:
    """The lower-case extension of `filename`, without the dot ('' when none)."""
    _, dot, extension = filename.rpartition(".")
    return extension.lower() if dot else ""


def safe_filename(filename: str) -> str:
    """A name safe to store and to send back: no path, no control or quoting characters."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^A-Za-z0-9._ -]", "_", name).strip(" .")
    if not name:
        name = "paper"
    if len(name) > 150:
        stem, dot, extension = name.rpartition(".")
        name = f"{stem[:140]}{dot}{extension[:9]}" if dot else name[:150]
    return name


def _zip_names(content: bytes) -> list[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return None


def signature_matches(extension: str, content: bytes) -> bool:
    """Whether the file's own bytes are what its extension claims (never trust the name alone)."""
    if extension == "pdf":
        return content.startswith(b"%PDF-")
    if extension == "png":
        return content.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return content.startswith(b"\xff\xd8\xff")
    if extension in _OOXML_FOLDERS:
        names = _zip_names(content) if content.startswith(ZIP_SIGNATURE) else None
        folder = _OOXML_FOLDERS[extension]
        return names is not None and "[Content_Types].xml" in names and any(
            name.startswith(folder) for name in names
        )
    if extension in _ODF_MIMETYPES:
        # ODF stores its media type first, uncompressed, as the member "mimetype".
        if not content.startswith(ZIP_SIGNATURE) or content[30:38] != b"mimetype":
            return False
        return content[38:38 + len(_ODF_MIMETYPES[extension])] == _ODF_MIMETYPES[extension]
    return False


def read_within(stream: BinaryIO, max_bytes: int) -> bytes:
    """The whole stream, read in chunks; PayloadTooLarge as soon as it passes `max_bytes`."""
    chunks: list[bytes] = []
    size = 0
    while chunk := stream.read(CHUNK_BYTES):
        size += len(chunk)
        if size > max_bytes:
            raise PayloadTooLarge(N_("The file is larger than the limit for meeting papers."))
        chunks.append(chunk)
    return b"".join(chunks)


def check_paper(filename: str, content: bytes, allowed: Iterable[str]) -> CheckedPaper:
    """The paper if its extension is allowed and its content matches it; else InvalidInput."""
    name = safe_filename(filename)
    extension = extension_of(name)
    if extension not in {kind.lower() for kind in allowed} or extension not in CONTENT_TYPES:
        raise InvalidInput(N_("Meeting papers must be PDF, PowerPoint, Word, OpenDocument, "
                              "PNG or JPEG files."))
    if not content:
        raise InvalidInput(N_("The file is empty."))
    if not signature_matches(extension, content):
        raise InvalidInput(N_("The file's content does not match its type."))
    return CheckedPaper(name, extension, CONTENT_TYPES[extension], content)
