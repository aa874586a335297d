"""The program's public web form: no sign-in, phone-first (390 px), plain words.

It never tells the sender whether the program already knows them (the same thank-you for
everyone, and for a robot that filled the honeypot), puts nothing about the person in a URL,
and is throttled per address and per browser session through Django's cache. The program's
shared intake mailbox may be told that an inquiry arrived, with a link and nothing else."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from trellis.audit.middleware import client_addr_of
from trellis.intake.actions import InquiryDetails, check_create_inquiry
from trellis.intake.forms import PublicInquiryForm
from trellis.intake.models import InquirySource, IntakeSettings
from trellis.intake.waiting import reply_due
from trellis.lib.ids import lookup_id
from trellis.lib.views import apply_validation_error
from trellis.programs.models import Program

# At most this many inquiries per address and per browser session an hour.
PER_ADDRESS = 5
PER_SESSION = 3
WINDOW_SECONDS = 3600

NOTICE_SUBJECT = "New inquiry for {program}"
NOTICE_BODY = (
    "A new inquiry arrived for {program} through its web form.\n\n"
    "Open it in Trellis (sign-in needed):\n{url}\n"
)


def _program(program_id: str) -> Program:
    program = (
        Program.objects.filter(public_id=lookup_id(program_id), is_active=True)
        .select_related("organization")
        .first()
    )
    if program is None:
        raise Http404("Not found.")
    return program


def _throttle_keys(request: HttpRequest) -> list[tuple[str, int]]:
    addr = client_addr_of(request) or "unknown"
    hashed = hashlib.sha256(addr.encode()).hexdigest()[:32]
    if not request.session.session_key:
        request.session.save()
    return [
        (f"intake:web:addr:{hashed}", PER_ADDRESS),
        (f"intake:web:session:{request.session.session_key}", PER_SESSION),
    ]


def _throttled(request: HttpRequest) -> bool:
    return any((cache.get(key) or 0) >= limit for key, limit in _throttle_keys(request))


def _count(request: HttpRequest) -> None:
    for key, _ in _throttle_keys(request):
        if not cache.add(key, 1, WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, WINDOW_SECONDS)


def _notify(program: Program, url: str) -> None:
    to = IntakeSettings.for_program(program).notify_email
    if to:
        send_mail(
            NOTICE_SUBJECT.format(program=program.name),
            NOTICE_BODY.format(program=program.name, url=url),
            None,
            [to],
        )


def inquire(request: HttpRequest, program_id: str) -> HttpResponse:
    program = _program(program_id)
    form = PublicInquiryForm(request.POST or None)
    if request.method == "POST":
        if _throttled(request):
            return render(request, "intake/inquire_busy.html", {"program": program}, status=429)
        _count(request)
        if form.is_valid():
            data = form.cleaned_data
            thanks = redirect("intake:inquire-thanks", program_id=program.public_id)
            if data["website"]:
                return thanks  # a robot: the same answer, nothing kept
            details = InquiryDetails(
                source=InquirySource.WEB,
                given_name=data["given_name"],
                family_name=data["family_name"],
                phone=data["phone"],
                email=data["email"],
                contact_preference=data["contact_preference"],
                preferred_schedule=data["preferred_schedule"],
                reason=data["reason"],
                consent_to_contact=data["consent_to_contact"],
            )
            try:
                inquiry = check_create_inquiry(None, program, details)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                url = settings.TRELLIS_BASE_URL + reverse(
                    "intake:detail", kwargs={"inquiry_id": inquiry.public_id}
                )
                # After the commit, and a mail server that is down never loses the inquiry.
                transaction.on_commit(lambda: _notify(program, url), robust=True)
                return thanks
    return render(request, "intake/inquire.html", {"program": program, "form": form})


def inquire_thanks(request: HttpRequest, program_id: str) -> HttpResponse:
    program = _program(program_id)
    days = IntakeSettings.for_program(program).reply_within_days
    by = reply_due(timezone.now(), days, program.tz)
    return render(request, "intake/inquire_thanks.html", {"program": program, "reply_by": by})
