"""Measures pages: the chart tab, the program scores page, and the check-in pages
(one-time link, the participant's sign-in, and the staff tablet in hand-to-participant mode).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trellis.accounts.actions import do_record_sign_in_attempt
from trellis.accounts.http import AuthedRequest
from trellis.accounts.models import User
from trellis.accounts.signin import check_password_try
from trellis.audit.middleware import client_addr_of
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record_list
from trellis.lib.languages import portal_language
from trellis.lib.views import add_error_messages
from trellis.measures.access import (
    access_administration,
    access_own_administration,
    access_response,
)
from trellis.measures.actions import (
    check_correct_response,
    check_save_draft,
    check_start_administration,
    check_submit_response,
    do_hand_over_tablet,
)
from trellis.measures.forms import (
    KEY_FIELD,
    HandBackForm,
    StartCheckinForm,
    answers_from_post,
    form_items,
    submission_key,
)
from trellis.measures.models import Administration, AdministrationStatus, Channel
from trellis.measures.queries import (
    administration_for_link,
    measures_tab,
    own_open_checkins,
    program_scores,
    score_of,
    tablet_administration,
)
from trellis.measures.registry import available_codes, get_instrument
from trellis.measures.scoring import Instrument
from trellis.participants.chart import chart_context
from trellis.privacy.access import ParticipantAccess, Scope, access_participant
from trellis.privacy.decorators import staff_required
from trellis.privacy.policy import grants_for
from trellis.programs.models import Program

TABLET_SESSION = "trellis_tablet"


# --- staff pages ----------------------------------------------------------------------------


@staff_required()
def chart_tab(request: AuthedRequest, public_id: str) -> HttpResponse:
    access = access_participant(
        request.user, public_id, purpose=Purpose.TREAT, minimum=Scope.CLINICAL
    )
    context = chart_context(access, "measures") | measures_tab(access)
    context["start_form"] = StartCheckinForm(available_codes())
    return render(request, "measures/chart_tab.html", context)


@require_POST
@staff_required()
def start_checkin(request: AuthedRequest, public_id: str) -> HttpResponse:
    access = access_participant(
        request.user, public_id, purpose=Purpose.TREAT, minimum=Scope.CLINICAL
    )
    episode = _current_clinical_episode(access)
    form = StartCheckinForm(available_codes(), request.POST)
    if episode is None or not form.is_valid():
        messages.error(request, "Choose an instrument; the participant needs an open episode.")
        return redirect("measures:chart-tab", public_id=public_id)
    try:
        check_start_administration(request.user, episode, form.cleaned_data["instrument"])
    except ValidationError as error:
        add_error_messages(request, error)
        return redirect("measures:chart-tab", public_id=public_id)
    messages.success(
        request, "Check-in started: hand the tablet to the participant or send a link."
    )
    return redirect("measures:chart-tab", public_id=public_id)


def _current_clinical_episode(access: ParticipantAccess) -> Any:
    episodes = [e for e in access.episodes if access.is_clinical_for(e) and e.is_open]
    return episodes[0] if episodes else None


@require_POST
@staff_required()
def hand_over(request: AuthedRequest, administration_id: str) -> HttpResponse:
    """Hand the tablet to the participant: the staff member is signed out, so nothing of the
    chart is reachable until they sign back in with their password."""
    administration = access_administration(request.user, administration_id)
    if not administration.is_open:
        messages.error(request, "That check-in is no longer open.")
        return redirect("measures:chart-tab", public_id=administration.participant.public_id)
    staff = request.user
    do_hand_over_tablet(staff, administration)
    logout(request)
    request.session[TABLET_SESSION] = {
        "administration": str(administration.public_id),
        "staff": staff.pk,
    }
    return redirect("measures:tablet")


@staff_required()
def program_page(request: AuthedRequest, program_id: str) -> HttpResponse:
    grants = grants_for(request.user)
    program = Program.objects.filter(public_id=program_id).select_related("organization").first()
    if program is None or not (grants.is_clinician or grants.is_director_anywhere):
        raise Http404
    if not Program.objects.for_user(request.user).filter(pk=program.pk).exists():
        raise Http404
    sort = request.GET.get("sort", "name")
    rows = program_scores(request.user, program, sort)
    record_list(
        request.user,
        object_type="measures.score",
        object_id=str(program.public_id),
        participants=[row.episode.participant for row in rows],
        purpose=Purpose.TREAT,
        detail={"sort": sort, "results": len(rows)},
    )
    return render(
        request, "measures/program.html", {"program": program, "rows": rows, "sort": sort}
    )


@staff_required()
def correct_response(request: AuthedRequest, response_id: str) -> HttpResponse:
    """Record a correction of a stored response, with a reason. The original is never
    changed: it stays on the record, shown as corrected, and the correction is scored."""
    action = Action.UPDATE if request.method == "POST" else Action.VIEW
    original = access_response(request.user, response_id, action=action)
    instrument = get_instrument(original.instrument_code, original.instrument_version)
    answers = dict(original.answers)
    errors: dict[str, Any] = {}
    reason = ""
    if request.method == "POST":
        answers = answers_from_post(instrument, request.POST)
        reason = request.POST.get("reason", "")
        try:
            check_correct_response(request.user, original, answers, reason=reason)
        except ValidationError as error:
            errors = {k: " ".join(v) for k, v in error.message_dict.items()}
        else:
            messages.success(request, "Correction recorded; the original stays on the record.")
            return redirect("measures:chart-tab", public_id=original.participant.public_id)
    context = {
        "original": original,
        "original_score": score_of(original),
        "corrected_by": original.corrections.select_related("submitted_by").first(),
        "instrument": instrument,
        "items": form_items(instrument, answers, errors),
        "reason": reason,
        "refused": bool(errors),
        # Not an item's: a missing reason, or a correction of a corrected response.
        "form_error": errors.get("reason") or errors.get("__all__", ""),
    }
    return render(request, "measures/correct.html", context, status=422 if errors else 200)


# --- check-in pages (participants) ----------------------------------------------------------


def _render_form(
    request: HttpRequest,
    administration: Administration,
    *,
    action_url: str,
    answers: dict[str, str] | None = None,
    errors: dict[str, Any] | None = None,
    status: int = 200,
    mode: str = "participant",
) -> HttpResponse:
    # The participant's language (docs/portal.md, "Spanish"), also on a link or a tablet
    # where nobody is signed in: the published translation of the instrument and the page.
    language = portal_language(administration.participant.language)
    instrument = get_instrument(
        administration.instrument_code, administration.instrument_version, language=language
    )
    answers = answers if answers is not None else dict(administration.draft_answers)
    errors = errors or {}
    with translation.override(language):
        return _render_checkin(
            request,
            administration,
            instrument,
            answers,
            errors,
            action_url=action_url,
            status=status,
            mode=mode,
        )


def _render_checkin(
    request: HttpRequest,
    administration: Administration,
    instrument: Instrument,
    answers: dict[str, str],
    errors: dict[str, Any],
    *,
    action_url: str,
    status: int,
    mode: str,
) -> HttpResponse:
    return render(
        request,
        "measures/checkin.html",
        {
            "administration": administration,
            "instrument": instrument,
            "items": form_items(instrument, answers, errors),
            "form_error": errors.get("__all__", ""),
            "error_count": len(errors),
            "action_url": action_url,
            "key_field": KEY_FIELD,
            "key": str(uuid.uuid4()),
            "first_name": administration.participant.preferred_name
            or administration.participant.given_name,
            "mode": mode,
        },
        status=status,
    )


def _closed_page(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    return render(request, "measures/checkin_closed.html", {"reason": reason}, status=status)


def _handle_post(
    request: HttpRequest,
    administration: Administration,
    actor: User | None,
    channel: str,
    action_url: str,
    done_url: str,
    mode: str = "participant",
) -> HttpResponse:
    instrument = get_instrument(administration.instrument_code, administration.instrument_version)
    answers = answers_from_post(instrument, request.POST)
    try:
        if request.POST.get("action") == "draft":
            check_save_draft(actor, administration, answers, channel=channel)
            messages.success(request, _("Saved. You can finish later with the same link or page."))
            return redirect(action_url)
        check_submit_response(
            actor,
            administration,
            answers,
            channel=channel,
            idempotency_key=submission_key(request.POST),
        )
    except ValidationError as error:
        administration.refresh_from_db()
        if administration.status == AdministrationStatus.COMPLETED:
            return redirect(done_url)
        errors = {k: " ".join(v) for k, v in error.message_dict.items()}
        return _render_form(
            request,
            administration,
            action_url=action_url,
            answers=answers,
            errors=errors,
            status=422,
            mode=mode,
        )
    return redirect(done_url)


def link_checkin(request: HttpRequest, link: str) -> HttpResponse:
    """A check-in through a one-time link: no sign-in, nothing but the questions."""
    administration = administration_for_link(link)
    if administration is None:
        return _closed_page(request, "unknown", 404)
    if administration.status == AdministrationStatus.COMPLETED:
        return redirect("measures:done")
    if not administration.is_open:
        return _closed_page(request, "expired", 410)
    url = request.path
    if request.method == "POST":
        return _handle_post(request, administration, None, Channel.LINK, url, _done_url())
    return _render_form(request, administration, action_url=url)


def _done_url() -> str:
    from django.urls import reverse

    return reverse("measures:done")


def checkin_done(request: HttpRequest) -> HttpResponse:
    return render(request, "measures/checkin_done.html", {})


def _own_participant(request: AuthedRequest) -> Any:
    participant = getattr(request.user, "participant", None)
    if participant is None:
        raise Http404
    return participant


@login_required
def my_checkins(request: AuthedRequest) -> HttpResponse:
    participant = _own_participant(request)
    access_participant(
        request.user, participant.public_id, purpose=Purpose.PATRQT, minimum=Scope.CLINICAL
    )
    open_now = own_open_checkins(participant)
    titles = {
        a.pk: get_instrument(
            a.instrument_code, a.instrument_version, language=translation.get_language()
        ).short_title
        for a in open_now
    }
    return render(
        request,
        "measures/my_checkins.html",
        {"administrations": [(a, titles[a.pk]) for a in open_now]},
    )


@login_required
def my_checkin(request: AuthedRequest, administration_id: str) -> HttpResponse:
    action = Action.UPDATE if request.method == "POST" else Action.VIEW
    administration = access_own_administration(request.user, administration_id, action=action)
    if administration.status == AdministrationStatus.COMPLETED:
        return redirect("measures:done")
    if not administration.is_open:
        return _closed_page(request, "expired", 410)
    url = request.path
    if request.method == "POST":
        return _handle_post(request, administration, request.user, Channel.PORTAL, url, _done_url())
    return _render_form(request, administration, action_url=url)


# --- staff tablet ---------------------------------------------------------------------------


def _tablet_state(request: HttpRequest) -> tuple[Administration, User] | None:
    state = request.session.get(TABLET_SESSION)
    if not isinstance(state, dict):
        return None
    administration = tablet_administration(str(state.get("administration", "")))
    staff = User.objects.filter(pk=int(state.get("staff") or 0), is_active=True).first()
    if administration is None or staff is None:
        return None
    return administration, staff


def tablet(request: HttpRequest) -> HttpResponse:
    state = _tablet_state(request)
    if state is None:
        return _closed_page(request, "no-tablet", 404)
    administration, staff = state
    url = request.path
    if administration.status == AdministrationStatus.COMPLETED or not administration.is_open:
        return render(
            request, "measures/tablet_return.html", {"form": HandBackForm(), "staff": staff}
        )
    if request.method == "POST":
        return _handle_post(request, administration, None, Channel.TABLET, url, url, mode="tablet")
    return _render_form(request, administration, action_url=url, mode="tablet")


@require_POST
def tablet_return(request: HttpRequest) -> HttpResponse:
    """Staff sign back in with their password; only then is the chart reachable again."""
    state = _tablet_state(request)
    if state is None:
        return redirect("accounts:sign-in")
    administration, staff = state
    form = HandBackForm(request.POST)
    user = None
    if form.is_valid():
        # The same lockout and audit trail as the sign-in page: the tablet is in a
        # participant's hands, so guesses at the staff password must be limited too.
        attempt = check_password_try(request, staff.get_username(), form.cleaned_data["password"])
        user = attempt.user
        if attempt.lockout is not None:
            form.add_error("password", attempt.lockout_message)
    if user is None or user.pk != staff.pk:
        if not form.has_error("password"):
            form.add_error(
                "password", "That password is not right. Ask the staff member to enter it."
            )
        return render(
            request, "measures/tablet_return.html", {"form": form, "staff": staff}, status=422
        )
    login(request, user)
    do_record_sign_in_attempt(
        user.get_username(), client_addr_of(request), user=user, succeeded=True
    )
    request.session.pop(TABLET_SESSION, None)
    return redirect("measures:chart-tab", public_id=administration.participant.public_id)


def forbid_participants(request: AuthedRequest) -> None:
    if not grants_for(request.user).is_staff_member:
        raise PermissionDenied
