"""The guardian's pages (docs/portal.md, "Guardians"): /family/, the participants a guardian is
linked to, and /family/<participant>/, what the program's policy and the adolescent's consent
grant of one of them: upcoming sessions, attendance, check-ins due (names only, never
answers) and check-in scores. Phone first, English and Spanish (the guardian's own choice).

Every read opens the participant through `participants.access.access_as_guardian`, which
records the look as a guardian's and returns only the granted kinds; these pages never open
the record through the general policy. Also here: the adolescent's own "My guardians"
(/me/guardians/), where they see who their guardians are and what each sees, and give or
withdraw consent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trellis.accounts.http import AuthedRequest
from trellis.lib.clock import local_today
from trellis.participants.access import (
    access_as_guardian,
    access_guardian_home,
    access_own_guardians,
)
from trellis.participants.actions.guardians import check_set_guardian_consent
from trellis.participants.guardianship import LinkView
from trellis.participants.models import Episode, GuardianKind, GuardianRelationship
from trellis.privacy.policy import grants_for

UPCOMING_DAYS = 21
PAST_DAYS = 28
SCORE_CODES = ("PHQ-9", "GAD-7")

# The kinds and relationships in the guardian's and the adolescent's language.
KIND_LABELS: dict[str, Any] = {
    GuardianKind.SCHEDULE: gettext_lazy("Upcoming sessions"),
    GuardianKind.ATTENDANCE: gettext_lazy("Attendance"),
    GuardianKind.CHECKINS_DUE: gettext_lazy("Check-ins due (not the answers)"),
    GuardianKind.SCORES: gettext_lazy("Check-in scores"),
    GuardianKind.MESSAGES: gettext_lazy("Messages to the team"),
}
RELATIONSHIP_LABELS: dict[str, Any] = {
    GuardianRelationship.PARENT: gettext_lazy("Parent"),
    GuardianRelationship.LEGAL_GUARDIAN: gettext_lazy("Legal guardian"),
    GuardianRelationship.OTHER: gettext_lazy("Other caregiver"),
}
ATTENDANCE_LABELS: dict[str, Any] = {
    "present": gettext_lazy("Present"),
    "late": gettext_lazy("Late"),
    "left_early": gettext_lazy("Left early"),
    "absent_excused": gettext_lazy("Absent (excused)"),
    "absent_unexcused": gettext_lazy("Absent"),
    "cancelled_by_program": gettext_lazy("Cancelled by the program"),
}


@dataclass(frozen=True)
class SessionRow:
    day: date
    starts: datetime  # in the program's zone
    ends: datetime
    name: str
    place: str
    by_video: bool
    cancelled: bool
    attendance: str = ""  # past sessions: the status's words ("" not recorded yet)


@dataclass(frozen=True)
class ScoreRow:
    title: str
    total: int
    on: date


def _not_a_guardian(request: AuthedRequest) -> HttpResponse:
    if getattr(request.user, "participant", None) is not None:
        return redirect("portal:home")
    if grants_for(request.user).is_staff_member:
        return redirect("today")
    return render(request, "no_role.html", status=403)


@login_required
def family_home(request: AuthedRequest) -> HttpResponse:
    """The guardian's home: each linked participant, and whether there is anything to see."""
    entries = access_guardian_home(request.user)
    if not entries:
        return _not_a_guardian(request)
    programs = [e.episode.program for e in entries if e.episode is not None]
    return render(
        request,
        "portal/family_home.html",
        {"views": entries, "program": programs[0] if programs else None},
    )


def _schedule(episode: Episode) -> dict[str, Any]:
    from trellis.scheduling.queries import episodes_schedule

    zone = episode.program.organization.tz
    today, now = local_today(zone), timezone.now()
    schedule = episodes_schedule(
        [episode], today, now, past_days=PAST_DAYS, upcoming_days=UPCOMING_DAYS
    )

    def row(slot: Any, attendance: str = "") -> SessionRow:
        starts = timezone.localtime(slot.starts_at, zone)
        return SessionRow(
            day=starts.date(),
            starts=starts,
            ends=timezone.localtime(slot.ends_at, zone),
            name=slot.series.name,
            place=slot.room.name if slot.room is not None else "",
            by_video=bool(slot.telehealth_url) or slot.mode == "telehealth",
            cancelled=slot.cancelled,
            attendance=attendance,
        )

    upcoming = [row(s) for s in schedule["upcoming"]]
    # Attendance: sessions that have started (today's evening group is still "upcoming").
    past = [
        row(slot, str(ATTENDANCE_LABELS.get(mark.status, "")) if mark is not None else "")
        for slot, mark in schedule["past"]
        if not slot.cancelled and slot.starts_at <= now
    ]
    return {"upcoming": upcoming, "past": past}


def _checkins_due(view: LinkView) -> list[str]:
    from trellis.measures.queries import own_open_checkins
    from trellis.measures.registry import get_instrument

    names = []
    for administration in own_open_checkins(view.link.participant):
        instrument = get_instrument(
            administration.instrument_code,
            administration.instrument_version,
            language=translation.get_language(),
        )
        names.append(instrument.short_title)
    return names


def _scores(episode: Episode) -> list[ScoreRow]:
    """The latest total of each of the PHQ-9 and GAD-7 in the current episode (never the
    answers)."""
    from trellis.measures.queries import current_scores
    from trellis.measures.registry import get_instrument
    from trellis.measures.translations import localized_short_title

    latest: dict[str, ScoreRow] = {}
    for score in current_scores([episode]):
        if score.instrument_code in SCORE_CODES and score.total is not None:
            title = localized_short_title(
                get_instrument(score.instrument_code), translation.get_language() or "en"
            )
            latest[score.instrument_code] = ScoreRow(title, score.total, score.observed_on)
    return [latest[code] for code in SCORE_CODES if code in latest]


@login_required
def family_participant(request: AuthedRequest, participant_id: str) -> HttpResponse:
    """One linked participant: only what is granted. Another person's id, an ended link, an
    adult or a participant without an open adolescent episode: the audited 404."""
    view = access_as_guardian(request.user, participant_id)
    participant, episode = view.link.participant, view.episode
    if episode is None:  # access_as_guardian opens only links that work
        return redirect("portal:family")
    context: dict[str, Any] = {
        "view": view,
        "participant": participant,
        "first_name": participant.preferred_name or participant.given_name,
        "program": episode.program,
        "kinds": view.kinds,
        "zone": participant.organization.tz,
    }
    if {GuardianKind.SCHEDULE, GuardianKind.ATTENDANCE} & view.kinds:
        schedule = _schedule(episode)
        if GuardianKind.SCHEDULE in view.kinds:
            context["upcoming"] = schedule["upcoming"]
        if GuardianKind.ATTENDANCE in view.kinds:
            context["past"] = schedule["past"]
    if GuardianKind.CHECKINS_DUE in view.kinds:
        context["checkins_due"] = _checkins_due(view)
    if GuardianKind.SCORES in view.kinds:
        context["scores"] = _scores(episode)
    if GuardianKind.MESSAGES in view.kinds:
        from trellis.messaging.queries import guardian_unread_count

        context["messages_unread"] = guardian_unread_count(request.user, participant)
    return render(request, "portal/family_participant.html", context)


@login_required
def my_guardians(request: AuthedRequest) -> HttpResponse:
    """The adolescent's "My guardians": who, what each sees; give or withdraw consent for
    what the program allows only with it."""
    participant = getattr(request.user, "participant", None)
    if participant is None:
        return redirect("portal:home")
    access, views = access_own_guardians(request.user)
    if request.method == "POST":
        chosen = request.POST.get("link", "")
        view = next((v for v in views if str(v.link.public_id) == chosen), None)
        if view is None:
            messages.error(request, _("That guardian's link has changed: reload the page."))
        else:
            given = request.POST.get("operation") == "consent"
            try:
                check_set_guardian_consent(
                    request.user, view.link, request.POST.get("kind", ""), given=given
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Thanks: %(name)s can now see it.") % {"name": view.link.guardian.name}
                    if given
                    else _("Done: %(name)s no longer sees it.") % {"name": view.link.guardian.name},
                )
        return redirect("portal:my-guardians")
    episode = access.current_episode
    entries = [
        {
            "view": view,
            "relationship": RELATIONSHIP_LABELS.get(view.link.relationship, ""),
            "sees": [KIND_LABELS[r.kind] for r in view.kind_rows if r.granted],
            # What the program allows only with the adolescent's consent: theirs to give.
            "consentable": [
                {"kind": r.kind, "label": KIND_LABELS[r.kind], "given": r.consent is not None}
                for r in view.kind_rows
                if r.needs_consent and r.allowed
            ],
        }
        for view in views
    ]
    return render(
        request,
        "portal/my_guardians.html",
        {"entries": entries, "program": episode.program if episode is not None else None},
    )
