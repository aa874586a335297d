"""A guardian's messages to the care team (docs/portal.md, "Guardians", "Messages"):
`/family/<participant>/messages/` (the guardian's own threads about that participant),
`.../new/` (write to the care team) and `.../<thread>/` (read and reply). Phone first, English
and Spanish, the program's reply time and the crisis text on every compose screen.

Every read opens the participant through `messaging.access.access_guardian_messages` /
`access_guardian_thread`, which go through `access_as_guardian` with the messages kind: a
policy without messages, an ended link, another person's id and the participant's own threads
are the audited 404, on GET and POST alike, and nothing is stored."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action
from trellis.messaging.access import access_guardian_messages, access_guardian_thread
from trellis.messaging.actions import (
    MAX_BODY,
    MAX_SUBJECT,
    NewThread,
    check_reply,
    check_start_thread,
    do_open_thread,
)
from trellis.messaging.models import Recipient
from trellis.messaging.queries import messages_of, reply_time
from trellis.participants.guardianship import LinkView
from trellis.programs.models import Program


def _context(view: LinkView, program: Program) -> dict[str, Any]:
    participant = view.link.participant
    return {
        "participant": participant,
        "first_name": participant.preferred_name or participant.given_name,
        "program": program,
        "zone": participant.organization.tz,
        "reply_time": reply_time(program),
        "max_body": MAX_BODY,
        "max_body_label": f"{MAX_BODY:,}",
    }


def _program(view: LinkView) -> Program:
    assert view.episode is not None  # noqa: S101  # access_as_guardian opens working links only
    return view.episode.program


@login_required
def family_messages(request: AuthedRequest, participant_id: uuid.UUID) -> HttpResponse:
    """The guardian's own threads about one participant, newest first, "New" on unread ones."""
    found = access_guardian_messages(request.user, participant_id)
    context = _context(found.view, _program(found.view)) | {"threads": found.threads}
    return render(request, "portal/family_messages.html", context)


@login_required
def family_message_new(request: AuthedRequest, participant_id: uuid.UUID) -> HttpResponse:
    """Write to the participant's care team: an optional subject and the text."""
    found = access_guardian_messages(request.user, participant_id)
    view = found.view
    errors: dict[str, str] = {}
    values = {"subject": "", "body": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("subject", "body")}
        data = NewThread(
            recipient=Recipient.CARE_TEAM,
            subject=values["subject"],
            body=values["body"],
            idempotency_key=request.POST.get("idempotency_key", ""),
        )
        try:
            thread = check_start_thread(
                request.user, view.link.participant, view.episode, data, guardian_link=view.link
            )
        except ValidationError as exc:
            errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
        else:
            flash.success(request, _("Sent. The team will reply here."))
            return redirect(
                "portal:family-message", participant_id=participant_id, thread_id=thread.public_id
            )
    context = _context(view, _program(view)) | {
        "values": values,
        "errors": errors,
        "form_error": errors.get("__all__", ""),
        "max_subject": MAX_SUBJECT,
        "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
    }
    return render(request, "portal/family_message_new.html", context, status=400 if errors else 200)


@login_required
def family_message(
    request: AuthedRequest, participant_id: uuid.UUID, thread_id: uuid.UUID
) -> HttpResponse:
    """One of the guardian's threads, oldest message first, and the reply form."""
    posting = request.method == "POST"
    view, thread = access_guardian_thread(
        request.user, participant_id, thread_id, action=Action.CREATE if posting else Action.VIEW
    )
    errors: dict[str, str] = {}
    body = ""
    if posting:
        body = request.POST.get("body", "")
        try:
            check_reply(
                request.user, thread, body, idempotency_key=request.POST.get("idempotency_key", "")
            )
        except ValidationError as exc:
            errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
        else:
            flash.success(request, _("Sent."))
            return redirect(
                "portal:family-message", participant_id=participant_id, thread_id=thread.public_id
            )
    else:
        do_open_thread(request.user, thread)
    context = _context(view, thread.episode.program) | {
        "thread": thread,
        "thread_messages": messages_of(thread),
        "body": body,
        "errors": errors,
        "can_reply": thread.episode.is_open,
        "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
    }
    return render(
        request, "portal/family_message_thread.html", context, status=400 if errors else 200
    )
