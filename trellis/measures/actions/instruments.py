"""Imported instruments: validated (our format and FHIR R4B Questionnaire), then stored.
Audited."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.measures.models import ImportedInstrument
from trellis.measures.scoring import Instrument, InstrumentError, load_instrument
from trellis.programs.models import Organization

if TYPE_CHECKING:
    from trellis.accounts.models import User


SHIPPED_CODES = frozenset({"PHQ-9", "PHQ-2", "GAD-7", "GAD-2", "AUDIT-C", "PCL-5"})


def check_instrument_definition(data: Any) -> Instrument:
    """The instrument a definition describes, or ValidationError({"definition": [problems]}):
    our format (the first problem, saying where) and FHIR R4B Questionnaire (every field that
    does not fit, one line each). Also refused: an instrument that ships with Trellis, or a
    code and version imported already. Nothing is stored."""
    from trellis.measures.fhir import validate_questionnaire

    try:
        instrument = load_instrument(data)
        validate_questionnaire(data["questionnaire"])
    except (InstrumentError, ValueError, KeyError, TypeError) as error:
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        raise ValidationError(
            {"definition": lines or ["The definition cannot be read."]}
        ) from error
    if instrument.code in SHIPPED_CODES:
        raise ValidationError({"definition": f"{instrument.code} ships with Trellis already."})
    if ImportedInstrument.objects.filter(code=instrument.code, version=instrument.version).exists():
        raise ValidationError(
            {"definition": f"{instrument.code} version {instrument.version} is already imported."}
        )
    return instrument


def check_import_instrument(
    actor: User | None, data: Any, *, organization: Organization | None = None
) -> ImportedInstrument:
    """Validate an instrument (our format and FHIR R4B Questionnaire), then store it."""
    instrument = check_instrument_definition(data)
    return do_import_instrument(actor, instrument, data, organization=organization)


@transaction.atomic
def do_import_instrument(
    actor: User | None,
    instrument: Instrument,
    data: Any,
    *,
    organization: Organization | None = None,
) -> ImportedInstrument:
    row = ImportedInstrument.objects.create(
        organization=organization,
        code=instrument.code,
        version=instrument.version,
        definition=data,
        imported_by=actor,
    )
    record(
        actor,
        Action.CREATE,
        obj=row,
        purpose=Purpose.HOPERAT,
        actor_label="" if actor else "import_instrument",
        detail={"instrument": instrument.key},
    )
    return row
