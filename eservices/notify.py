"""Notifications: in the app and by e-mail (Django's mail backend: the console in
development, SMTP when configured), at each move and before each deadline."""

import logging
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Role

from .models import Application, Notification

logger = logging.getLogger(__name__)


def reviewers_of(application):
    from accounts.models import Unit

    from .workflow import is_reviewer

    candidates = get_user_model().objects.filter(is_active=True)
    if application.step == Unit.Step.UNIT:
        candidates = candidates.filter(role=Role.UNIT_REVIEWER, unit_id=application.unit_id)
    elif application.step == Unit.Step.DEPARTMENT:
        candidates = candidates.filter(role=Role.UNIT_REVIEWER, unit_id=application.unit.competent_id)
    else:
        candidates = candidates.filter(role=Role.STAFF)
    # is_reviewer stays the one rule; the query above only narrows whom it is asked about.
    return [u for u in candidates.select_related("jurisdiction") if is_reviewer(u, application)]


def clerks_of(application):
    return list(get_user_model().objects.filter(is_active=True, role=Role.CLERK, unit_id=application.unit_id))


def send(users, application, message, key=""):
    """Notify each user once (per key, when a key is given); e-mail those who want it."""
    sent = []
    for user in users:
        try:
            with transaction.atomic():
                Notification.objects.create(user=user, application=application, message=message,
                                            key=f"{key}" if key else "")
        except IntegrityError:
            continue  # this reminder was sent already
        sent.append(user)
        if user.email and user.email_notifications:
            try:
                send_mail(_("Waishi: %(number)s") % {"number": application.number if application else ""},
                          message, None, [user.email])
            except Exception:  # a mail server down must not undo a move; the in-app notice stands
                logger.warning("mail to %s failed", user.email, exc_info=True)
    return sent


def notify_move(workflow, application, move):
    with translation.override("zh-hans"):
        holder = workflow.holder(application)
        message = _("%(number)s %(title)s: %(action)s by %(actor)s; now “%(state)s”%(holder)s%(due)s.") % {
            "number": application.number, "title": application.title,
            "action": workflow.transition(move.action).verb or workflow.transition(move.action).label, "actor": move.actor.get_full_name() or move.actor,
            "state": workflow.state_label(application.state),
            "holder": (_(", held by %(holder)s") % {"holder": holder}) if holder else "",
            "due": (_(", due %(date)s") % {"date": application.due_on}) if application.due_on else "",
        }
        if move.comment:
            message += " " + _("Comment: %(comment)s") % {"comment": move.comment}
    if application.state == workflow.review_state:
        users = reviewers_of(application)
    else:
        users = clerks_of(application)
    send([u for u in users if u.pk != move.actor_id], application, message)


def remind(today=None, days_ahead=1):
    """Remind holders of applications due within `days_ahead` days or overdue (once per due date)."""
    from .services import workflow_for

    today = today or date.today()
    count = 0
    due = Application.objects.exclude(due_on=None).filter(due_on__lte=today + timedelta(days=days_ahead))
    for application in due.select_related("unit"):
        workflow = workflow_for(application.service)
        users = reviewers_of(application) if application.state == workflow.review_state else clerks_of(application)
        with translation.override("zh-hans"):
            if application.due_on < today:
                message = _("%(number)s %(title)s is overdue since %(date)s.")
            else:
                message = _("%(number)s %(title)s is due on %(date)s.")
            message = message % {"number": application.number, "title": application.title,
                                 "date": application.due_on}
        count += len(send(users, application, message, key=f"due:{application.pk}:{application.due_on}:"
                          f"{'over' if application.due_on < today else 'soon'}"))
    return count
