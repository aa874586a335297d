"""Episodes as FHIR R4 `EpisodeOfCare`, checked with `fhir.resources` R4B (docs/api.md, "FHIR").

Elements and choices (docs/intake-and-discharge.md, "API and FHIR"):

- `status` from `EpisodeStatus` (`STATUS`); `statusHistory` from `EpisodeStatusChange`, each
  entry's period running from its effective date to the next entry's (the current entry is
  open-ended).
- `type`: the program's level of care in the local CodeSystem `LEVEL_OF_CARE` (codes are
  `Program.level_of_care`, "ASAM3:2.1"), with the program's name as text. HL7's
  episodeofcare-type codes (home and community care, diabetes…) have no level of care.
- `period`: admission to discharge (absent before admission).
- `managingOrganization`, `patient`: references by public id, with a display.
- Clinical elements, only at clinical scope (as the JSON API's `care_team` and
  `discharge_reason`): `careManager` (the primary clinician), `team` (a contained CareTeam of
  the care team), and the discharge reason as the extension `DISCHARGE_REASON_URL` holding a
  coding in the local CodeSystem `DISCHARGE_REASON_SYSTEM` (`DischargeReason` values). EpisodeOfCare
  has no discharge element; `type` says what kind of care it is, not why it ended. At
  demographic scope `meta.security` carries the v3 "REDACTED" label.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.episodeofcare import EpisodeOfCare

from trellis.participants.models import (
    CareTeamMember,
    DischargeReason,
    Episode,
    EpisodeStatus,
    EpisodeStatusChange,
)

FhirJson = dict[str, Any]

TRELLIS_FHIR = "https://trellis.example/fhir"
LEVEL_OF_CARE = f"{TRELLIS_FHIR}/CodeSystem/level-of-care"
DISCHARGE_REASON_SYSTEM = f"{TRELLIS_FHIR}/CodeSystem/discharge-reason"
DISCHARGE_REASON_URL = f"{TRELLIS_FHIR}/StructureDefinition/episode-discharge-reason"
CARE_TEAM_ROLE = f"{TRELLIS_FHIR}/CodeSystem/care-team-role"
REDACTED = {
    "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
    "code": "REDACTED",
    "display": "redacted",
}

# Trellis status → EpisodeOfCare.status (R4: planned | waitlist | active | onhold | finished |
# cancelled | entered-in-error). A test keeps this complete.
STATUS: dict[str, str] = {
    EpisodeStatus.PLANNED: "planned",
    EpisodeStatus.WAITLIST: "waitlist",
    EpisodeStatus.ACTIVE: "active",
    EpisodeStatus.ON_HOLD: "onhold",
    EpisodeStatus.DISCHARGED: "finished",
    EpisodeStatus.CANCELLED: "cancelled",
}


def patient_ref(episode: Episode) -> FhirJson:
    participant = episode.participant
    return {"reference": f"Patient/{participant.public_id}", "display": participant.display_name}


def practitioner_ref(member: CareTeamMember) -> FhirJson:
    return {"reference": f"Practitioner/{member.user.public_id}", "display": member.user.name}


def _period(start: date | None, end: date | None) -> FhirJson:
    period = {}
    if start is not None:
        period["start"] = start.isoformat()
    if end is not None:
        period["end"] = end.isoformat()
    return period


def status_history(changes: list[EpisodeStatusChange]) -> list[FhirJson]:
    """Each status change as an entry, in order; an entry ends when the next one starts."""
    entries = []
    for index, change in enumerate(changes):
        following = changes[index + 1] if index + 1 < len(changes) else None
        end = following.effective_on if following is not None else None
        entries.append(
            {"status": STATUS[change.status], "period": _period(change.effective_on, end)}
        )
    return entries


def _discharge_reason(reason: str) -> FhirJson:
    return {
        "url": DISCHARGE_REASON_URL,
        "valueCodeableConcept": {
            "coding": [
                {
                    "system": DISCHARGE_REASON_SYSTEM,
                    "code": reason,
                    "display": DischargeReason(reason).label,
                }
            ],
            "text": DischargeReason(reason).label,
        },
    }


def _care_team(episode: Episode, team: list[CareTeamMember]) -> FhirJson:
    return {
        "resourceType": "CareTeam",
        "id": "care-team",
        "status": "inactive" if not episode.is_open else "active",
        "subject": {"reference": f"Patient/{episode.participant.public_id}"},
        "participant": [
            {
                "role": [
                    {
                        "coding": [
                            {
                                "system": CARE_TEAM_ROLE,
                                "code": member.role,
                                "display": member.get_role_display(),
                            }
                        ]
                    }
                ],
                "member": practitioner_ref(member),
                "period": _period(member.start_date, member.end_date),
            }
            for member in team
        ],
    }


def episode_of_care(
    episode: Episode,
    *,
    changes: list[EpisodeStatusChange],
    clinical: bool,
    care_team: list[CareTeamMember] | None = None,
) -> FhirJson:
    """The episode as a validated EpisodeOfCare. `changes`: its status history, oldest first;
    `care_team`: the members to show (clinical scope only; the primary one is careManager)."""
    program = episode.program
    resource: FhirJson = {
        "resourceType": "EpisodeOfCare",
        "id": str(episode.public_id),
        "status": STATUS[episode.status],
        "statusHistory": status_history(changes),
        "type": [
            {
                "coding": [
                    {
                        "system": LEVEL_OF_CARE,
                        "code": program.level_of_care,
                        "display": program.level_of_care_label,
                    }
                ],
                "text": program.name,
            }
        ],
        "patient": patient_ref(episode),
        "managingOrganization": {
            "reference": f"Organization/{program.organization.public_id}",
            "display": program.organization.name,
        },
    }
    if not resource["statusHistory"]:
        del resource["statusHistory"]
    period = _period(episode.admitted_on, episode.discharged_on)
    if period:
        resource["period"] = period
    if not clinical:
        resource["meta"] = {"security": [REDACTED]}
    else:
        team = care_team or []
        primary = next((m for m in team if m.is_primary), None)
        if primary is not None:
            resource["careManager"] = practitioner_ref(primary)
        if team:
            resource["contained"] = [_care_team(episode, team)]
            resource["team"] = [{"reference": "#care-team"}]
        if episode.discharge_reason:
            resource["extension"] = [_discharge_reason(episode.discharge_reason)]
    EpisodeOfCare.model_validate(resource)
    return resource


def searchset(resources: list[FhirJson], total: int, *, self_url: str, base: str) -> FhirJson:
    """A validated FHIR search result Bundle; `base` is the FHIR base URL (ends with "/")."""
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": [{"relation": "self", "url": self_url}],
        "entry": [
            {
                "fullUrl": f"{base}{resource['resourceType']}/{resource['id']}",
                "resource": resource,
                "search": {"mode": "match"},
            }
            for resource in resources
        ],
    }
    Bundle.model_validate(bundle)
    return bundle
