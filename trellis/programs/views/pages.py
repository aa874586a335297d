"""Programs and tracks pages (facts about the program, census counts; no participant data)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import render

from trellis.accounts.http import AuthedRequest
from trellis.participants.models import EpisodeStatus
from trellis.privacy.decorators import staff_required
from trellis.privacy.policy import grants_for
from trellis.privacy.setup import may_set_up_program
from trellis.programs.models import Membership, Program, Role, Track


def _census() -> dict[str, Count]:
    return {
        "active_count": Count("episodes", filter=Q(episodes__status=EpisodeStatus.ACTIVE)),
        "waitlist_count": Count("episodes", filter=Q(episodes__status=EpisodeStatus.WAITLIST)),
    }


@staff_required()
def program_index(request: AuthedRequest) -> HttpResponse:
    programs = (
        Program.objects.for_user(request.user)
        .select_related("organization", "site")
        .annotate(**_census())
        .order_by("organization__name", "name")
    )
    tracks = (
        Track.objects.filter(program__in=programs)
        .annotate(**_census())
        .order_by("program_id", "name")
    )
    by_program: dict[int, list[Track]] = {}
    for track in tracks:
        by_program.setdefault(track.program_id, []).append(track)
    rows = [(program, by_program.get(program.pk, [])) for program in programs]
    return render(request, "programs/list.html", {"rows": rows})


@staff_required()
def program_detail(request: AuthedRequest, program_id: str) -> HttpResponse:
    program = (
        Program.objects.for_user(request.user)
        .select_related("organization", "site")
        .annotate(**_census())
        .filter(public_id=program_id)
        .first()
    )
    if program is None:
        raise Http404
    tracks = program.tracks.annotate(**_census()).order_by("name")
    staff = (
        Membership.objects.active()
        .filter(Q(program=program) | Q(program__isnull=True, organization=program.organization))
        .filter(role__in=[Role.PROGRAM_DIRECTOR, Role.CLINICIAN])
        .select_related("user")
        .prefetch_related("user__credentials")
        .order_by("role", "user__last_name")
    )
    grants = grants_for(request.user)
    return render(
        request,
        "programs/detail.html",
        {
            "program": program,
            "tracks": tracks,
            "staff": staff,
            "may_set_up": may_set_up_program(request.user, program),
            # The program's scores page (measures) is for its clinicians and directors.
            "sees_scores": grants.is_clinician or grants.is_director_anywhere,
            # The intake funnel (figures, no names) is the program director's.
            "sees_funnel": grants.directs(program),
        },
    )
