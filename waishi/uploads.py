"""Uploaded files (等级保护 "Input and files"): recognised by their content, not
their name, against an allow-list (PDF, images, Office documents); size-limited;
and served back only as downloads that a browser will not render or sniff.

Plain functions, no view code: forms call validate_upload, views call
attachment_response after their own permission check. Files are stored under
MEDIA_ROOT (outside the web root, never routed) with random names by the
models' upload_to functions.
"""

import re
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
OLE2 = "application/x-ole-storage"  # .doc/.xls/.ppt: the header does not say which
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
PPT = "application/vnd.ms-powerpoint"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"

# Extensions a name may have for each content type found.
EXTENSIONS = {
    PDF: (".pdf",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg", ".jpe", ".jfif"),
    GIF: (".gif",),
    WEBP: (".webp",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    PPTX: (".pptx",),
    OLE2: (".doc", ".xls", ".ppt"),
    ODT: (".odt",),
    ODS: (".ods",),
    ODP: (".odp",),
}
# A legacy Office file is told apart by its extension once the header is found.
OLE2_BY_EXTENSION = {".doc": DOC, ".xls": XLS, ".ppt": PPT}

KIND_OF = {PDF: "pdf", PNG: "image", JPEG: "image", GIF: "image", WEBP: "image"}

KIND_LABELS = {
    "pdf": "PDF",
    "image": gettext_lazy("images (PNG, JPEG, GIF, WebP)"),
    "office": gettext_lazy("Office documents (Word, Excel, PowerPoint, OpenDocument)"),
}

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
HEAD_BYTES = 16

# Zip bombs: the archive's central directory is read, never its contents.
ZIP_MAX_ENTRIES = 5000
ZIP_MAX_UNCOMPRESSED = 512 * 1024 * 1024
OOXML_PARTS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))
ODF_TYPES = {ODT, ODS, ODP}


def sniff(fileobj):
    """(kind, content_type) of an allowed file judged by its first bytes (and, for
    a ZIP, its list of entries), or None. The file position is put back."""
    position = fileobj.tell()
    try:
        fileobj.seek(0)
        head = fileobj.read(HEAD_BYTES)
        if head.startswith(b"%PDF-"):
            return "pdf", PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return "image", PNG
        if head.startswith(b"\xff\xd8\xff"):
            return "image", JPEG
        if head[:6] in (b"GIF87a", b"GIF89a"):
            return "image", GIF
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return "image", WEBP
        if head.startswith(OLE2_MAGIC):
            return "office", OLE2
        if head.startswith(ZIP_MAGIC):
            fileobj.seek(0)
            content_type = _zip_office_type(fileobj)
            return ("office", content_type) if content_type else None
        return None
    finally:
        fileobj.seek(position)


def _zip_office_type(fileobj):
    try:
        with zipfile.ZipFile(fileobj) as archive:
            entries = archive.infolist()
            if len(entries) > ZIP_MAX_ENTRIES:
                return None
            if sum(entry.file_size for entry in entries) > ZIP_MAX_UNCOMPRESSED:
                return None
            names = [entry.filename for entry in entries]
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return None  # macro-enabled (.docm/.xlsm/.pptm): refused
            if "[Content_Types].xml" in names:
                found = {content_type for prefix, content_type in OOXML_PARTS
                         if any(name.startswith(prefix) for name in names)}
                return found.pop() if len(found) == 1 else None
            first = entries[0] if entries else None
            if first and first.filename == "mimetype" and first.file_size <= 100:
                mimetype = archive.read(first).decode("ascii", "replace").strip()
                return mimetype if mimetype in ODF_TYPES else None
    except Exception:  # whatever cannot be read as an archive is not allowed
        return None
    return None


def _megabytes(size):
    mb = size / 2**20
    return f"{mb:.2g}" if mb < 1 else f"{round(mb, 1):g}"


def extension_of(name):
    return PurePath(name or "").suffix.lower()


def accept_attribute(allowed=("pdf", "image", "office")):
    """The extensions for an <input type=file accept=...>: a hint to the browser only."""
    return ",".join(ext for content_type, extensions in EXTENSIONS.items()
                    if KIND_OF.get(content_type, "office") in allowed for ext in extensions)


def validate_upload(uploaded_file, allowed=("pdf", "image", "office"), max_bytes=None):
    """Check an uploaded file; return its content type as found by its content.
    Raise ValidationError (in the user's language) if it is empty, too large, of a
    kind not allowed, or named with an extension that does not match its content."""
    if max_bytes is None:
        max_bytes = settings.FILE_UPLOAD_MAX_BYTES
    size = uploaded_file.size
    if size is None:
        position = uploaded_file.tell()
        uploaded_file.seek(0, 2)
        size = uploaded_file.tell()
        uploaded_file.seek(position)
    if not size:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": _megabytes(max_bytes)}, code="too_large"
        )
    found = sniff(uploaded_file)
    if found is None or found[0] not in allowed:
        labels = [str(KIND_LABELS.get(kind, kind)) for kind in allowed]
        raise ValidationError(
            _("This type of file cannot be uploaded. Allowed: %(allowed)s.")
            % {"allowed": get_text_list(labels, _("or"))},
            code="type",
        )
    kind, content_type = found
    extension = extension_of(uploaded_file.name)
    expected = EXTENSIONS[content_type]
    if extension not in expected:
        raise ValidationError(
            _("The name “%(name)s” does not match the content of the file; a file like this must end in %(extensions)s.")
            % {"name": uploaded_file.name, "extensions": get_text_list(list(expected), _("or"))},
            code="extension",
        )
    return OLE2_BY_EXTENSION.get(extension, content_type) if content_type == OLE2 else content_type


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


def attachment_response(fieldfile, download_name, content_type):
    """A download of a stored file that browsers save rather than render: attachment
    with the original name (RFC 5987 filename* when not ASCII), no sniffing, no
    caching, and a sandboxing CSP should it be opened anyway. The caller checks
    permission first."""
    name = _UNSAFE_NAME.sub("_", download_name or "").strip() or "download"
    response = FileResponse(
        fieldfile.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
