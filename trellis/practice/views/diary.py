"""Practice pages: the diary part (docs/practice.md).

- /me/practice/diary/ — the participant's card for today (or a past day within the program's
  back-fill window, marked late); a rule that fires shows the crisis text at once.
- /practice/diary/<participant>/ — the clinician's week (days × rows) and the trend over weeks.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from trellis.audit.models import Action
from trellis.practice.access import DiaryAccess, access_diary, access_own_diary
from trellis.practice.actions.diary import (
    backfill_days,
    card_rows,
    check_submit_diary_card,
    episode_today,
)
from trellis.practice.models.diary import SCALE_OF
from trellis.practice.queries.diary import days_written, diary_trend, diary_week
from trellis.privacy.decorators import staff_required

RESERVED = {"csrfmiddlewaretoken", "card_on", "idempotency_key"}


def _parse_day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _form_rows(rows: list[dict[str, Any]], data: dict[str, Any]) -> list[dict[str, Any]]:
    shown = []
    for row in rows:
        scale = SCALE_OF.get(row["kind"])
        shown.append(
            {
                **row,
                "choices": [str(n) for n in range(scale[0], scale[1] + 1)] if scale else [],
                "value": str(data.get(row["key"], "")),
                "amount": str(data.get(row["key"] + "_amount", "")),
            }
        )
    return shown


def _own_page(
    request: HttpRequest,
    diary: DiaryAccess,
    *,
    card_on: date,
    data: dict[str, Any],
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = episode_today(diary.episode)
    window = backfill_days(diary.config)
    days = [today - timedelta(days=n) for n in range(window + 1)]
    written = days_written(diary, days)
    return render(
        request,
        "practice/diary/me.html",
        {
            "program": diary.episode.program,
            "card_on": card_on,
            "late": card_on < today,
            "already": card_on in written,
            "days": [{"day": d, "written": d in written, "today": d == today} for d in days],
            "rows": _form_rows(card_rows(diary.config), data),
            "errors": errors or {},
            "idempotency_key": data.get("idempotency_key") or uuid.uuid4().hex,
        },
        status=status,
    )


@login_required
def my_diary(request: HttpRequest) -> HttpResponse:
    action = Action.CREATE if request.method == "POST" else Action.VIEW
    diary = access_own_diary(request.user, action=action)  # type: ignore[arg-type]
    today = episode_today(diary.episode)
    if request.method != "POST":
        day = _parse_day(request.GET.get("day")) or today
        if not today - timedelta(days=backfill_days(diary.config)) <= day <= today:
            day = today
        return _own_page(request, diary, card_on=day, data={})
    data: dict[str, str] = {key: str(request.POST.get(key, "")) for key in request.POST}
    card_on = _parse_day(data.get("card_on"))
    if card_on is None:
        errors = {"card_on": ["Choose the day this card is for."]}
        return _own_page(request, diary, card_on=today, data=data, errors=errors, status=400)
    answers = {k: v for k, v in data.items() if k not in RESERVED}
    try:
        result = check_submit_diary_card(
            request.user,  # type: ignore[arg-type]
            diary,
            card_on=card_on,
            answers=answers,
            idempotency_key=data.get("idempotency_key") or None,
        )
    except ValidationError as error:
        return _own_page(
            request,
            diary,
            card_on=card_on if card_on <= today else today,
            data=data,
            errors=error.message_dict,
            status=400,
        )
    return render(
        request,
        "practice/diary/saved.html",
        {
            "program": diary.episode.program,
            "card": result.card,
            "urgent": bool(result.alerts) or result.card.risk_raised,
        },
    )


@staff_required()
def diary_page(request: HttpRequest, participant_id: str) -> HttpResponse:
    diary = access_diary(request.user, participant_id)  # type: ignore[arg-type]
    today = episode_today(diary.episode)
    start = _parse_day(request.GET.get("week")) or today
    context = diary_week(diary, diary.episode, min(start, today))
    context.update(diary_trend(diary, diary.episode))
    context["participant"] = diary.participant_access.participant
    return render(request, "practice/diary/page.html", context)


urlpatterns: list[URLPattern] = [
    path("me/practice/diary/", my_diary, name="my-diary"),
    path("practice/diary/<str:participant_id>/", diary_page, name="diary"),
]
