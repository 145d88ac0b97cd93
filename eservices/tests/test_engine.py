"""The service engine: moves recorded and never edited, who may make which
move, concurrent moves, deadlines, notifications."""

import pytest
from django.core import mail

from eservices.models import ImmutableError, Move, Notification
from eservices.workflow import Conflict, NotAllowed
from trips.workflow import WORKFLOW

pytestmark = pytest.mark.django_db


def act(trip, action, user, comment="", **extra):
    trip.application.refresh_from_db()
    return WORKFLOW.perform(trip.application, action, user, version=trip.application.version, comment=comment,
                            **extra)


def test_a_move_records_who_when_from_and_to(trip, actors):
    move = act(trip, "submit", actors["clerk"])
    assert (move.actor, move.from_state, move.to_state) == (actors["clerk"], "draft", "review")
    assert move.snapshot["members"] and move.snapshot["stops"][0]["country"] == "FR"
    trip.application.refresh_from_db()
    assert trip.application.step == "unit" and trip.application.due_on is not None


def test_moves_cannot_be_changed_or_deleted(trip, actors):
    move = act(trip, "submit", actors["clerk"])
    move.comment = "rewritten"
    with pytest.raises(ImmutableError):
        move.save()
    with pytest.raises(ImmutableError):
        move.delete()
    assert Move.objects.get(pk=move.pk).comment == ""


def test_the_chain_follows_the_unit(trip, actors):
    act(trip, "submit", actors["clerk"])
    act(trip, "approve", actors["unit_reviewer"])
    assert trip.application.step == "department"
    act(trip, "approve", actors["department_reviewer"])
    assert trip.application.step == "fao"
    act(trip, "approve", actors["fao"])
    assert trip.application.state == "approved"
    trip.refresh_from_db()
    assert trip.approval_number.startswith("湘外审〔") and trip.report_due_on is not None


def test_a_unit_without_competent_department_skips_that_step(trip, actors, units):
    units["university"].competent = None
    units["university"].save()
    act(trip, "submit", actors["clerk"])
    act(trip, "approve", actors["unit_reviewer"])
    assert trip.application.step == "fao"


def test_two_reviewers_at_once_cannot_both_succeed(trip, actors, make_user):
    act(trip, "submit", actors["clerk"])
    act(trip, "approve", actors["unit_reviewer"])
    act(trip, "approve", actors["department_reviewer"])
    second_fao = make_user("fao2", "staff", "430000")
    trip.application.refresh_from_db()
    seen = trip.application.version
    from eservices.models import Application

    first_copy = Application.objects.get(pk=trip.application.pk)
    second_copy = Application.objects.get(pk=trip.application.pk)
    WORKFLOW.perform(first_copy, "approve", actors["fao"], version=seen)
    with pytest.raises(Conflict) as error:
        WORKFLOW.perform(second_copy, "return", second_fao, version=seen, comment="需补充材料")
    assert "在此期间" in str(error.value) or "meantime" in str(error.value)
    trip.application.refresh_from_db()
    assert trip.application.state == "approved"
    assert trip.application.moves.filter(to_state="returned").count() == 0


def test_return_needs_a_comment_and_keeps_field_comments(trip, actors):
    act(trip, "submit", actors["clerk"])
    with pytest.raises(NotAllowed):
        act(trip, "return", actors["unit_reviewer"])
    move = act(trip, "return", actors["unit_reviewer"], comment="请修改", field_comments={"tasks": "任务不具体"})
    assert move.field_comments == {"tasks": "任务不具体"}
    assert trip.application.state == "returned" and trip.application.step == ""
    # The applicant resubmits; the earlier version stays in the first move's snapshot.
    trip.tasks = "出席学术会议并作报告"
    trip.save()
    act(trip, "submit", actors["clerk"])
    first, _returned, again = trip.application.moves.order_by("at", "id")
    assert first.snapshot["tasks"] == "出席学术会议" and again.snapshot["tasks"] == "出席学术会议并作报告"


def test_reviewers_are_notified_in_the_app_and_by_mail(trip, actors):
    act(trip, "submit", actors["clerk"])
    assert Notification.objects.filter(user=actors["unit_reviewer"], application=trip.application).exists()
    assert any("dean@example.org" in m.to for m in mail.outbox)
    act(trip, "return", actors["unit_reviewer"], comment="请修改")
    assert Notification.objects.filter(user=actors["clerk"], message__contains="请修改").exists()


def test_reminders_are_sent_once_per_deadline(trip, actors):
    from datetime import date, timedelta

    from eservices.notify import remind

    act(trip, "submit", actors["clerk"])
    later = trip.application.due_on + timedelta(days=1)
    assert remind(today=later) == 1
    assert remind(today=later) == 0
    assert Notification.objects.filter(user=actors["unit_reviewer"], message__contains="逾期").exists()
    assert remind(today=date.today()) in (0, 1)


# (action, state the application is in, the roles that may make it)
ALLOWED = [
    ("submit", "draft", {"clerk"}),
    ("withdraw", "draft", {"clerk"}),
    ("approve", "review:unit", {"unit_reviewer"}),
    ("return", "review:unit", {"unit_reviewer"}),
    ("reject", "review:unit", {"unit_reviewer"}),
    ("approve", "review:department", {"department_reviewer"}),
    ("approve", "review:fao", {"fao"}),
    ("reject", "review:fao", {"fao"}),
    ("withdraw", "review:fao", {"clerk"}),
    ("change", "approved", {"clerk"}),
    ("archive", "reported", {"fao"}),
]
ROLES = ["clerk", "other_clerk", "unit_reviewer", "department_reviewer", "fao", "prefecture_staff", "viewer"]


@pytest.mark.parametrize(("action", "where", "allowed"), ALLOWED)
@pytest.mark.parametrize("role", ROLES)
def test_each_move_only_for_its_roles(trip, actors, action, where, allowed, role):
    from eservices.workflow import may_act

    state, _, step = where.partition(":")
    application = trip.application
    application.state, application.step = state, step
    application.save()
    transition = WORKFLOW.transition(action)
    assert may_act(actors[role], application, transition) == (role in allowed), (action, where, role)
    # and a move from a state it does not leave is refused whoever asks
    if state != "draft" and action != "withdraw":
        application.state = "draft"
        assert transition.sources and "draft" not in transition.sources or action in ("submit", "withdraw")
