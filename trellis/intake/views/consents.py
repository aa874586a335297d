"""Consents: an admitted person's consents (signing one marked "to follow"), and the
program's consent documents (a director's set-up page, linked from the set-up hub).

Front desk sees which consents are signed, never the forms' text or the typed names."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action, Purpose
from trellis.intake.access import access_inquiry
from trellis.intake.actions import (
    ConsentEntry,
    check_add_consent_document,
    check_revise_consent_document,
    check_save_admission_settings,
    check_sign_consent,
    do_seed_consent_documents,
)
from trellis.intake.forms import (
    AdmissionSettingsForm,
    ConsentDocumentForm,
    NewConsentDocumentForm,
    SignConsentForm,
)
from trellis.intake.models import ConsentDocument
from trellis.intake.queries import admission_settings, consent_documents, episode_consents
from trellis.lib.ids import lookup_id
from trellis.lib.views import apply_validation_error
from trellis.privacy.access import access_directed_program, deny_object
from trellis.privacy.decorators import staff_required


@staff_required()
def consents(request: AuthedRequest, inquiry_id: uuid.UUID) -> HttpResponse:
    """The person's consents; directors and intake sign the open ones (tablet or paper)."""
    posting = request.method == "POST"
    gate = access_inquiry(
        request.user,
        inquiry_id,
        clinical=posting,
        paperwork=True,
        action=Action.UPDATE if posting else Action.VIEW,
    )
    inquiry = gate.inquiry
    episode = inquiry.episode if inquiry.episode is not None and inquiry.episode.is_open else None
    lines = episode_consents(episode, inquiry.program)
    form = SignConsentForm(request.POST if posting else None)
    if posting and episode is not None and form.is_valid():
        document = next(
            (
                line.document
                for line in lines
                if str(line.document.public_id) == request.POST.get("document", "")
            ),
            None,
        )
        try:
            if document is None:
                raise ValidationError({"method": "Choose one of the program's current forms."})
            data = form.cleaned_data
            check_sign_consent(
                request.user,
                episode,
                ConsentEntry(
                    document,
                    data["method"],
                    typed_name=data["typed_name"],
                    agreed=data["agreed"],
                    signed_on=data["signed_on"],
                ),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"{document.title} is recorded.")
            return redirect("intake:consents", inquiry_id=inquiry.public_id)
    return render(
        request,
        "intake/consents.html",
        {
            "inquiry": inquiry,
            "episode": episode,
            "consents": lines,
            "open_lines": [
                line for line in lines if line.signature is None or not line.signature.is_signed
            ],
            "clinical": gate.clinical,
            "form": form,
        },
        status=422 if form.is_bound and form.errors else 200,
    )


@staff_required()
def setup(request: AuthedRequest, program_id: uuid.UUID) -> HttpResponse:
    """The program's consent documents, every version, a form to add one, and the program's
    admission settings (initial plan due, baseline window)."""
    posting = request.method == "POST"
    program = access_directed_program(
        request.user, program_id, action=Action.UPDATE if posting else Action.VIEW
    )
    do_seed_consent_documents(None, program)
    current = admission_settings(program)
    settings_form = AdmissionSettingsForm(
        request.POST if posting and "plan_due_days" in request.POST else None,
        initial={"plan_due_days": current.plan_due_days, "baseline_days": current.baseline_days},
    )
    if settings_form.is_bound and settings_form.is_valid():
        try:
            check_save_admission_settings(request.user, program, **settings_form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(settings_form, error)
        else:
            messages.success(request, "Admission settings saved.")
            return redirect("intake:consent-setup", program_id=program.public_id)
    form = NewConsentDocumentForm(request.POST if posting and not settings_form.is_bound else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            check_add_consent_document(
                request.user, program, key=data["key"], title=data["title"],
                summary=data["summary"], may_follow=data["may_follow"],
            )  # fmt: skip
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Consent document added.")
            return redirect("intake:consent-setup", program_id=program.public_id)
    documents = consent_documents(program)
    return render(
        request,
        "intake/consent_setup.html",
        {
            "program": program,
            "current": [d for d in documents if d.is_active],
            "retired": [d for d in documents if not d.is_active],
            "form": form,
            "settings_form": settings_form,
        },
        status=422 if (form.errors or settings_form.errors) else 200,
    )


@staff_required()
def document(request: AuthedRequest, program_id: uuid.UUID, document_id: uuid.UUID) -> HttpResponse:
    """Edit a document: new wording makes a new version; signatures keep the old one."""
    posting = request.method == "POST"
    program = access_directed_program(
        request.user, program_id, action=Action.UPDATE if posting else Action.VIEW
    )
    found = ConsentDocument.objects.filter(
        program=program, public_id=lookup_id(document_id)
    ).first()
    if found is None:
        raise deny_object(
            request.user,
            object_type="intake.consentdocument",
            object_id=str(document_id),
            purpose=Purpose.HOPERAT,
        )
    initial = {
        "title": found.title,
        "summary": found.summary,
        "required": found.required,
        "may_follow": found.may_follow,
        "is_active": found.is_active,
    }
    form = ConsentDocumentForm(request.POST if posting else None, initial=initial)
    if posting and form.is_valid():
        try:
            saved = check_revise_consent_document(request.user, found, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                f"Saved as version {saved.version}." if saved.pk != found.pk else "Saved.",
            )
            return redirect("intake:consent-setup", program_id=program.public_id)
    return render(
        request,
        "intake/consent_document.html",
        {"program": program, "document": found, "form": form},
        status=422 if form.is_bound and form.errors else 200,
    )
