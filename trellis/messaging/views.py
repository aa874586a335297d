"""Message pages (docs/portal.md, "Messages").

- the participant's own, phone first: `/me/messages/` (list), `/me/messages/new/`,
  `/me/messages/<thread>/` (read and reply);
- staff: the inbox `/messages/`, a thread `/messages/<thread>/` (read, reply, file a message
  to a draft note) and the chart's Messages tab `/participants/<id>/messages/`.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action
from trellis.messaging.access import (
    access_chart_messages,
    access_inbox,
    access_own_compose,
    access_own_messages,
    access_own_thread,
    access_thread,
)
from trellis.messaging.actions import (
    MAX_BODY,
    MAX_SUBJECT,
    NewThread,
    check_file_message,
    check_reply,
    check_start_thread,
    do_open_thread,
)
from trellis.messaging.models import Recipient, Thread
from trellis.messaging.queries import messages_of, own_draft_notes, reply_time
from trellis.participants.chart import chart_context
from trellis.privacy.decorators import not_a_participant, staff_required


def _errors(exc: ValidationError) -> dict[str, str]:
    return {k: " ".join(v) for k, v in exc.message_dict.items()}


def _compose(program: Any) -> dict[str, Any]:
    return {
        "program": program,
        "reply_time": reply_time(program),
        "max_body": MAX_BODY,
        "max_body_label": f"{MAX_BODY:,}",
    }


# --- the participant's ---


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    """The participant's threads, unread marked, newest first."""
    elsewhere = not_a_participant(request)
    if elsewhere is not None:
        return elsewhere
    own = access_own_messages(request.user)
    program = own.episode.program if own.episode is not None else None
    return render(
        request,
        "messaging/me/list.html",
        {
            "threads": own.threads,
            "can_write": own.episode is not None,
            "zone": own.participant.organization.tz,
            **_compose(program),
        },
    )


@login_required
def new(request: AuthedRequest) -> HttpResponse:
    """Write to the care team or the program's team: who, a subject (optional), the text."""
    elsewhere = not_a_participant(request)
    if elsewhere is not None:
        return elsewhere
    own = access_own_compose(request.user)
    errors: dict[str, str] = {}
    values = {"recipient": Recipient.CARE_TEAM, "subject": "", "body": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("recipient", "subject", "body")}
        data = NewThread(
            recipient=values["recipient"],
            subject=values["subject"],
            body=values["body"],
            idempotency_key=request.POST.get("idempotency_key", ""),
        )
        try:
            thread = check_start_thread(request.user, own.participant, own.episode, data)
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            flash.success(request, _("Sent. Your team will reply here."))
            return redirect("messaging:my-thread", thread_id=thread.public_id)
    program = own.episode.program if own.episode is not None else None
    return render(
        request,
        "messaging/me/new.html",
        {
            "can_write": own.episode is not None,
            "values": values,
            "errors": errors,
            "form_error": errors.get("__all__", ""),
            "recipients": Recipient.choices,
            "max_subject": MAX_SUBJECT,
            "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
            **_compose(program),
        },
        status=400 if errors else 200,
    )


@login_required
def my_thread(request: AuthedRequest, thread_id: uuid.UUID) -> HttpResponse:
    """The thread, oldest message first, and the reply form."""
    elsewhere = not_a_participant(request)
    if elsewhere is not None:
        return elsewhere
    posting = request.method == "POST"
    thread = access_own_thread(
        request.user, thread_id, action=Action.CREATE if posting else Action.VIEW
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
            errors = _errors(exc)
        else:
            flash.success(request, _("Sent."))
            return redirect("messaging:my-thread", thread_id=thread.public_id)
    else:
        do_open_thread(request.user, thread)
    return render(
        request,
        "messaging/me/thread.html",
        _thread_context(request, thread, body, errors, staff=False),
        status=400 if errors else 200,
    )


def _thread_context(
    request: AuthedRequest, thread: Thread, body: str, errors: dict[str, str], *, staff: bool
) -> dict[str, Any]:
    program = thread.episode.program
    return {
        "thread": thread,
        "thread_messages": messages_of(thread),
        "zone": program.organization.tz,
        "body": body,
        "errors": errors,
        "can_reply": thread.episode.is_open,
        "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
        **_compose(program),
    }


# --- staff ---


@staff_required()
def inbox(request: AuthedRequest) -> HttpResponse:
    """Threads of every participant the user sees clinically: unread first, then those
    awaiting an answer, then newest; 25 a page."""
    page = access_inbox(request.user, page=request.GET.get("page", 1))
    return render(request, "messaging/staff/inbox.html", {"page": page})


@staff_required()
def thread(request: AuthedRequest, thread_id: uuid.UUID) -> HttpResponse:
    """Read the thread (marked read, the team's task acknowledged) and answer it."""
    posting = request.method == "POST"
    found = access_thread(request.user, thread_id, action=Action.CREATE if posting else Action.VIEW)
    errors: dict[str, str] = {}
    body = ""
    if posting:
        body = request.POST.get("body", "")
        try:
            check_reply(
                request.user, found, body, idempotency_key=request.POST.get("idempotency_key", "")
            )
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            flash.success(
                request,
                "Reply sent. The guardian sees it on their family pages."
                if found.guardian_link_id is not None
                else "Reply sent. The participant was emailed that a message waits.",
            )
            return redirect("messaging:thread", thread_id=found.public_id)
    else:
        do_open_thread(request.user, found)
    context = _thread_context(request, found, body, errors, staff=True)
    context["notes"] = own_draft_notes(request.user, found.episode)
    context["participant"] = found.participant
    return render(request, "messaging/staff/thread.html", context, status=400 if errors else 200)


@require_POST
@staff_required()
def file_message(
    request: AuthedRequest, thread_id: uuid.UUID, message_id: uuid.UUID
) -> HttpResponse:
    """Quote one message of the thread in one of the user's draft progress notes."""
    found = access_thread(request.user, thread_id, action=Action.UPDATE)
    message = next((m for m in messages_of(found) if m.public_id == message_id), None)
    note = next(
        (
            n
            for n in own_draft_notes(request.user, found.episode)
            if str(n.public_id) == request.POST.get("note", "")
        ),
        None,
    )
    if message is None:
        flash.error(request, "That message is not in this thread.")
    elif note is None:
        flash.error(request, "Choose one of your draft progress notes of this episode.")
    else:
        try:
            check_file_message(request.user, message, note)
        except ValidationError as exc:
            flash.error(request, " ".join(_errors(exc).values()))
        else:
            flash.success(request, "Quoted in your draft note: review it and sign it there.")
    return redirect("messaging:thread", thread_id=found.public_id)


@staff_required()
def chart_tab(request: AuthedRequest, public_id: str) -> HttpResponse:
    """The participant's threads in the chart. Clinical scope only: the front desk and staff
    outside the care team get the audited 404."""
    chart = access_chart_messages(request.user, public_id)
    context = chart_context(chart.access, "messages") | {"threads": chart.threads}
    return render(request, "messaging/staff/chart_tab.html", context)


urlpatterns: list[URLPattern] = [
    path("me/messages/", mine, name="mine"),
    path("me/messages/new/", new, name="new"),
    path("me/messages/<uuid:thread_id>/", my_thread, name="my-thread"),
    path("messages/", inbox, name="inbox"),
    path("messages/<uuid:thread_id>/", thread, name="thread"),
    path("messages/<uuid:thread_id>/file/<uuid:message_id>/", file_message, name="file-message"),
    path("participants/<uuid:public_id>/messages/", chart_tab, name="chart-tab"),
]
