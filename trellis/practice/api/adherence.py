"""The practice API: the adherence part, under /api/v1/practice/ (docs/practice.md).
Same access and audit as the Practice tab: staff with clinical scope on the participant."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from trellis.accounts.api import acting_user
from trellis.audit.models import Purpose
from trellis.lib.api import error_responses
from trellis.practice.adherence import Adherence
from trellis.practice.queries.adherence import adherence_summary
from trellis.privacy.access import Scope, access_participant

router = Router(tags=["practice"])


class AdherenceOut(Schema):
    assigned: int
    required: int
    done: int
    on_time: int
    excused: int
    percent: float | None

    @staticmethod
    def of(a: Adherence) -> AdherenceOut:
        return AdherenceOut(
            assigned=a.assigned,
            required=a.required,
            done=a.done,
            on_time=a.on_time,
            excused=a.excused,
            percent=a.percent,
        )


class SkillAdherenceOut(Schema):
    skill: str
    adherence: AdherenceOut


class SummaryOut(Schema):
    today: date
    overall: AdherenceOut
    this_week: AdherenceOut
    per_skill: list[SkillAdherenceOut]
    streak: int
    last_practice: date | None


@router.get(
    "/participants/{public_id}/adherence",
    response={200: SummaryOut, **error_responses(401, 403, 404)},
    summary="A participant's practice adherence",
)
def get_adherence(request: HttpRequest, public_id: str) -> SummaryOut:
    """Assigned, done, on time and streak for the episodes you see clinically (the
    organization's dates)."""
    access = access_participant(
        acting_user(request), public_id, purpose=Purpose.TREAT, minimum=Scope.CLINICAL
    )
    summary = adherence_summary(access)
    if summary is None:
        raise Http404
    return SummaryOut(
        today=summary["today"],
        overall=AdherenceOut.of(summary["overall"]),
        this_week=AdherenceOut.of(summary["this_week"]),
        per_skill=[
            SkillAdherenceOut(skill=name, adherence=AdherenceOut.of(a))
            for name, a in sorted(summary["per_skill"].items())
        ],
        streak=summary["streak"],
        last_practice=summary["last_practice"],
    )
