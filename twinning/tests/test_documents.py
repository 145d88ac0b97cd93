"""Agreement documents: checked by content, stored under random names, served after a permission check."""

import io
import re
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import escape
from django.utils.text import get_text_list
from django.utils.translation import gettext

from twinning.models import AgreementDocument, Partnership
from waishi import uploads

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pk(name):
    return Partnership.objects.get(foreign__name_zh=name).pk


def test_pdf_is_uploaded_and_downloaded_as_attachment(client, changsha_staff):
    client.force_login(changsha_staff)
    pdf = SimpleUploadedFile("协议.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(f"/twinning/{pk('鹿儿岛市')}/documents/", {"title": "友好城市协议书", "doc_kind": "agreement", "file": pdf})
    document = AgreementDocument.objects.get()
    assert document.original_name == "协议.pdf" and "协议" not in document.file.name
    response = client.get(f"/twinning/documents/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_renamed_executable_is_refused(client, changsha_staff):
    client.force_login(changsha_staff)
    fake = SimpleUploadedFile("协议.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    client.post(f"/twinning/{pk('鹿儿岛市')}/documents/", {"title": "x", "doc_kind": "agreement", "file": fake})
    assert not AgreementDocument.objects.exists()


def test_another_jurisdiction_cannot_download(client, changsha_staff, make_user):
    client.force_login(changsha_staff)
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4 test")
    client.post(f"/twinning/{pk('鹿儿岛市')}/documents/", {"title": "协议", "doc_kind": "agreement", "file": pdf})
    document = AgreementDocument.objects.get()
    client.force_login(make_user("zhuzhou", "staff", "430200"))
    assert client.get(f"/twinning/documents/{document.pk}/").status_code == 404


# --- 等级保护 "Input and files": content checks, storage, download ------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"


def stored_files(root):
    return [p for p in Path(root).rglob("*") if p.is_file()]


def post_document(client, name, content, browser_type="application/pdf", title="友好城市协议书"):
    return client.post(
        f"/twinning/{pk('鹿儿岛市')}/documents/",
        {"title": title, "doc_kind": "agreement", "file": SimpleUploadedFile(name, content, content_type=browser_type)},
        follow=True,
    )


def in_user_language(msgid, **values):
    """What the page shows for msgid: the default language is Chinese."""
    with translation.override("zh-hans"):
        return gettext(msgid) % values if values else gettext(msgid)


def test_an_executable_renamed_pdf_is_refused_with_the_reason_shown_and_nothing_stored(client, changsha_staff, settings):
    client.force_login(changsha_staff)
    response = post_document(client, "协议.pdf", EXE_BYTES)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 1
    with translation.override("zh-hans"):
        allowed = get_text_list([str(label) for label in uploads.KIND_LABELS.values()], gettext("or"))
    message = in_user_language("This type of file cannot be uploaded. Allowed: %(allowed)s.", allowed=allowed)
    assert shown == [message]
    assert escape(message) in response.content.decode()
    assert not AgreementDocument.objects.exists()
    assert stored_files(settings.MEDIA_ROOT) == []


def test_a_pdf_named_docx_is_refused_and_nothing_stored(client, changsha_staff, settings):
    client.force_login(changsha_staff)
    response = post_document(client, "协议.docx", PDF_BYTES, browser_type=uploads.DOCX)
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 1 and "协议.docx" in shown[0] and ".pdf" in shown[0]
    assert not AgreementDocument.objects.exists()
    assert stored_files(settings.MEDIA_ROOT) == []


def test_a_pdf_is_stored_under_a_random_name_outside_the_web_root(client, changsha_staff, settings):
    client.force_login(changsha_staff)
    post_document(client, "友好城市协议书-鹿儿岛.pdf", PDF_BYTES)
    document = AgreementDocument.objects.get()
    assert re.fullmatch(r"agreements/[0-9a-f]{32}\.pdf", document.file.name)
    assert "协议" not in document.file.name and "鹿儿岛" not in document.file.name
    assert document.original_name == "友好城市协议书-鹿儿岛.pdf"
    [path] = stored_files(settings.MEDIA_ROOT)
    assert path.read_bytes() == PDF_BYTES and path.name == Path(document.file.name).name
    for served in [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]:
        assert not path.resolve().is_relative_to(served.resolve())


def test_the_stored_file_is_not_reachable_by_url(client, changsha_staff):
    client.force_login(changsha_staff)
    post_document(client, "协议.pdf", PDF_BYTES)
    document = AgreementDocument.objects.get()
    assert client.get(f"/media/{document.file.name}").status_code == 404
    assert client.get(f"/{document.file.name}").status_code == 404
    assert client.get(f"/static/{document.file.name}").status_code == 404


def test_the_download_is_an_attachment_with_the_original_name(client, changsha_staff):
    client.force_login(changsha_staff)
    post_document(client, "友好城市协议书.pdf", PDF_BYTES)
    document = AgreementDocument.objects.get()
    response = client.get(f"/twinning/documents/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''" + quote("友好城市协议书.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_a_county_of_another_jurisdiction_gets_404(client, changsha_staff, liuyang_staff, province_staff):
    client.force_login(changsha_staff)
    post_document(client, "协议.pdf", PDF_BYTES)
    document = AgreementDocument.objects.get()
    client.force_login(liuyang_staff)
    assert client.get(f"/twinning/documents/{document.pk}/").status_code == 404
    client.force_login(province_staff)  # the province sees its cities' partnerships
    assert client.get(f"/twinning/documents/{document.pk}/").status_code == 200
    client.logout()
    assert client.get(f"/twinning/documents/{document.pk}/").status_code in (302, 404)


def test_the_stored_content_type_is_the_one_found_not_the_browsers(client, changsha_staff):
    client.force_login(changsha_staff)
    post_document(client, "协议.pdf", PDF_BYTES, browser_type="text/html", title="pdf")
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    post_document(client, "备忘录.docx", docx.getvalue(), browser_type="application/octet-stream", title="docx")
    assert AgreementDocument.objects.get(title="pdf").content_type == "application/pdf"
    assert AgreementDocument.objects.get(title="docx").content_type == uploads.DOCX
    response = client.get(f"/twinning/documents/{AgreementDocument.objects.get(title='pdf').pk}/")
    assert response["Content-Type"] == "application/pdf"


def test_a_file_over_the_limit_is_refused_with_the_limit(client, changsha_staff, settings):
    settings.FILE_UPLOAD_MAX_BYTES = 2**20
    client.force_login(changsha_staff)
    response = post_document(client, "协议.pdf", PDF_BYTES + b"%" * 2**20)
    assert [str(m) for m in response.context["messages"]] == [in_user_language("The file is larger than %(mb)s MB.", mb="1")]
    assert not AgreementDocument.objects.exists()
    assert stored_files(settings.MEDIA_ROOT) == []
