"""What an uploaded file really is: checked by its content, not only by the end of its name.

A file is accepted only when its extension is one the question allows AND its first bytes (or, for
Office and OpenDocument files, the parts of its zip container) are those of that type. An HTML page
renamed ``report.html.pdf`` is refused for a PDF-only question. Types this module cannot check are
refused whatever the question allows. Files are always served as downloads (see views.download).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from typing import Any

SNIFF_BYTES = 64 * 1024

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, Excel 97-2003 and PowerPoint 97-2003
MARKUP = re.compile(rb"^\s*<(!doctype|html|head|body|script|svg|iframe|\?xml)", re.IGNORECASE)


def _read_head(upload: Any) -> bytes:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES) or b""
    upload.seek(0)
    return head if isinstance(head, bytes) else head.encode("utf-8", "replace")


def _zip_names_and_mimetype(upload: Any) -> tuple[set[str], bytes]:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            mimetype = b""
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
                mimetype = archive.read("mimetype").strip()
            return names, mimetype
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return set(), b""
    finally:
        upload.seek(0)


def _ooxml(folder: str) -> Callable[[bytes, Any], bool]:
    def check(head: bytes, upload: Any) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        names, _ = _zip_names_and_mimetype(upload)
        return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)

    return check


def _odf(kind: str) -> Callable[[bytes, Any], bool]:
    def check(head: bytes, upload: Any) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        _, mimetype = _zip_names_and_mimetype(upload)
        return mimetype == f"application/vnd.oasis.opendocument.{kind}".encode()

    return check


def _plain_text(head: bytes, upload: Any) -> bool:
    """Text a person can read (UTF-8 or Windows-1252), with no NUL bytes and no web page markup."""
    if b"\x00" in head or MARKUP.match(head.removeprefix(b"\xef\xbb\xbf")):
        return False
    # The sniffed block may end inside a multi-byte character: leave its last bytes out.
    sample = head if len(head) < SNIFF_BYTES else head[:-4]
    for encoding in ("utf-8", "cp1252"):
        try:
            sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _starts(*signatures: bytes) -> Callable[[bytes, Any], bool]:
    return lambda head, upload: any(head.startswith(s) for s in signatures)


CHECKS: dict[str, tuple[str, Callable[[bytes, Any], bool]]] = {
    "pdf": ("a PDF", _starts(b"%PDF-")),
    "png": ("a PNG image", _starts(b"\x89PNG\r\n\x1a\n")),
    "jpg": ("a JPEG image", _starts(b"\xff\xd8\xff")),
    "jpeg": ("a JPEG image", _starts(b"\xff\xd8\xff")),
    "gif": ("a GIF image", _starts(b"GIF87a", b"GIF89a")),
    "webp": ("a WebP image", lambda head, upload: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
    "tif": ("a TIFF image", _starts(b"II*\x00", b"MM\x00*")),
    "tiff": ("a TIFF image", _starts(b"II*\x00", b"MM\x00*")),
    "docx": ("a Word document", _ooxml("word/")),
    "xlsx": ("an Excel workbook", _ooxml("xl/")),
    "pptx": ("a PowerPoint presentation", _ooxml("ppt/")),
    "doc": ("a Word document", _starts(OLE)),
    "xls": ("an Excel workbook", _starts(OLE)),
    "ppt": ("a PowerPoint presentation", _starts(OLE)),
    "odt": ("an OpenDocument text", _odf("text")),
    "ods": ("an OpenDocument spreadsheet", _odf("spreadsheet")),
    "odp": ("an OpenDocument presentation", _odf("presentation")),
    "rtf": ("a rich text document", _starts(b"{\\rtf")),
    "txt": ("plain text", _plain_text),
    "csv": ("plain text", _plain_text),
}


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def content_problem(upload: Any, ext: str) -> str:
    """Why this file's content is not what its extension says (a sentence), or "" when it is."""
    check = CHECKS.get(ext)
    if check is None:
        return "files of this type cannot be checked, so they are not accepted"
    what, matches = check
    try:
        head = _read_head(upload)
    except (OSError, ValueError):
        return "the file could not be read"
    if not head:
        return "the file is empty"
    if not matches(head, upload):
        return f"the file’s name ends in .{ext} but its content is not {what}"
    return ""
