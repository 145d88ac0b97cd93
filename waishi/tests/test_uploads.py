"""Uploaded files are judged by content, size-limited, and served back as attachments."""

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve
from django.utils import translation

from waishi import uploads
from waishi.uploads import attachment_response, sniff, validate_upload

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


def png():
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def archive(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buffer.getvalue()


CONTENT_TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def docx():
    return archive({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": "<Relationships/>",
                    "word/document.xml": "<w:document/>"})


def xlsx():
    return archive({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": "<workbook/>"})


def pptx():
    return archive({"[Content_Types].xml": CONTENT_TYPES, "ppt/presentation.xml": "<presentation/>"})


def odt():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def zip_bomb():
    """A small docx-like zip whose central directory declares ~4 GB uncompressed."""
    data = bytearray(docx())
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) != -1:
        data[at + 24:at + 28] = struct.pack("<I", 0xFFFFFFF0)
        at += 4
    return bytes(data)


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- sniff -----------------------------------------------------------------------

@pytest.mark.parametrize(
    "content, expected",
    [
        (PDF, ("pdf", uploads.PDF)),
        (png(), ("image", uploads.PNG)),
        (JPEG, ("image", uploads.JPEG)),
        (GIF, ("image", uploads.GIF)),
        (WEBP, ("image", uploads.WEBP)),
        (docx(), ("office", uploads.DOCX)),
        (xlsx(), ("office", uploads.XLSX)),
        (pptx(), ("office", uploads.PPTX)),
        (OLE, ("office", uploads.OLE2)),
        (odt(), ("office", uploads.ODT)),
    ],
    ids=["pdf", "png", "jpeg", "gif", "webp", "docx", "xlsx", "pptx", "ole2", "odt"],
)
def test_allowed_files_are_recognised_by_content(content, expected):
    assert sniff(io.BytesIO(content)) == expected


@pytest.mark.parametrize(
    "content",
    [
        EXE,
        HTML,
        b"",
        b"just some text",
        b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        archive({"evil.exe": EXE}),  # a plain zip is not an Office document
        archive({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": "<w/>",
                 "word/vbaProject.bin": "macros"}),  # macro-enabled
        b"PK\x03\x04 broken zip",
        b" %PDF-1.4 not at the start",
    ],
    ids=["exe", "html", "empty", "text", "svg", "zip", "docm", "broken-zip", "pdf-not-first"],
)
def test_anything_else_is_not_recognised(content):
    assert sniff(io.BytesIO(content)) is None


def test_sniff_puts_the_file_position_back():
    for content in (PDF, docx(), EXE):
        f = io.BytesIO(content)
        f.seek(3)
        sniff(f)
        assert f.tell() == 3


def test_a_zip_bomb_is_refused_without_extracting_it():
    assert sniff(io.BytesIO(zip_bomb())) is None
    with pytest.raises(ValidationError):
        validate_upload(upload("协议.docx", zip_bomb()))


def test_a_zip_with_too_many_entries_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "ZIP_MAX_ENTRIES", 2)
    assert sniff(io.BytesIO(docx())) is None


# --- validate_upload -----------------------------------------------------------------

@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("协议.pdf", PDF, uploads.PDF),
        ("SCAN.PDF", PDF, uploads.PDF),
        ("照片.jpg", JPEG, uploads.JPEG),
        ("照片.png", png(), uploads.PNG),
        ("备忘录.docx", docx(), uploads.DOCX),
        ("名单.xlsx", xlsx(), uploads.XLSX),
        ("旧协议.doc", OLE, uploads.DOC),
        ("旧名单.xls", OLE, uploads.XLS),
        ("旧演示.ppt", OLE, uploads.PPT),
    ],
)
def test_valid_uploads_return_the_content_type_found(name, content, expected):
    # The browser's claim (octet-stream, or a lie) plays no part.
    assert validate_upload(upload(name, content, "text/html")) == expected


def test_an_executable_renamed_pdf_is_refused_saying_what_is_allowed():
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_upload(upload("协议.pdf", EXE, "application/pdf"))
    message = caught.value.messages[0]
    assert caught.value.code == "type"
    assert "PDF" in message and "images" in message and "Office" in message


def test_html_named_pdf_is_refused():
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload("report.pdf", HTML, "application/pdf"))
    assert caught.value.code == "type"


def test_a_pdf_named_docx_is_refused():
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_upload(upload("协议.docx", PDF))
    assert caught.value.code == "extension"
    assert "协议.docx" in caught.value.messages[0] and ".pdf" in caught.value.messages[0]


@pytest.mark.parametrize("name, content", [("协议.pdf", docx()), ("协议", PDF), ("photo.png", JPEG),
                                           ("old.docx", OLE), ("book.xlsx", docx())])
def test_a_name_that_does_not_match_the_content_is_refused(name, content):
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(name, content))
    assert caught.value.code == "extension"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload("协议.pdf", b""))
    assert caught.value.code == "empty"


def test_a_file_over_the_limit_is_refused_with_the_limit_in_mb(settings):
    settings.FILE_UPLOAD_MAX_BYTES = 2**20
    big = PDF + b"%" * (2**20)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_upload(upload("协议.pdf", big))
    assert caught.value.code == "too_large"
    assert "1 MB" in caught.value.messages[0]
    settings.FILE_UPLOAD_MAX_BYTES = 2**19
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_upload(upload("协议.pdf", big))
    assert "0.5 MB" in caught.value.messages[0]
    assert validate_upload(upload("协议.pdf", PDF)) == uploads.PDF  # small ones still pass


def test_the_limit_can_be_given_per_call():
    with pytest.raises(ValidationError):
        validate_upload(upload("协议.pdf", PDF), max_bytes=10)


def test_messages_are_in_the_users_language(settings):
    settings.FILE_UPLOAD_MAX_BYTES = 2**20
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_upload(upload("协议.pdf", PDF + b"%" * 2**20))
    assert caught.value.messages == ["文件大小超过 1 MB。"]


def test_the_allowed_kinds_can_be_narrowed():
    assert validate_upload(upload("a.pdf", PDF), allowed=("pdf",)) == uploads.PDF
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_upload(upload("a.png", png()), allowed=("pdf",))
    assert caught.value.messages == ["This type of file cannot be uploaded. Allowed: PDF."]


# --- attachment_response -----------------------------------------------------------------

def test_attachment_response_is_a_download_that_is_never_rendered(tmp_path):
    path = tmp_path / "0f3a9c.pdf"
    path.write_bytes(PDF)
    stored = File(path.open("rb"), name=str(path))
    response = attachment_response(stored, "友好城市协议书 2024.pdf", uploads.PDF)
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E5%8F%8B%E5%A5%BD%E5%9F%8E%E5%B8%82%E5%8D%8F%E8%AE%AE%E4%B9%A6%202024.pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content) == PDF
    stored.close()  # not response.close(): its request_finished signal would touch the database


def test_attachment_response_keeps_header_breaking_characters_out(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(PDF)
    stored = File(path.open("rb"), name=str(path))
    response = attachment_response(stored, 'a"b\r\nSet-Cookie: x=1.pdf', "")
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition == 'attachment; filename="a\\"b__Set-Cookie: x=1.pdf"'
    assert response["Content-Type"] == "application/octet-stream"
    stored.close()


# --- where files live ----------------------------------------------------------------

def test_media_is_outside_the_web_root_and_not_routed():
    media = Path(settings.MEDIA_ROOT).resolve()
    for served in [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]:
        served = served.resolve()
        assert not media.is_relative_to(served) and not served.is_relative_to(media)
    for url in ("/media/agreements/0123456789abcdef0123456789abcdef.pdf", "/agreements/0123.pdf"):
        with pytest.raises(Resolver404):
            resolve(url)


def test_no_url_pattern_serves_files_from_disk():
    from django.urls import get_resolver
    from django.views.static import serve

    def views(patterns):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from views(p.url_patterns)
            else:
                yield p.callback

    assert serve not in set(views(get_resolver().url_patterns))
