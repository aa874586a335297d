"""Every write to treatment plans. Atomic, audited; content never goes into audit details."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.plans import content as plan_content
from trellis.plans.models import (
    PlanTemplate,
    PlanVersion,
    TreatmentPlan,
    VersionStatus,
    review_interval_for,
)
from trellis.plans.signing import check_signature, credentials_of

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.participants.models import Episode
    from trellis.programs.models import Program


class EditConflict(Exception):
    """Someone saved the draft after this editor loaded it. Nothing was written; `current`
    is what is saved now, so the page can show both versions side by side."""

    def __init__(self, current: PlanVersion) -> None:
        super().__init__("The draft was changed by someone else.")
        self.current = current


def _audit(actor: User | None, action: str, version: PlanVersion, **detail: Any) -> None:
    record(
        actor,
        action,
        participant=version.plan.episode.participant,
        obj=version,
        purpose=Purpose.TREAT,
        detail={"plan": str(version.plan.public_id), "number": version.number, **detail},
    )


def check_start_plan(
    actor: User, episode: Episode, *, template: PlanTemplate | None = None
) -> PlanVersion:
    """Open the episode's draft: the existing draft, a revision of the signed plan, or a new
    plan (from a template of the episode's program, or blank)."""
    if template is not None and template.program_id != episode.program_id:
        raise ValidationError({"template": "That template belongs to another program."})
    if template is not None and not template.is_active:
        raise ValidationError({"template": "That template is retired: choose another."})
    if not episode.is_open:
        raise ValidationError({"episode": "The episode is discharged: its plan is closed."})
    plan = TreatmentPlan.objects.filter(episode=episode).first()
    if plan is not None:
        draft = plan.versions.filter(status=VersionStatus.DRAFT).first()
        if draft is not None:
            return draft
        return do_start_revision(actor, plan)
    try:
        return do_start_plan(actor, episode, template=template)
    except IntegrityError:
        # Two people pressed "Start" at once: the other one's plan is the plan.
        return check_start_plan(actor, episode)


@transaction.atomic
def do_start_plan(
    actor: User | None, episode: Episode, *, template: PlanTemplate | None = None
) -> PlanVersion:
    plan = TreatmentPlan.objects.create(episode=episode)
    start = plan_content.load(template.content if template else None)
    if template is None:
        start = plan_content.add_row(start, "problem")
        start = plan_content.add_row(start, f"goal:{start.problems[0].key}")
        start = plan_content.add_row(start, f"objective:{start.goals[0].key}")
        start = plan_content.add_row(start, "intervention")
    version = PlanVersion.objects.create(
        plan=plan,
        number=1,
        status=VersionStatus.DRAFT,
        content=start.to_json(),
        template=template,
        created_by=actor,
        updated_by=actor,
    )
    _audit(
        actor,
        Action.CREATE,
        version,
        template=str(template.public_id) if template else "",
    )
    return version


@transaction.atomic
def do_start_revision(actor: User | None, plan: TreatmentPlan) -> PlanVersion:
    latest = plan.versions.filter(status=VersionStatus.SIGNED).order_by("-number").first()
    number = (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = PlanVersion.objects.create(
        plan=plan,
        number=number,
        status=VersionStatus.DRAFT,
        content=latest.content if latest else {},
        created_by=actor,
        updated_by=actor,
    )
    _audit(actor, Action.CREATE, version, revises=latest.number if latest else None)
    return version


def check_discard_draft(actor: User, episode: Episode, *, number: int) -> PlanVersion:
    """Discard the revision draft numbered `number` (the one the actor saw): the signed
    version before it stays the current plan. A plan's first draft is not discarded here:
    without a signed version there would be no plan left to stand."""
    plan = TreatmentPlan.objects.filter(episode=episode).first()
    draft = plan.versions.filter(status=VersionStatus.DRAFT).first() if plan else None
    if plan is None or draft is None or draft.number != number:
        raise ValidationError(
            {"__all__": "The draft has changed since you opened it (signed, discarded or "
             "started again): nothing was discarded."}
        )  # fmt: skip
    signed = plan.versions.filter(status=VersionStatus.SIGNED).order_by("-number").first()
    if signed is None:
        raise ValidationError(
            {"__all__": "This is the plan's first draft: there is no signed plan to go back to."}
        )
    return do_discard_draft(actor, draft, current=signed)


@transaction.atomic
def do_discard_draft(
    actor: User | None, draft: PlanVersion, *, current: PlanVersion
) -> PlanVersion:
    """Delete a revision draft (never signed, so nothing signed is lost); the event keeps
    which version was discarded, by whom, and which version stays current (no content)."""
    locked = (
        PlanVersion.objects.select_for_update(of=("self",))
        .select_related("plan__episode__participant")
        .filter(pk=draft.pk, status=VersionStatus.DRAFT)
        .first()
    )
    if locked is None:
        raise ValidationError({"__all__": "The draft was signed meanwhile: nothing was discarded."})
    _audit(
        actor,
        Action.DELETE,
        locked,
        discarded=True,
        revision=locked.revision,
        current=current.number,
    )
    locked.delete()
    return locked


def check_save_draft(
    actor: User, version: PlanVersion, content: plan_content.PlanContent, *, revision: int
) -> PlanVersion:
    """Save the editor's content if nobody saved since `revision`; else raise EditConflict."""
    if version.status != VersionStatus.DRAFT:
        raise ValidationError({"status": "This version is signed: start a revision to change it."})
    return do_save_draft(actor, version, content, revision=revision)


@transaction.atomic
def do_save_draft(
    actor: User | None, version: PlanVersion, content: plan_content.PlanContent, *, revision: int
) -> PlanVersion:
    now = timezone.now()
    # One conditional UPDATE decides the race: of two editors holding the same revision,
    # exactly one matches; the other gets a conflict, never a silent overwrite.
    updated = PlanVersion.objects.filter(
        pk=version.pk, status=VersionStatus.DRAFT, revision=revision
    ).update(
        content=content.to_json(), revision=F("revision") + 1, updated_at=now, updated_by=actor
    )
    current = PlanVersion.objects.select_related("updated_by", "plan__episode__participant").get(
        pk=version.pk
    )
    if not updated:
        if current.status != VersionStatus.DRAFT:
            raise ValidationError({"status": "This draft was signed meanwhile: nothing saved."})
        raise EditConflict(current)
    _audit(actor, Action.UPDATE, current, revision=current.revision)
    return current


def check_sign_plan(
    actor: User,
    version: PlanVersion,
    *,
    typed_name: str,
    password: str,
    revision: int,
    confirm_unchanged: bool = False,
) -> PlanVersion:
    """Sign a draft: complete, individualized (or knowingly not), by a credentialed
    clinician who re-enters their password."""
    if version.status != VersionStatus.DRAFT:
        raise ValidationError({"status": "This version is already signed."})
    if version.revision != revision:
        raise ValidationError(
            {"revision": "The draft changed since you opened it: read it again, then sign."}
        )
    profile = getattr(actor, "staff_profile", None)
    if profile is not None and profile.is_trainee:
        raise ValidationError(
            {"signer": "A plan is signed by a licensed clinician, not a trainee."}
        )
    if not credentials_of(actor, on=version.plan.episode.program.organization.today()):
        raise ValidationError(
            {"signer": "Signing a plan needs a current credential on your profile."}
        )
    document = plan_content.load(version.content)
    missing = plan_content.missing_for_signing(document)
    if missing:
        raise ValidationError(missing)
    unchanged = version.template is not None and plan_content.same_content(
        version.content, version.template.content
    )
    if unchanged and not confirm_unchanged:
        raise ValidationError(
            {
                "confirm_unchanged": (
                    f"This plan is unchanged from the program template “{version.template}”. "
                    "Plans must be individualized: edit it with the participant, or confirm "
                    "that you sign it as it is."
                )
            }
        )
    check_signature(actor, typed_name=typed_name, password=password)
    return do_sign_plan(actor, version, unchanged_from_template=unchanged)


@transaction.atomic
def do_sign_plan(
    actor: User,
    version: PlanVersion,
    *,
    unchanged_from_template: bool = False,
    now: datetime | None = None,
) -> PlanVersion:
    """Sign the draft. `now` is for history recorded later (the demo's past plans); a
    signature made at the keyboard is always signed at the current time."""
    now = now or timezone.now()
    signed_on = timezone.localtime(now, version.plan.episode.program.organization.tz).date()
    # Sign exactly what the signer read: lock the row and make sure nobody saved since.
    locked = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != VersionStatus.DRAFT or locked.revision != version.revision:
        raise ValidationError(
            {"revision": "The draft changed since you opened it: read it again, then sign."}
        )
    version.status = VersionStatus.SIGNED
    version.signed_at = now
    version.signed_by = actor
    version.signer_name = actor.name
    version.signer_credentials = credentials_of(actor, on=signed_on)
    version.unchanged_from_template = unchanged_from_template
    version.save()
    plan = version.plan
    plan.review_due_on = signed_on + timedelta(days=review_interval_for(plan.episode.program))
    plan.review_reason = ""
    plan.review_requested_at = None
    plan.save(update_fields=["review_due_on", "review_reason", "review_requested_at"])
    _audit(
        actor,
        Action.SIGN,
        version,
        unchanged_from_template=unchanged_from_template,
        review_due_on=plan.review_due_on.isoformat(),
    )
    return version


def check_acknowledge_plan(
    actor: User, version: PlanVersion, *, typed_name: str, agreed: bool
) -> PlanVersion:
    """The participant's acknowledgement, on a tablet handed to them in session (staff
    signed in: `actor` is that staff member) or, later, in the portal."""
    errors: dict[str, str] = {}
    if not version.is_signed:
        errors["status"] = "Only a signed plan can be acknowledged."
    elif version.acknowledged_at is not None:
        errors["status"] = "This plan version is already acknowledged."
    if not typed_name.strip():
        errors["typed_name"] = "Type your name."
    if not agreed:
        errors["agreed"] = "Tick the box to say you took part in this plan and received it."
    if errors:
        raise ValidationError(errors)
    return do_acknowledge_plan(actor, version, typed_name=typed_name.strip()[:150])


@transaction.atomic
def do_acknowledge_plan(
    actor: User | None, version: PlanVersion, *, typed_name: str
) -> PlanVersion:
    version.acknowledged_at = timezone.now()
    version.acknowledged_name = typed_name
    version.save(update_fields=["acknowledged_at", "acknowledged_name"])
    _audit(actor, Action.UPDATE, version, acknowledged=True)
    return version


@transaction.atomic
def do_request_plan_review(
    episode: Episode, reason: str, *, actor: User | None = None
) -> TreatmentPlan | None:
    """Make the episode's plan review due now, with a short coded reason ("reliable
    deterioration", "not on track", "team meeting"): for other apps to call. Without a plan
    there is nothing to review (the plan is due anyway); returns None."""
    plan = TreatmentPlan.objects.filter(episode=episode).select_related("episode").first()
    if plan is None:
        return None
    today = episode.program.organization.today()
    plan.review_due_on = min(plan.review_due_on or today, today)
    plan.review_reason = reason.strip()[:200]
    plan.review_requested_at = timezone.now()
    plan.save(update_fields=["review_due_on", "review_reason", "review_requested_at"])
    record(
        actor,
        Action.UPDATE,
        participant=episode.participant,
        obj=plan,
        purpose=Purpose.TREAT,
        detail={"review_requested": plan.review_reason},
    )
    return plan


@dataclass(frozen=True)
class TemplateData:
    name: str
    content: plan_content.PlanContent


TEMPLATE_NAME_LENGTH = 150


def _check_template_name(program: Program, name: str, exclude: PlanTemplate | None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the template a name."})
    if len(name) > TEMPLATE_NAME_LENGTH:
        raise ValidationError({"name": f"Keep the name under {TEMPLATE_NAME_LENGTH} characters."})
    same = PlanTemplate.objects.filter(program=program, name__iexact=name)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise ValidationError({"name": "The program has a template of that name already."})
    return name


def check_create_plan_template(actor: User, program: Program, data: TemplateData) -> PlanTemplate:
    name = _check_template_name(program, data.name, None)
    return do_create_plan_template(actor, program, TemplateData(name, data.content))


@transaction.atomic
def do_create_plan_template(
    actor: User | None, program: Program, data: TemplateData
) -> PlanTemplate:
    template = PlanTemplate.objects.create(
        program=program, name=data.name.strip(), content=data.content.to_json()
    )
    record(
        actor,
        Action.CREATE,
        obj=template,
        purpose=Purpose.HOPERAT,
        detail={"program": str(program.public_id)},
    )
    return template


def check_update_plan_template(
    actor: User, template: PlanTemplate, data: TemplateData
) -> PlanTemplate:
    """Rename a template or change its document. Plans already started from it keep their
    own copy (a plan version holds its content): only new plans start from the change."""
    if not template.is_active:
        raise ValidationError({"name": "This template is retired."})
    name = _check_template_name(template.program, data.name, template)
    return do_update_plan_template(actor, template, TemplateData(name, data.content))


@transaction.atomic
def do_update_plan_template(
    actor: User | None, template: PlanTemplate, data: TemplateData
) -> PlanTemplate:
    template.name = data.name
    template.content = data.content.to_json()
    template.save(update_fields=["name", "content"])
    record(
        actor,
        Action.UPDATE,
        obj=template,
        purpose=Purpose.HOPERAT,
        detail={"program": str(template.program.public_id)},
    )
    return template


def check_retire_plan_template(actor: User, template: PlanTemplate) -> PlanTemplate:
    if not template.is_active:
        raise ValidationError({"template": "This template is already retired."})
    return do_retire_plan_template(actor, template)


@transaction.atomic
def do_retire_plan_template(actor: User | None, template: PlanTemplate) -> PlanTemplate:
    """New plans can no longer start from it; plans started from it are unchanged."""
    template.is_active = False
    template.save(update_fields=["is_active"])
    record(actor, Action.UPDATE, obj=template, purpose=Purpose.HOPERAT, detail={"retired": True})
    return template


@transaction.atomic
def do_set_review_interval(actor: User | None, program: Program, days: int) -> None:
    from trellis.plans.models import PlanSettings

    if not 1 <= days <= 365:
        raise ValidationError({"review_interval_days": "Between 1 and 365 days."})
    PlanSettings.objects.update_or_create(program=program, defaults={"review_interval_days": days})
    record(
        actor,
        Action.UPDATE,
        object_type="plans.plansettings",
        object_id=str(program.public_id),
        purpose=Purpose.HOPERAT,
        detail={"review_interval_days": days},
    )
