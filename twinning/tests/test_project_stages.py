"""A project's stages go in order, 立项 → 跟踪 → 评估 → 成果转化: never back, a skipped stage only with a
reason, each date not before the one before it nor in the future."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from twinning.models import Partnership, Project
from twinning.projects import check_step
from twinning.services import advance_project

pytestmark = pytest.mark.django_db
TODAY = date(2024, 6, 30)


@pytest.fixture
def project(province_staff):
    project = Project.objects.create(owner_id="430000", title="洞庭湖—琵琶湖水资源合作", proposed_on=date(2020, 3, 1))
    project.partnerships.add(Partnership.objects.get(foreign__name_zh="滋贺县"))
    advance_project(project, user=province_staff, stage="proposed", on=date(2020, 3, 1))
    return project


def test_stages_follow_one_another(project, province_staff):
    for stage, on in (("tracked", date(2021, 1, 1)), ("evaluated", date(2022, 1, 1)), ("delivered", date(2023, 1, 1))):
        advance_project(project, user=province_staff, stage=stage, on=on)
    assert [u.stage for u in project.updates.all()] == ["proposed", "tracked", "evaluated", "delivered"]


def test_a_stage_cannot_go_back(project, province_staff):
    advance_project(project, user=province_staff, stage="tracked", on=date(2021, 1, 1))
    with pytest.raises(ValidationError) as refused:
        advance_project(project, user=province_staff, stage="proposed", on=date(2021, 2, 1))
    assert "不能退回" in " ".join(refused.value.message_dict["stage"])
    assert Project.objects.get(pk=project.pk).stage == "tracked"


def test_skipping_a_stage_needs_a_reason(project):
    errors = check_step(project, stage="evaluated", on=date(2021, 1, 1), today=TODAY)
    assert list(errors) == ["skip_reason"]
    assert "跟踪" in errors["skip_reason"][0]
    assert check_step(project, stage="evaluated", on=date(2021, 1, 1), skip_reason="   ", today=TODAY)
    assert check_step(project, stage="evaluated", on=date(2021, 1, 1), skip_reason="跟踪由日方负责", today=TODAY) == {}


def test_a_skip_reason_is_kept_with_the_step(project, province_staff):
    advance_project(project, user=province_staff, stage="delivered", on=date(2021, 1, 1), skip_reason="项目提前完成")
    step = project.updates.get(stage="delivered")
    assert step.skip_reason == "项目提前完成"


def test_a_stage_date_may_not_precede_the_previous_stage(project, province_staff):
    advance_project(project, user=province_staff, stage="tracked", on=date(2022, 5, 1))
    errors = check_step(project, stage="evaluated", on=date(2022, 4, 30), today=TODAY)
    assert list(errors) == ["on"] and "2022-05-01" in errors["on"][0]
    assert check_step(project, stage="evaluated", on=date(2022, 5, 1), today=TODAY) == {}


def test_a_stage_date_may_not_precede_the_proposal(project):
    errors = check_step(project, stage="tracked", on=date(2020, 2, 29), today=TODAY)
    assert list(errors) == ["on"] and "2020-03-01" in errors["on"][0]


def test_a_stage_date_may_not_lie_in_the_future(project):
    assert list(check_step(project, stage="tracked", on=date(2024, 7, 1), today=TODAY)) == ["on"]
    assert check_step(project, stage="tracked", on=TODAY, today=TODAY) == {}


def test_the_stage_reached_may_be_recorded_again(project, province_staff):
    advance_project(project, user=province_staff, stage="tracked", on=date(2021, 1, 1), note="首次会商")
    advance_project(project, user=province_staff, stage="tracked", on=date(2021, 6, 1), note="第二次会商")
    assert project.updates.filter(stage="tracked").count() == 2


@pytest.fixture
def staff(client, province_staff):
    client.force_login(province_staff)
    return client


def test_the_project_page_asks_for_the_reason_and_writes_nothing_without_it(staff, project):
    response = staff.post(f"/twinning/projects/{project.pk}/", {"stage": "evaluated", "on": "2021-01-01"})
    assert response.status_code == 200
    assert "skip_reason" in response.context["form"].errors
    assert "请说明原因" in response.content.decode()
    assert Project.objects.get(pk=project.pk).stage == "proposed" and project.updates.count() == 1


def test_the_project_page_records_a_skip_with_its_reason(staff, project):
    response = staff.post(f"/twinning/projects/{project.pk}/",
                          {"stage": "evaluated", "on": "2021-01-01", "skip_reason": "跟踪由日方负责"})
    assert response.status_code == 302
    page = staff.get(f"/twinning/projects/{project.pk}/").content.decode()
    assert "跟踪由日方负责" in page


def test_the_project_page_refuses_a_date_before_the_last_stage(staff, project):
    staff.post(f"/twinning/projects/{project.pk}/", {"stage": "tracked", "on": "2022-05-01"})
    response = staff.post(f"/twinning/projects/{project.pk}/", {"stage": "evaluated", "on": "2021-01-01"})
    assert "on" in response.context["form"].errors
    assert Project.objects.get(pk=project.pk).stage == "tracked"
