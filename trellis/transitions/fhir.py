"""A signed discharge summary as a FHIR R4 `DocumentReference`, checked with `fhir.resources`
R4B (docs/intake-and-discharge.md, "API and FHIR").

Only signed summaries become documents: a draft is the clinician's work in progress. The
document is the signed text (the frozen figures, the narrative, the aftercare plan and every
addendum) as `text/plain` in UTF-8, base64 in `content[0].attachment.data`. `docStatus` is
`final`, or `amended` once an addendum exists; `status` is `current` (Trellis never replaces
a signed summary). `context.encounter` names the EpisodeOfCare (R4 allows it there) and
`context.period` the stay.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from fhir.resources.R4B.documentreference import DocumentReference

from trellis.measures.models import Administration
from trellis.participants import fhir as episode_fhir
from trellis.transitions.models import (
    AftercareAppointment,
    DischargeSummary,
    SummaryAddendum,
)

FhirJson = dict[str, Any]
LOINC = "http://loinc.org"
DISCHARGE_SUMMARY = {"system": LOINC, "code": "18842-5", "display": "Discharge summary"}
CONTENT_TYPE = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class SignedDocument:
    """Everything one document shows, loaded beforehand (queries.signed_documents)."""

    summary: DischargeSummary
    figures: dict[str, Any]
    appointments: list[AftercareAppointment]
    follow_ups: list[Administration]
    addenda: list[SummaryAddendum]


def _lines(title: str, rows: list[str]) -> list[str]:
    return [title, "-" * len(title), *rows, ""]


def summary_text(document: SignedDocument) -> str:
    """The signed summary as plain text: what the staff page shows, in the same order."""
    summary, f = document.summary, document.figures
    episode = summary.episode
    tz = episode.program.organization.tz
    plan = summary.aftercare
    hours = f.get("hours", {})
    participant = episode.participant
    out = [
        "DISCHARGE SUMMARY",
        f"{participant.legal_name} (MRN {participant.mrn}), born {participant.date_of_birth}",
        f"Program: {f.get('program', '')}" + (f", {f['track']}" if f.get("track") else ""),
        "",
    ]
    out += _lines(
        "Stay",
        [
            f"Admitted: {f.get('admitted_on', '')}",
            f"Discharged: {f.get('discharged_on', '')}",
            f"Length of stay: {f.get('length_of_stay_days', '')} days",
            f"Reason: {f.get('reason_label', '')}",
        ],
    )
    out += _lines(
        "Hours attended",
        [
            f"{hours.get('attended', '0')} hours over {hours.get('weeks', 0)} weeks "
            f"(average {hours.get('average_per_week', '0')} a week; minimum "
            f"{hours.get('minimum_per_week', '0')} a week); minimum met in "
            f"{hours.get('weeks_at_minimum', 0)} of {hours.get('weeks', 0)} weeks."
        ],
    )
    measure_rows = []
    for m in f.get("measures", []):
        if m["scores"] < 2:
            verdict = "one score only"
        elif m["reliable_improvement"]:
            verdict = "reliable improvement"
        elif m["reliable_deterioration"]:
            verdict = "reliable deterioration"
        else:
            verdict = "no reliable change"
        measure_rows.append(
            f"{m['title']}: {m['baseline']} ({m['baseline_on']}) -> {m['latest']} "
            f"({m['latest_on']}), {verdict}"
        )
    if f.get("joint_outcome"):
        measure_rows.append(f["joint_outcome"])
    out += _lines("Measures", measure_rows or ["No scored measures in this episode."])
    goal_rows = []
    for goal in f.get("goals", []):
        goal_rows.append(f"* {goal['words']}")
        goal_rows += [f"  - {o['description']}: {o['status']}" for o in goal["objectives"]]
    out += _lines(
        "Treatment plan" + (f" (version {f['plan_version']})" if f.get("plan_version") else ""),
        goal_rows or ["No signed treatment plan."],
    )
    out += _lines(
        "Diagnoses",
        [f"{d['code']} {d['label']}".strip() for d in f.get("diagnoses", [])]
        or ["None recorded on the plan."],
    )
    out += _lines(
        "Risk history",
        [f"{r['on']}: urgent alert ({r['kind']})" for r in f.get("risk", [])]
        or ["No urgent alerts were raised during the stay."],
    )
    out += _lines("Narrative", [summary.narrative])
    out += _lines(
        "Aftercare plan",
        [
            f"Care after the program: {plan.get_step_down_level_display() or '-'}",
            f"Provider: {plan.provider or '-'}",
            f"Alumni group: {plan.alumni_group or '-'}",
            f"Crisis steps: {plan.crisis_steps}",
            f"Note to the participant: {plan.notes_for_participant or '-'}",
            *[
                f"Appointment: {a.starts_at.astimezone(tz):%Y-%m-%d %H:%M} with {a.with_whom}"
                for a in document.appointments
            ],
            *[
                f"Follow-up check-in: {a.instrument_code} due {a.due_on:%Y-%m-%d}"
                for a in document.follow_ups
            ],
        ],
    )
    signed_at = summary.signed_at.astimezone(tz) if summary.signed_at else None
    signer = ", ".join(p for p in [summary.signer_name, summary.signer_credentials] if p)
    out.append(f"Signed by {signer} on {signed_at:%Y-%m-%d %H:%M %Z}." if signed_at else "")
    for addendum in document.addenda:
        author = ", ".join(p for p in [addendum.author_name, addendum.author_credentials] if p)
        out += [
            "",
            *_lines(
                f"Addendum, {addendum.created_at.astimezone(tz):%Y-%m-%d %H:%M %Z}, {author}",
                [addendum.text],
            ),
        ]
    return "\n".join(out).rstrip() + "\n"


def document_reference(document: SignedDocument) -> FhirJson:
    summary = document.summary
    if not summary.is_signed or summary.signed_at is None:
        raise ValueError("Only a signed discharge summary is a document.")
    episode = summary.episode
    figures = document.figures
    text = summary_text(document)
    author = {
        "reference": f"Practitioner/{summary.author.public_id}",
        "display": summary.author.name,
    }
    resource: FhirJson = {
        "resourceType": "DocumentReference",
        "id": str(summary.public_id),
        "status": "current",
        "docStatus": "amended" if document.addenda else "final",
        "type": {"coding": [DISCHARGE_SUMMARY], "text": "Discharge summary"},
        "subject": episode_fhir.patient_ref(episode),
        "date": summary.signed_at.isoformat(),
        "author": [author],
        # Who signed (the summary keeps their name and credentials as signed, not an account).
        "authenticator": {
            "display": ", ".join(p for p in [summary.signer_name, summary.signer_credentials] if p)
        },
        "custodian": {
            "reference": f"Organization/{episode.program.organization.public_id}",
            "display": episode.program.organization.name,
        },
        "description": f"Discharge summary, {episode.program.name}",
        "content": [
            {
                "attachment": {
                    "contentType": CONTENT_TYPE,
                    "language": "en",
                    "data": base64.b64encode(text.encode("utf-8")).decode("ascii"),
                    "title": f"Discharge summary, {episode.program.name}, "
                    f"{figures.get('discharged_on', '')}",
                    "creation": summary.signed_at.isoformat(),
                }
            }
        ],
        "context": {
            "encounter": [{"reference": f"EpisodeOfCare/{episode.public_id}"}],
            "period": {
                "start": figures.get("admitted_on"),
                "end": figures.get("discharged_on"),
            },
        },
    }
    DocumentReference.model_validate(resource)
    return resource
