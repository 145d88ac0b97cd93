"""The applicant's and reviewer's desk across services: what waits for me,
what is overdue, my notifications."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .calendar import coverage_warning
from .services import workflow_for
from .workflow import overdue, visible_applications, waiting_for


def _rows(applications):
    rows = []
    for application in applications.select_related("unit")[:200]:
        workflow = workflow_for(application.service)
        rows.append({"application": application, "state": workflow.state_label(application.state),
                     "holder": workflow.holder(application),
                     "url": workflow.detail_url(application) if workflow.detail_url else ""})
    return rows


@login_required
def inbox(request):
    user = request.user
    visible = visible_applications(user)
    late = overdue(visible.filter(state__in=["review", "returned"]))
    by_unit = {}
    for row in _rows(late):
        by_unit.setdefault(row["application"].unit, []).append(row)
    waiting = _rows(waiting_for(user))
    deadlines = [row["application"].due_on for row in waiting] + [
        row["application"].due_on for rows in by_unit.values() for row in rows]
    return render(request, "eservices/inbox.html", {
        "waiting": waiting, "overdue_by_unit": by_unit, "today": date.today(),
        "calendar_warning": coverage_warning(*deadlines),
        "notifications": user.notifications.select_related("application")[:50],
        "unread": user.notifications.filter(read_at__isnull=True).count(),
    })


@login_required
@require_POST
def mark_read(request, pk):
    notification = get_object_or_404(request.user.notifications, pk=pk)
    notification.read_at = timezone.now()
    notification.save(update_fields=["read_at"])
    return redirect("eservices:inbox")
