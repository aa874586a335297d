"""A person's schedule: the chart's Schedule tab, a participant's own page, calendar feeds."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action, Outcome, Purpose
from trellis.audit.trail import record
from trellis.lib.clock import local_today
from trellis.lib.views import add_error_messages
from trellis.participants.chart import chart_context
from trellis.privacy.access import ParticipantAccess, Scope, access_participant
from trellis.privacy.decorators import staff_required
from trellis.programs.models import Room
from trellis.scheduling import actions, ical
from trellis.scheduling.access import (
    access_own_occurrence,
    can_manage_schedule,
    feed_to_change,
    revokes_any_feed,
    schedule_programs,
)
from trellis.scheduling.forms import NoticeForm
from trellis.scheduling.models import LATE_CHOICES, FeedKind, NoticeKind
from trellis.scheduling.queries import (
    episodes_schedule,
    feed_for_token_hash,
    notices_for_episodes,
    participant_feeds,
)

UPCOMING_DAYS = 21
PAST_DAYS = 28


def _participant_schedule(access: ParticipantAccess) -> dict[str, Any]:
    """Upcoming sessions and recent attendance of the episodes this user may see."""
    episodes = [e for e in access.episodes if e.is_open]
    today = local_today(access.participant.organization.tz)
    return episodes_schedule(
        episodes, today, timezone.now(), past_days=PAST_DAYS, upcoming_days=UPCOMING_DAYS
    )


@staff_required()
def chart_schedule(request: AuthedRequest, public_id: uuid.UUID) -> HttpResponse:
    """The chart's Schedule tab: demographic scope (front desk keep the schedule)."""
    access = access_participant(request.user, public_id, purpose=Purpose.TREAT)
    episode = access.current_episode
    can_manage_feed = episode is not None and can_manage_schedule(request.user, episode.program)
    context = chart_context(access, "schedule") | _participant_schedule(access)
    context["can_manage_feed"] = can_manage_feed
    context["feeds"] = participant_feeds(access.participant.pk) if can_manage_feed else []
    context["revoke_any"] = can_manage_feed and revokes_any_feed(
        request.user, participant=access.participant
    )
    context["new_feed_url"] = request.session.pop("trellis_new_feed_url", "")
    return render(request, "scheduling/chart_schedule.html", context)


@staff_required()
@require_POST
def chart_feed(request: AuthedRequest, public_id: uuid.UUID) -> HttpResponse:
    """Create, rotate or revoke a participant's calendar feed (schedule managers)."""
    access = access_participant(request.user, public_id, purpose=Purpose.TREAT, audit=False)
    episode = access.current_episode
    if episode is None or not can_manage_schedule(request.user, episode.program):
        raise PermissionDenied("Only directors and front desk manage calendar feeds.")
    _feed_change(request, FeedKind.PARTICIPANT, participant=access.participant)
    return redirect("scheduling:chart-schedule", public_id=access.participant.public_id)


def _feed_change(request: AuthedRequest, kind: str, **target: Any) -> None:
    """Apply the posted create / rotate / revoke to the caller's own feeds of `target`; a
    revocation may also reach others' feeds of it (access.revokes_any_feed)."""
    change = request.POST.get("change", "create")
    if change == "create":
        _, token = actions.do_create_feed(request.user, kind, **target)
    elif change in {"rotate", "revoke"}:
        feed = feed_to_change(
            request.user, request.POST.get("feed"), change=change, kind=kind, **target
        )
        if feed is None:
            raise Http404("No such feed.")
        if change == "revoke":
            actions.do_revoke_feed(request.user, feed)
            messages.success(request, "Feed revoked: calendars subscribed to it stop updating.")
            return
        _, token = actions.do_rotate_feed(request.user, feed)
    else:
        raise Http404("Unknown change.")
    # The secret URL is shown once, after the redirect; only its hash is kept.
    request.session["trellis_new_feed_url"] = request.build_absolute_uri(
        reverse("scheduling:feed", kwargs={"feed_token": token})
    )
    messages.success(request, "New calendar link created: copy it now, it is shown once.")


@login_required
def my_schedule(request: AuthedRequest) -> HttpResponse:
    """A participant's own upcoming sessions and their calendar link."""
    participant = getattr(request.user, "participant", None)
    if participant is None:
        raise Http404
    access = access_participant(
        request.user, participant.public_id, purpose=Purpose.PATRQT, minimum=Scope.CLINICAL
    )
    if request.method == "POST":
        _feed_change(request, FeedKind.PARTICIPANT, participant=access.participant)
        return redirect("scheduling:me")
    schedule = _participant_schedule(access)
    ids = [e.pk for e in access.episodes if e.is_open]
    upcoming = schedule["upcoming"]
    originals = [s.original_date for s in upcoming]
    notices = notices_for_episodes(ids, min(originals), max(originals)) if originals else {}
    context = schedule | {
        "upcoming_rows": [(s, notices.get((s.series.pk, s.original_date))) for s in upcoming],
        "late_choices": LATE_CHOICES,
        "participant": access.participant,
        "feeds": participant_feeds(access.participant.pk),
        "revoke_any": True,  # their own schedule: see access.revokes_any_feed
        "new_feed_url": request.session.pop("trellis_new_feed_url", ""),
    }
    return render(request, "scheduling/me.html", context)


@staff_required()
@require_POST
def my_feed(request: AuthedRequest) -> HttpResponse:
    """A clinician's own feed of the sessions they facilitate."""
    _feed_change(request, FeedKind.CLINICIAN, user=request.user)
    return redirect("scheduling:my-week")


@login_required
@require_POST
def my_notice(request: AuthedRequest, series_id: uuid.UUID, occurrence_date: str) -> HttpResponse:
    """A participant's "I'll be late" or "I can't come" for one of their coming sessions.
    Back to the home or the schedule page with a confirmation, or the refusal's message."""
    slot, episodes = access_own_occurrence(request.user, series_id, occurrence_date)
    back = redirect("portal:home" if request.POST.get("back") == "home" else "scheduling:me")
    form = NoticeForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Say how many minutes late (a whole number), or why you can't come.")
        )
        return back
    try:
        notice = actions.check_send_notice(
            request.user,
            slot,
            episodes,
            kind=form.cleaned_data["kind"],
            minutes=form.cleaned_data.get("minutes"),
            reason=form.cleaned_data.get("reason") or "",
        )
    except ValidationError as error:
        add_error_messages(request, error)
        return back
    if notice.kind == NoticeKind.LATE:
        messages.success(
            request,
            _("Thanks: your group will know you'll be %(n)s minutes late.")
            % {"n": notice.minutes_late},
        )
    else:
        messages.success(request, _("Thanks: your team will know you can't come."))
    return back


@staff_required()
@require_POST
def room_feed(request: AuthedRequest, room_id: uuid.UUID) -> HttpResponse:
    programs = [p for p in schedule_programs(request.user) if can_manage_schedule(request.user, p)]
    room = Room.objects.filter(
        public_id=room_id, site__organization_id__in={p.organization_id for p in programs}
    ).first()
    if room is None:
        raise Http404("No such room.")
    _feed_change(request, FeedKind.ROOM, room=room)
    return redirect("scheduling:room", room_id=room.public_id)


def feed(request: HttpRequest, feed_token: str) -> HttpResponse:
    """The .ics at a secret URL. No sign-in (calendar apps cannot); the token is the key.

    Unknown and revoked tokens look the same (404). Each fetch is recorded against the
    feed, never with the token.
    """
    token = feed_token.removesuffix(".ics")
    found = feed_for_token_hash(actions.hash_token(token))
    if found is None:
        record(
            None,
            Action.DENY,
            object_type="scheduling.calendarfeed",
            outcome=Outcome.DENIED,
            actor_label="calendar feed",
        )
        raise Http404
    if found.room is not None:
        zone = found.room.site.organization.tz
    elif found.participant is not None:
        zone = found.participant.organization.tz
    else:
        programs = list(schedule_programs(found.user)) if found.user else []
        zone = programs[0].organization.tz if programs else timezone.get_current_timezone()
    today = local_today(zone)
    slots, detailed = ical.feed_slots(found, today)
    record(
        None,
        Action.EXPORT,
        participant=found.participant,
        obj=found,
        actor_label="calendar feed",
        detail={"kind": found.kind, "events": len(slots)},
    )
    response = HttpResponse(
        ical.calendar(slots, detailed_programs=detailed),
        content_type="text/calendar; charset=utf-8",
    )
    response["Cache-Control"] = "private, max-age=300"
    return response
