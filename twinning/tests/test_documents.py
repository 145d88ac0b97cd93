"""Agreement documents: checked by content, stored under random names, served after a permission check."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from twinning.models import AgreementDocument, Partnership

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
