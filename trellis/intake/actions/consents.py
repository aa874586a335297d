"""Consent documents and admission settings (a director's set-up), and consent signatures
(at admission and after).

Documents are versioned: `check_revise_consent_document` adds version n+1 and retires n;
signatures keep pointing at the version the person agreed to. Audit details carry ids and
codes, never the typed name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.intake.models import (
    AdmissionSettings,
    ConsentDocument,
    ConsentMethod,
    ConsentSignature,
)
from trellis.participants.models import Episode
from trellis.programs.models import Program

if TYPE_CHECKING:
    from trellis.accounts.models import User


@dataclass(frozen=True)
class DefaultConsent:
    key: str
    title: str
    summary: str
    may_follow: bool
    active: bool = True


# Seeded for every program on first use. Wording is a plain-language summary for the tablet;
# programs replace it with their own forms (a new version). A release of information (ROI)
# names a recipient per disclosure and is not part of admission yet.
DEFAULT_CONSENTS = (
    DefaultConsent(
        "treatment",
        "Consent to treatment",
        "I agree to take part in this program's group and individual sessions, check-ins "
        "and treatment planning. I can ask questions at any time and I can stop treatment "
        "at any time.",
        may_follow=False,
    ),
    # Trellis has no "Part 2 program" flag yet: the document is seeded inactive and the
    # director of a substance-use program turns it on (docs/intake-and-discharge.md).
    DefaultConsent(
        "part2",
        "Consent under 42 CFR Part 2",
        "Records of my substance-use treatment are protected by federal law (42 CFR Part 2). "
        "They are not shared without my written consent, except where the law allows. I "
        "agree to the uses and disclosures for treatment, payment and operations described "
        "in the program's notice.",
        may_follow=False,
        active=False,
    ),
    DefaultConsent(
        "telehealth",
        "Consent to telehealth",
        "Some sessions may be held by secure video. I understand how video sessions work, "
        "their risks, and that I can ask for an in-person session instead.",
        may_follow=True,
    ),
)


@transaction.atomic
def do_seed_consent_documents(actor: User | None, program: Program) -> list[ConsentDocument]:
    """The default documents for a program that has none (idempotent)."""
    if ConsentDocument.objects.filter(program=program).exists():
        return []
    made = [
        ConsentDocument.objects.create(
            program=program,
            key=d.key,
            title=d.title,
            summary=d.summary,
            may_follow=d.may_follow,
            is_active=d.active,
            created_by=actor,
        )
        for d in DEFAULT_CONSENTS
    ]
    record(
        actor,
        Action.CREATE,
        obj=program,
        object_type="intake.consentdocument",
        purpose=Purpose.HOPERAT,
        actor_label="" if actor else "system",
        detail={"defaults": len(made)},
    )
    return made


def _check_document_fields(title: str, summary: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "Give the document a title."
    elif len(title) > 150:
        errors["title"] = "Keep the title to 150 characters."
    if not summary.strip():
        errors["summary"] = "Write what the person reads and agrees to."
    return errors


def check_revise_consent_document(
    actor: User,
    document: ConsentDocument,
    *,
    title: str,
    summary: str,
    required: bool,
    may_follow: bool,
    is_active: bool,
) -> ConsentDocument:
    """Save a document's set-up. A change of wording makes a new version (old signatures
    stay on the old one); switching it on or off, required or "may follow" changes the
    current version in place, since no one signed those flags."""
    errors = _check_document_fields(title, summary)
    if not document.is_active and document.signatures.exists() and not is_active:
        errors.setdefault("is_active", "This version is retired.")
    if errors:
        raise ValidationError(errors)
    return do_revise_consent_document(
        actor,
        document,
        title=title.strip(),
        summary=summary.strip(),
        required=required,
        may_follow=may_follow,
        is_active=is_active,
    )


@transaction.atomic
def do_revise_consent_document(
    actor: User,
    document: ConsentDocument,
    *,
    title: str,
    summary: str,
    required: bool,
    may_follow: bool,
    is_active: bool,
) -> ConsentDocument:
    reworded = (title, summary) != (document.title, document.summary)
    if reworded:
        latest = (
            ConsentDocument.objects.filter(program=document.program, key=document.key)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        ) or document.version
        ConsentDocument.objects.filter(program=document.program, key=document.key).update(
            is_active=False
        )
        current = ConsentDocument.objects.create(
            program=document.program,
            key=document.key,
            title=title,
            summary=summary,
            version=latest + 1,
            required=required,
            may_follow=may_follow,
            is_active=is_active,
            created_by=actor,
        )
    else:
        if is_active and not document.is_active:
            ConsentDocument.objects.filter(program=document.program, key=document.key).exclude(
                pk=document.pk
            ).update(is_active=False)
        document.required, document.may_follow, document.is_active = (
            required,
            may_follow,
            is_active,
        )
        document.save(update_fields=["required", "may_follow", "is_active"])
        current = document
    record(
        actor,
        Action.UPDATE,
        obj=current,
        purpose=Purpose.HOPERAT,
        detail={"key": current.key, "version": current.version, "new_version": reworded},
    )
    return current


def check_add_consent_document(
    actor: User, program: Program, *, key: str, title: str, summary: str, may_follow: bool
) -> ConsentDocument:
    errors = _check_document_fields(title, summary)
    if not key or not key.replace("-", "").isalnum() or len(key) > 40:
        errors["key"] = "Use a short name of letters, digits and dashes, e.g. group-rules."
    elif ConsentDocument.objects.filter(program=program, key=key).exists():
        errors["key"] = "The program already has a document by that short name."
    if errors:
        raise ValidationError(errors)
    return do_add_consent_document(
        actor, program, key=key, title=title.strip(), summary=summary.strip(), may_follow=may_follow
    )


@transaction.atomic
def do_add_consent_document(
    actor: User, program: Program, *, key: str, title: str, summary: str, may_follow: bool
) -> ConsentDocument:
    document = ConsentDocument.objects.create(
        program=program, key=key, title=title, summary=summary, may_follow=may_follow,
        created_by=actor,
    )  # fmt: skip
    record(actor, Action.CREATE, obj=document, purpose=Purpose.HOPERAT, detail={"key": key})
    return document


@dataclass(frozen=True)
class ConsentEntry:
    """What the form says about one document: signed on the tablet (`typed_name` and
    `agreed`), signed on paper (`signed_on`), or to follow."""

    document: ConsentDocument
    method: str
    typed_name: str = ""
    agreed: bool = False
    signed_on: date | None = None


def consent_errors(entry: ConsentEntry, today: date, *, field: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    doc = entry.document
    if entry.method == ConsentMethod.TABLET:
        if not entry.typed_name.strip():
            errors[field] = f"{doc.title}: the person types their name to sign."
        elif not entry.agreed:
            errors[field] = f"{doc.title}: the person ticks “I have read and agree”."
    elif entry.method == ConsentMethod.PAPER:
        if entry.signed_on is None:
            errors[field] = f"{doc.title}: enter the date on the paper form."
        elif entry.signed_on > today:
            errors[field] = f"{doc.title}: the paper form's date is in the future."
    elif entry.method == ConsentMethod.TO_FOLLOW:
        if not doc.may_follow:
            errors[field] = f"{doc.title} is needed before admission: sign it now."
    else:
        errors[field] = f"{doc.title}: choose how it is signed."
    return errors


@transaction.atomic
def do_record_consent(
    actor: User, episode: Episode, entry: ConsentEntry, today: date
) -> ConsentSignature:
    """Record one consent (within the caller's transaction). A signature replaces a "to
    follow" on the same version; a signed version is never rewritten."""
    existing = ConsentSignature.objects.filter(episode=episode, document=entry.document).first()
    if existing is not None and existing.is_signed:
        return existing
    method = entry.method
    values = {
        "method": method,
        "typed_name": entry.typed_name.strip() if method == ConsentMethod.TABLET else "",
        "signed_on": (
            today if method == ConsentMethod.TABLET
            else entry.signed_on if method == ConsentMethod.PAPER else None
        ),
        "witnessed_by": actor if method == ConsentMethod.TABLET else None,
    }  # fmt: skip
    if existing is None:
        signature = ConsentSignature.objects.create(
            episode=episode, document=entry.document, **values
        )
    else:
        for key, value in values.items():
            setattr(existing, key, value)
        existing.save(update_fields=[*values])
        signature = existing
    record(
        actor,
        Action.CREATE if existing is None else Action.UPDATE,
        participant=episode.participant,
        obj=signature,
        purpose=Purpose.HOPERAT,
        detail={
            "document": entry.document.key,
            "version": entry.document.version,
            "method": method,
        },
    )
    return signature


def check_sign_consent(actor: User, episode: Episode, entry: ConsentEntry) -> ConsentSignature:
    """Sign (or record on paper) one document after admission: a "to follow" one, or one
    the program added since."""
    today = episode.program.organization.today()
    errors = consent_errors(entry, today, field="method")
    if entry.method == ConsentMethod.TO_FOLLOW:
        errors["method"] = "Sign it on the tablet or record the paper form."
    if entry.document.program_id != episode.program_id or not entry.document.is_active:
        errors["document"] = "That document is not one of this program's current forms."
    if not episode.is_open:
        errors["episode"] = "This episode is closed."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return do_record_consent(actor, episode, entry, today)


def check_save_admission_settings(
    actor: User, program: Program, *, plan_due_days: int, baseline_days: int
) -> AdmissionSettings:
    """When the initial plan is due, and how recent a screening must be to be the baseline."""
    errors: dict[str, str] = {}
    if not 1 <= plan_due_days <= 60:
        errors["plan_due_days"] = "Between 1 and 60 days."
    if not 0 <= baseline_days <= 60:
        errors["baseline_days"] = "Between 0 and 60 days."
    if errors:
        raise ValidationError(errors)
    return do_save_admission_settings(
        actor, program, plan_due_days=plan_due_days, baseline_days=baseline_days
    )


@transaction.atomic
def do_save_admission_settings(
    actor: User, program: Program, *, plan_due_days: int, baseline_days: int
) -> AdmissionSettings:
    settings, _ = AdmissionSettings.objects.update_or_create(
        program=program,
        defaults={"plan_due_days": plan_due_days, "baseline_days": baseline_days},
    )
    record(
        actor,
        Action.UPDATE,
        obj=program,
        object_type="intake.admissionsettings",
        purpose=Purpose.HOPERAT,
        detail={"plan_due_days": plan_due_days, "baseline_days": baseline_days},
    )
    return settings
