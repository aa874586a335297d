"""Consents as FHIR R4 `Consent` and referrals elsewhere as FHIR R4 `ServiceRequest`, checked
with `fhir.resources` R4B (docs/intake-and-discharge.md, "API and FHIR").

Consent, one per `ConsentSignature`:

- `status`: `active` once signed (tablet or paper), `proposed` while it is "to follow".
- `scope`: consentscope `treatment`; the 42 CFR Part 2 consent (document key `part2`) is
  `patient-privacy` (it governs disclosure of the records, not the care).
- `category`: LOINC 59284-0 (Patient Consent) and the document's key in the local CodeSystem
  `CONSENT_KIND` (`treatment`, `part2`, `telehealth`, or a program's own key). A Part 2
  consent is found by `category` = `CONSENT_KIND|part2`.
- `policyRule`: the form the person read, as the local CodeSystem `CONSENT_DOCUMENT` code
  `<key>-v<version>` with the title and version as text (R4 needs a policy or a policyRule).
- `patient` and `performer` (the person consents for themself), `organization`.
- `dateTime`: when it was recorded on the tablet, or the date on the paper form.
- The extension `SIGNATURE_METHOD_URL` (valueCode `tablet`, `paper`, `to_follow`) says how it
  was signed. Not shown: the typed name and the witness (the consents page shows them).

ServiceRequest, one per `LevelOfCareDecision` that referred the person elsewhere (a level
other than this program's intensive outpatient, with a destination):

- `status`: `active` while the inquiry stays "referred"; `completed` once it is closed; any
  other later status (reopened) is `revoked`. `intent`: `order`.
- `code`: the decided level in the local CodeSystem `REFERRAL_LEVEL` (the intake levels:
  inpatient, residential, partial, outpatient, refer), plus the equivalent ASAM level in the
  EpisodeOfCare `LEVEL_OF_CARE` CodeSystem where one exists (partial = ASAM3:2.5, outpatient =
  ASAM3:1).
- `subject`: the Patient when the inquiry has a record; otherwise a display of the person's
  name (no Patient exists to reference).
- `requester`: the deciding clinician. `performer`: the destination, as a display only.
- `reasonCode`: the recommendation's reasons as text (and the rationale of an override).
- `authoredOn`: when it was decided.
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.consent import Consent
from fhir.resources.R4B.servicerequest import ServiceRequest

from trellis.intake.models import (
    ConsentMethod,
    ConsentSignature,
    InquiryStatus,
    Level,
    LevelOfCareDecision,
)
from trellis.participants import fhir as episode_fhir

FhirJson = dict[str, Any]
LOINC = "http://loinc.org"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
CONSENT_KIND = f"{episode_fhir.TRELLIS_FHIR}/CodeSystem/consent-kind"
CONSENT_DOCUMENT = f"{episode_fhir.TRELLIS_FHIR}/CodeSystem/consent-document"
SIGNATURE_METHOD_URL = f"{episode_fhir.TRELLIS_FHIR}/StructureDefinition/consent-signature-method"
REFERRAL_LEVEL = f"{episode_fhir.TRELLIS_FHIR}/CodeSystem/referral-level"
PART2 = "part2"
# The intake levels that have an ASAM level in the EpisodeOfCare CodeSystem.
ASAM = {Level.PARTIAL: "ASAM3:2.5", Level.OUTPATIENT: "ASAM3:1"}


def _organization(organization: Any) -> FhirJson:
    return {"reference": f"Organization/{organization.public_id}", "display": organization.name}


def consent(signature: ConsentSignature) -> FhirJson:
    """The signature as a validated Consent (episode, participant, document and program's
    organization loaded with it)."""
    episode = signature.episode
    document = signature.document
    organization = episode.program.organization
    part2 = document.key == PART2
    scope = "patient-privacy" if part2 else "treatment"
    when = (
        signature.recorded_at.astimezone(organization.tz).isoformat()
        if signature.method == ConsentMethod.TABLET or signature.signed_on is None
        else signature.signed_on.isoformat()
    )
    patient = episode_fhir.patient_ref(episode)
    resource: FhirJson = {
        "resourceType": "Consent",
        "id": str(signature.public_id),
        "status": "active" if signature.is_signed else "proposed",
        "scope": {
            "coding": [{"system": CONSENT_SCOPE, "code": scope}],
            "text": "Privacy consent" if part2 else "Consent to treatment",
        },
        "category": [
            {"coding": [{"system": LOINC, "code": "59284-0", "display": "Patient Consent"}]},
            {
                "coding": [{"system": CONSENT_KIND, "code": document.key}],
                "text": document.title,
            },
        ],
        "patient": patient,
        "dateTime": when,
        "organization": [_organization(organization)],
        "policyRule": {
            "coding": [
                {
                    "system": CONSENT_DOCUMENT,
                    "code": f"{document.key}-v{document.version}",
                    "display": f"{document.title}, version {document.version}",
                }
            ],
            "text": f"{document.title}, version {document.version}",
        },
        "extension": [{"url": SIGNATURE_METHOD_URL, "valueCode": signature.method}],
    }
    if signature.is_signed:
        resource["performer"] = [patient]
    Consent.model_validate(resource)
    return resource


def _referral_status(status: str) -> str:
    if status == InquiryStatus.REFERRED:
        return "active"
    return "completed" if status == InquiryStatus.CLOSED else "revoked"


def service_request(decision: LevelOfCareDecision) -> FhirJson:
    """A referral elsewhere as a validated ServiceRequest (inquiry, its program and
    organization, its participant and the decider loaded with it)."""
    inquiry = decision.inquiry
    level = Level(decision.level)
    coding = [{"system": REFERRAL_LEVEL, "code": level.value, "display": level.label}]
    if level in ASAM:
        coding.append({"system": episode_fhir.LEVEL_OF_CARE, "code": ASAM[level]})
    reasons = [str(r) for r in (decision.recommendation or {}).get("reasons", []) if r]
    if not decision.accepted and decision.rationale:
        reasons.append(decision.rationale)
    participant = inquiry.participant
    subject: FhirJson = (
        {"reference": f"Patient/{participant.public_id}", "display": participant.display_name}
        if participant is not None
        else {"display": inquiry.display_name}
    )
    organization = inquiry.program.organization
    resource: FhirJson = {
        "resourceType": "ServiceRequest",
        "id": str(decision.public_id),
        "status": _referral_status(inquiry.status),
        "intent": "order",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://snomed.info/sct",
                        "code": "3457005",
                        "display": "Patient referral",
                    }
                ]
            }
        ],
        "code": {"coding": coding, "text": level.label},
        "subject": subject,
        "authoredOn": decision.decided_at.astimezone(organization.tz).isoformat(),
        "requester": {
            "reference": f"Practitioner/{decision.decided_by.public_id}",
            "display": decision.decided_by.name,
        },
        "performer": [{"display": decision.destination}],
        "reasonCode": [{"text": reason} for reason in reasons],
        "note": [{"text": f"Referred by {inquiry.program.name}, {organization.name}."}],
    }
    if not reasons:
        del resource["reasonCode"]
    ServiceRequest.model_validate(resource)
    return resource
