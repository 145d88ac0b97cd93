"""The service engine: a service is a state machine declared in one place.

A `Workflow` lists its states and its `Transition`s: the states it leaves
from, where it goes (a state, or the next review step), who may make it
(the applicant unit's clerk, or the reviewer of the step that holds the
application), what it requires (checks that return error messages), whether a
comment is needed, and what happens after (documents, notifications, side
records). `perform` makes a move: it checks all of that, then changes the
application only if nobody moved it in the meantime (the version it was read
at), records the move, which is never edited afterwards, and notifies.

Review steps follow the unit's chain (accounts.Unit.steps): unit → competent
department → foreign affairs office, configurable per unit; every chain ends at
the foreign affairs office of the unit's jurisdiction, the only one that decides.

Every move that advances or approves an application runs the workflow's
`advance_checks` again, whoever makes it and at whatever step: what was true at
filing may no longer be. Recusal (回避) is the engine's too: a service names the
people who have a part in an application (`parties`), and a user linked to one
of them (accounts.User.person) makes no move on it but the applicant's own.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import scope_prefix, scope_q
from accounts.models import Role, Unit

from .calendar import add_working_days
from .models import Application, Move

APPLICANT = "applicant"
REVIEWER = "reviewer"
OFFICE = "office"  # foreign affairs office staff of the application's jurisdiction, whatever step
NEXT_STEP = "__next_step__"
FIRST_STEP = "__first_step__"
STEP_LABELS = dict(Unit.Step.choices)


class Conflict(Exception):
    """Someone else moved the application first."""


def CONFLICT_MESSAGE():  # noqa: N802  a message, translated when raised
    return _("Someone else has acted on this application in the meantime. Reload it to see its state and act again.")


class NotAllowed(Exception):
    def __init__(self, errors):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class Transition:
    action: str
    label: object
    sources: tuple
    target: str
    actor: str
    needs_comment: bool = False
    checks: tuple = ()
    after: tuple = ()
    style: str = ""
    verb: object = ""  # the button: "Approve" where the label says "approved"


@dataclass
class Workflow:
    service: str
    states: dict
    transitions: list
    review_state: str = "review"
    # working days a review step has, and days an applicant has to answer a return
    review_days: dict = field(default_factory=lambda: {"unit": 3, "department": 3, "fao": 5})
    returned_days: int = 10
    returned_state: str = "returned"
    snapshot: Callable = None
    detail_url: Callable = None
    # checks run again on every move that advances or approves (submission and each approval)
    advance_checks: tuple = ()
    # application -> {person id: why that person has a part in it}, for recusal
    parties: Callable = None

    def transition(self, action):
        for t in self.transitions:
            if t.action == action:
                return t
        raise KeyError(action)

    def state_label(self, state):
        return self.states.get(state, state)

    def holder(self, application):
        """Who holds the application now, in words."""
        if application.state == self.review_state:
            return STEP_LABELS.get(application.step, application.step)
        if application.state in ("draft", self.returned_state):
            return _("the applicant unit")
        return ""

    def actions_for(self, application, user):
        if self.recusal(application, user):
            return [t for t in self.transitions if application.state in t.sources and t.actor == APPLICANT
                    and may_act(user, application, t)]
        return [t for t in self.transitions
                if application.state in t.sources and may_act(user, application, t)]

    def recusal(self, application, user):
        """Why `user` must stand aside from deciding on `application` (回避), or "" when they need not."""
        person_id = getattr(user, "person_id", None)
        if not person_id or self.parties is None:
            return ""
        part = self.parties(application).get(person_id)
        if not part:
            return ""
        return _("You do not act on this application: %(part)s (recusal). Another reviewer decides on it.") % {
            "part": part}

    def advances(self, transition):
        return transition.target in (FIRST_STEP, NEXT_STEP) or transition.target == "approved"

    @transaction.atomic
    def perform(self, application, action, user, *, version, comment="", field_comments=None, today=None):
        today = today or date.today()
        t = self.transition(action)
        if application.version != version:
            raise Conflict(CONFLICT_MESSAGE())
        if application.state not in t.sources:
            raise NotAllowed([_("This application cannot be %(action)s from its state “%(state)s”.")
                              % {"action": t.verb or t.label, "state": self.state_label(application.state)}])
        if t.actor != APPLICANT and (reason := self.recusal(application, user)):
            raise NotAllowed([reason])
        if not may_act(user, application, t):
            raise PermissionDenied
        errors = []
        if t.needs_comment and not comment.strip():
            errors.append(_("Give a reason or comment."))
        for check in t.checks:
            errors.extend(check(application, user))
        if self.advances(t):
            for check in self.advance_checks:
                errors.extend(check(application, user))
        if errors:
            raise NotAllowed(errors)
        target, step = self._target(application, t)
        due = self._due(target, step, today)
        changed = Application.objects.filter(pk=application.pk, version=version, state=application.state).update(
            state=target, step=step, version=F("version") + 1, due_on=due, updated_at=timezone.now(),
            **self._stamps(application, t, target),
        )
        if not changed:
            raise Conflict(CONFLICT_MESSAGE())
        move = Move.objects.create(
            application=application, action=action, from_state=application.state, to_state=target,
            step=application.step, actor=user, comment=comment, field_comments=field_comments or {},
            snapshot=self.snapshot(application) if self.snapshot else {},
        )
        application.refresh_from_db()
        for hook in t.after:
            hook(application, move, user)
        from .notify import notify_move

        notify_move(self, application, move)
        return move

    def _target(self, application, t):
        steps = application.unit.steps()
        if t.target == FIRST_STEP:
            return self.review_state, steps[0]
        if t.target == NEXT_STEP:
            index = steps.index(application.step) if application.step in steps else -1
            if index + 1 < len(steps):
                return self.review_state, steps[index + 1]
            if application.step != Unit.Step.FAO:
                # Only the foreign affairs office decides: a chain that lost it still ends there.
                return self.review_state, Unit.Step.FAO
            return "approved", ""
        return t.target, ""

    def _due(self, state, step, today):
        if state == self.review_state:
            return add_working_days(today, self.review_days.get(step, 5))
        if state == self.returned_state:
            return add_working_days(today, self.returned_days)
        return None

    def _stamps(self, application, t, target):
        stamps = {}
        if t.target == FIRST_STEP:
            stamps["submitted_at"] = timezone.now()
        if target in ("approved", "rejected"):
            stamps["decided_at"] = timezone.now()
        return stamps


def is_applicant(user, application):
    return (user.is_authenticated and user.is_active and user.role == Role.CLERK
            and user.unit_id == application.unit_id)


def is_reviewer(user, application):
    """Does `user` review at the step that holds the application?"""
    if not (user.is_authenticated and user.is_active) or not application.step:
        return False
    if application.step == Unit.Step.UNIT:
        return user.role == Role.UNIT_REVIEWER and user.unit_id == application.unit_id
    if application.step == Unit.Step.DEPARTMENT:
        return (user.role == Role.UNIT_REVIEWER and application.unit.competent_id is not None
                and user.unit_id == application.unit.competent_id)
    if application.step == Unit.Step.FAO:
        return is_office(user, application)
    return False


def is_office(user, application):
    """Staff of the foreign affairs office of the application's jurisdiction (or above). The system
    administrator and superusers hold no business role (the three administrators stay apart)."""
    if not (user.is_authenticated and user.is_active):
        return False
    prefix = scope_prefix(user)
    return user.role == Role.STAFF and prefix is not None and application.owner_id.startswith(prefix)


def may_act(user, application, transition):
    if transition.actor == APPLICANT:
        return is_applicant(user, application)
    if transition.actor == OFFICE:
        return is_office(user, application)
    return is_reviewer(user, application)


def visible_applications(user, service=None):
    """Applications `user` may read: their unit's (clerks), their unit's and the units they supervise
    (unit reviewers), their jurisdiction's and below (office staff, viewers, liaisons)."""
    qs = Application.objects.all()
    if service:
        qs = qs.filter(service=service)
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == Role.CLERK:
        return qs.filter(unit_id=user.unit_id) if user.unit_id else qs.none()
    if user.role == Role.UNIT_REVIEWER:
        if not user.unit_id:
            return qs.none()
        return qs.filter(Q(unit_id=user.unit_id) | Q(unit__competent_id=user.unit_id))
    return qs.filter(scope_q(user))


def waiting_for(user, service=None):
    """Applications held by a step this user reviews, or returned to this user's unit."""
    qs = visible_applications(user, service)
    if user.role == Role.CLERK:
        return qs.filter(state__in=["draft", "returned"])
    if user.role == Role.UNIT_REVIEWER:
        return qs.filter(Q(step=Unit.Step.UNIT, unit_id=user.unit_id)
                         | Q(step=Unit.Step.DEPARTMENT, unit__competent_id=user.unit_id), state="review")
    if user.role == Role.STAFF:
        return qs.filter(step=Unit.Step.FAO, state="review")
    return qs.none()


def overdue(applications, today=None):
    return applications.filter(due_on__lt=today or date.today()).exclude(due_on=None)

