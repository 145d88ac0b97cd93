"""Residual information: no uploaded file outlives its purpose."""

import pytest
from django.core.files.base import ContentFile

from twinning.models import AgreementDocument, ImportJob, Partnership
from twinning.tests.test_import import GOOD, upload, xlsx

pytestmark = pytest.mark.django_db


def test_an_imported_file_is_not_kept(client, province_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(province_staff)
    job = upload(client, xlsx(GOOD))
    assert job.state == ImportJob.State.READY and job.file and (tmp_path / job.file.name).exists()
    stored = tmp_path / job.file.name
    client.post(f"/twinning/import/{job.pk}/commit/")
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and not stored.exists()


def test_a_refused_file_is_not_kept(client, province_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(province_staff)
    job = upload(client, xlsx([["长沙", "", "", "乌有国", "", "", None, None]]))
    assert job.state == ImportJob.State.INVALID and not any(tmp_path.rglob("*.xlsx"))


def test_a_deleted_agreement_leaves_no_file(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = AgreementDocument(partnership=Partnership.objects.first(), title="协议")
    document.file.save("a.pdf", ContentFile(b"%PDF-1.4\n%%EOF"), save=True)
    path = tmp_path / document.file.name
    assert path.exists()
    document.delete()
    assert not path.exists()
