"""Demographics and contact details after registration, and the organization's MRN sequence.

Contact details (phone, email, address, emergency contact, preferred name, pronouns,
language) are kept current by the front desk, intake and the care team. The legal identity
(legal name, date of birth, MRN) is corrected with a reason, by a director or intake
(docs/intake-and-discharge.md, "Correcting details"). The audit event and the
`IdentityCorrection` row name the fields that changed, never their values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.lib.languages import ISO_639_1, PORTAL_LANGUAGES
from trellis.lib.text import CONTROL_CHARACTERS_MESSAGE, has_control_characters
from trellis.participants.models import IdentityCorrection, MrnSequence, Participant
from trellis.programs.models import Organization

if TYPE_CHECKING:
    from trellis.accounts.models import User

EARLIEST_BIRTH = date(1900, 1, 1)
MAX_REASON = 1000

CONTACT_FIELDS = (
    "preferred_name", "pronouns", "language", "phone", "email", "address_line1",
    "address_line2", "city", "state", "postal_code", "emergency_contact_name",
    "emergency_contact_relationship", "emergency_contact_phone",
)  # fmt: skip
IDENTITY_FIELDS = ("given_name", "family_name", "date_of_birth", "mrn")


def next_mrn(organization: Organization) -> str:
    """The next free MRN of the organization's sequence (`MRN-000042`), taken under a lock on
    the sequence's row: two registrations at once wait for each other and never share a
    number. A number already used by a typed MRN is skipped. Call inside a transaction."""
    MrnSequence.objects.get_or_create(organization=organization)
    sequence = MrnSequence.objects.select_for_update().get(organization=organization)
    number = sequence.next_number
    while Participant.objects.filter(
        organization=organization, mrn__iexact=sequence.format(number)
    ).exists():
        number += 1
    sequence.next_number = number + 1
    sequence.save(update_fields=["next_number"])
    return sequence.format(number)


@dataclass
class ContactDetails:
    """What the contact form holds (type-checked by the form or schema)."""

    preferred_name: str = ""
    pronouns: str = ""
    language: str = "en"
    phone: str = ""
    email: str = ""
    address_line1: str = ""
    address_line2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    emergency_contact_name: str = ""
    emergency_contact_relationship: str = ""
    emergency_contact_phone: str = ""


def check_update_contact(
    actor: User, participant: Participant, details: ContactDetails
) -> list[str]:
    """Validate, then save the contact details; returns the names of the fields changed."""
    errors: dict[str, str] = {}
    for name in CONTACT_FIELDS:
        value = getattr(details, name).strip()
        setattr(details, name, value)
        if has_control_characters(value):
            errors[name] = CONTROL_CHARACTERS_MESSAGE
    details.state = details.state.upper()
    if details.state and (len(details.state) != 2 or not details.state.isalpha()):
        errors["state"] = "Use the two-letter state code, e.g. OR."
    if details.language not in ISO_639_1 and details.language != participant.language:
        errors["language"] = "Choose a language from the list."
    if errors:
        raise ValidationError(errors)
    return do_update_contact(actor, participant, details)


@transaction.atomic
def do_update_contact(
    actor: User | None, participant: Participant, details: ContactDetails
) -> list[str]:
    changed = [n for n in CONTACT_FIELDS if getattr(participant, n) != getattr(details, n)]
    if not changed:
        return []
    for name in changed:
        setattr(participant, name, getattr(details, name))
    participant.save(update_fields=changed)
    record(
        actor,
        Action.UPDATE,
        participant=participant,
        obj=participant,
        purpose=Purpose.HOPERAT,
        detail={"fields": changed},
    )
    return changed


@dataclass
class LegalIdentity:
    given_name: str
    family_name: str
    date_of_birth: date
    mrn: str


def check_correct_identity(
    actor: User, participant: Participant, identity: LegalIdentity, *, reason: str
) -> list[str]:
    """Validate a correction of the legal name, date of birth or MRN, then make it. A reason
    is required; an MRN left empty takes the next number of the organization's sequence."""
    errors: dict[str, str] = {}
    identity.given_name = identity.given_name.strip()
    identity.family_name = identity.family_name.strip()
    identity.mrn = identity.mrn.strip()
    reason = reason.strip()
    for name in ("given_name", "family_name", "mrn"):
        if has_control_characters(getattr(identity, name)):
            errors[name] = CONTROL_CHARACTERS_MESSAGE
    if not identity.given_name:
        errors.setdefault("given_name", "Enter the legal given name.")
    if not identity.family_name:
        errors.setdefault("family_name", "Enter the legal family name.")
    today = participant.organization.today()
    if identity.date_of_birth > today:
        errors["date_of_birth"] = "Date of birth cannot be in the future."
    elif identity.date_of_birth < EARLIEST_BIRTH:
        errors["date_of_birth"] = "Date of birth is before 1900: check the year."
    if (
        identity.mrn
        and "mrn" not in errors
        and identity.mrn.lower() != participant.mrn.lower()
        and Participant.objects.filter(
            organization=participant.organization, mrn__iexact=identity.mrn
        ).exists()
    ):
        errors["mrn"] = f"MRN {identity.mrn} is already used by another participant."
    if not reason:
        errors["reason"] = "Say why the legal details change (e.g. legal name change, typo)."
    elif len(reason) > MAX_REASON:
        errors["reason"] = f"Keep the reason under {MAX_REASON} characters."
    if errors:
        raise ValidationError(errors)
    try:
        return do_correct_identity(actor, participant, identity, reason=reason)
    except IntegrityError as error:
        raise ValidationError({"mrn": f"MRN {identity.mrn} is already in use."}) from error


@transaction.atomic
def do_correct_identity(
    actor: User | None, participant: Participant, identity: LegalIdentity, *, reason: str
) -> list[str]:
    if not identity.mrn:
        identity.mrn = next_mrn(participant.organization)
    changed = [n for n in IDENTITY_FIELDS if getattr(participant, n) != getattr(identity, n)]
    if not changed:
        return []
    for name in changed:
        setattr(participant, name, getattr(identity, name))
    participant.save(update_fields=changed)
    correction = IdentityCorrection.objects.create(
        participant=participant, fields=changed, reason=reason, corrected_by=actor
    )
    record(
        actor,
        Action.UPDATE,
        participant=participant,
        obj=participant,
        purpose=Purpose.HOPERAT,
        detail={"fields": changed, "correction": str(correction.public_id)},
    )
    return changed


def check_set_own_language(actor: User, participant: Participant, language: str) -> bool:
    """The participant's own choice of page language from the switcher (English or Spanish,
    docs/portal.md "Spanish"); returns whether it changed. Only the participant themself:
    staff keep the language on the contact form."""
    language = language.strip().lower()
    if language not in PORTAL_LANGUAGES:
        raise ValidationError({"language": "Choose English or Español."})
    if participant.user_id != actor.pk:
        raise ValidationError({"language": "Only the participant chooses their own language."})
    return do_set_own_language(actor, participant, language)


@transaction.atomic
def do_set_own_language(actor: User, participant: Participant, language: str) -> bool:
    if participant.language == language:
        return False
    previous = participant.language
    participant.language = language
    participant.save(update_fields=["language"])
    record(
        actor,
        Action.UPDATE,
        participant=participant,
        obj=participant,
        purpose=Purpose.PATRQT,
        detail={"fields": ["language"], "language": language, "was": previous},
    )
    return True
