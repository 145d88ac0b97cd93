"""A cooperation project's life: 立项 → 跟踪 → 评估 → 成果转化 (proposed → tracked → evaluated → delivered).

The rules of a step, checked by `check_step` for the form and again by `record_step` (called by
services.advance_project) before anything is written:
- a project never goes back to an earlier stage; the stage it is at may be recorded again (a further note);
- moving on by more than one stage skips the stages between, and needs the reason;
- a step's date lies neither before the project's proposed date, nor before the last step recorded,
  nor in the future.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Project, ProjectUpdate

STAGE_ORDER = [s.value for s in Project.Stage]


def skipped_stages(current, stage):
    """The stages between `current` and `stage` that the step would pass over."""
    return [Project.Stage(s) for s in STAGE_ORDER[STAGE_ORDER.index(current) + 1 : STAGE_ORDER.index(stage)]]


def check_step(project, *, stage, on, skip_reason="", today=None):
    """Errors by field ("stage", "on", "skip_reason") of recording `stage` on `on`; empty when it may be recorded."""
    today = today or date.today()
    errors = {}
    if stage not in STAGE_ORDER:
        return {"stage": [_("Unknown stage.")]}
    # The project's stage before any step is "proposed"; the first step records it.
    if STAGE_ORDER.index(stage) < STAGE_ORDER.index(project.stage):
        errors["stage"] = [
            _("The project is at the stage “%(current)s”; it cannot go back to “%(stage)s”.")
            % {"current": Project.Stage(project.stage).label, "stage": Project.Stage(stage).label}
        ]
    else:
        skipped = skipped_stages(project.stage, stage)
        if skipped and not (skip_reason or "").strip():
            errors["skip_reason"] = [
                _("Moving from “%(current)s” to “%(stage)s” skips %(skipped)s: give the reason.")
                % {
                    "current": Project.Stage(project.stage).label,
                    "stage": Project.Stage(stage).label,
                    "skipped": "、".join(f"“{s.label}”" for s in skipped),
                }
            ]
    if on is not None:
        last = project.updates.order_by("-on", "-id").first() if project.pk else None
        if on > today:
            errors.setdefault("on", []).append(_("The date cannot be in the future."))
        elif project.proposed_on and on < project.proposed_on:
            errors.setdefault("on", []).append(
                _("The date is before the project was proposed (%(date)s).") % {"date": project.proposed_on.isoformat()}
            )
        elif last is not None and on < last.on:
            errors.setdefault("on", []).append(
                _("The date is before the last recorded stage, “%(stage)s” on %(date)s.")
                % {"stage": last.get_stage_display(), "date": last.on.isoformat()}
            )
    return errors


def record_step(project, *, user, stage, on, note="", skip_reason="", today=None):
    """Record a step after checking it; ValidationError (by field) when a rule is broken."""
    errors = check_step(project, stage=stage, on=on, skip_reason=skip_reason, today=today)
    if errors:
        raise ValidationError(errors)
    skipped = skipped_stages(project.stage, stage)
    ProjectUpdate.objects.create(
        project=project, stage=stage, on=on, note=note, skip_reason=(skip_reason or "").strip() if skipped else "",
        recorded_by=user,
    )
    project.stage = stage
    project.save(update_fields=["stage", "updated_at"])
    return project
