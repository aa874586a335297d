"""Practice pages: the diary part (docs/practice.md).

- /me/practice/diary/ — the participant's card for today (or a past day within the program's
  back-fill window, marked late); a rule that fires shows the crisis text at once.
- /practice/diary/<participant>/ — the clinician's week (days × rows) and the trend over weeks.
- /practice/programs/<program>/diary-card/ — a program's card: rows, risk rules, back-fill
  window, which tracks use it (program directors and organization administrators).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path

from trellis.audit.models import Action
from trellis.practice.access import DiaryAccess, access_diary, access_own_diary
from trellis.practice.actions.diary import (
    active_skills,
    backfill_days,
    card_rows,
    card_rules,
    check_submit_diary_card,
    do_configure_diary,
    episode_today,
    new_row_key,
)
from trellis.practice.models.diary import DEFAULT_BACKFILL_DAYS, SCALE_OF, DiaryCardConfig, RowKind
from trellis.practice.queries.diary import days_written, diary_trend, diary_week
from trellis.privacy.decorators import staff_required
from trellis.privacy.setup import access_setup_program
from trellis.programs.models import Program, Track

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
                "chosen": [str(v) for v in data.get(row["key"], [])]
                if isinstance(data.get(row["key"]), list)
                else [],
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
    rows = card_rows(diary.config)
    checklist = any(row["kind"] == RowKind.SKILL_CHECKLIST for row in rows)
    return render(
        request,
        "practice/diary/me.html",
        {
            "program": diary.episode.program,
            "card_on": card_on,
            "late": card_on < today,
            "already": card_on in written,
            "days": [{"day": d, "written": d in written, "today": d == today} for d in days],
            "rows": _form_rows(rows, data),
            "skill_options": list(active_skills(diary.episode.program.organization_id).values())
            if checklist
            else [],
            "in_use": diary.in_use,
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
    checklists = {
        row["key"] for row in card_rows(diary.config) if row["kind"] == RowKind.SKILL_CHECKLIST
    }
    data: dict[str, Any] = {
        key: request.POST.getlist(key) if key in checklists else str(request.POST.get(key, ""))
        for key in request.POST
    }
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


DETAIL_OF = {RowKind.URGE: "target", RowKind.ACTION: "unit"}
NEW_ROW_SLOTS = 3
NEW_RULE_SLOTS = 2


def _posted_int(raw: str | None) -> int | None:
    text = (raw or "").strip()
    return int(text) if text.isdigit() else None


def _posted_rows(
    post: Any, config: DiaryCardConfig | None, errors: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """The rows as the form posted them: kept rows (by their stable key), new rows (a key made
    from the label), restored rows; in the order given by each row's position."""
    existing = {row["key"]: row for row in card_rows(config)}
    retired = {row["key"]: row for row in (config.retired_rows if config else [])}
    taken = set(existing) | set(retired)
    placed: list[tuple[int, int, dict[str, Any]]] = []
    count = min(_posted_int(post.get("rows-count")) or 0, 60)
    for index in range(count):
        prefix = f"row-{index}-"
        key = post.get(prefix + "key", "").strip()
        label = post.get(prefix + "label", "").strip()
        if post.get(prefix + "remove") or not (key or label or post.get(prefix + "detail")):
            continue
        if key and key not in existing:
            errors.setdefault("rows", []).append(f"Row {index + 1}: this row is not on the card.")
            continue
        kind = existing[key]["kind"] if key else post.get(prefix + "kind", "")
        row: dict[str, Any] = {"key": key, "label": label, "kind": kind}
        detail = post.get(prefix + "detail", "").strip()
        if detail:
            if kind in DETAIL_OF:
                row[DETAIL_OF[kind]] = detail
            else:
                errors.setdefault("rows", []).append(
                    f"Row {index + 1} ({label or 'new row'}): a target or unit goes with an "
                    "urge or an action row only."
                )
        if not key:
            row["key"] = new_row_key(label, taken)
            taken.add(row["key"])
        order_raw = post.get(prefix + "order", "").strip()
        order = _posted_int(order_raw)
        if order_raw and order is None:
            errors.setdefault("rows", []).append(
                f"Row {index + 1} ({label or 'new row'}): position must be a whole number."
            )
        placed.append((order if order is not None else 1000 + index, index, row))
    for key in post.getlist("restore"):
        if key in retired and key not in existing:
            placed.append((2000, len(placed), dict(retired[key])))
    return [row for _, _, row in sorted(placed, key=lambda item: (item[0], item[1]))]


def _posted_rules(
    post: Any, rows: list[dict[str, Any]], errors: dict[str, list[str]]
) -> list[dict[str, Any]]:
    kinds = {row["key"]: row["kind"] for row in rows}
    rules: list[dict[str, Any]] = []
    count = min(_posted_int(post.get("rules-count")) or 0, 60)
    for index in range(count):
        prefix = f"rule-{index}-"
        key = post.get(prefix + "row", "").strip()
        if post.get(prefix + "remove") or not key:
            continue
        if kinds.get(key) == RowKind.ACTION:
            rules.append({"row": key, "any": True})
            continue
        threshold = _posted_int(post.get(prefix + "at_least"))
        if threshold is None:
            errors.setdefault("risk_rules", []).append(
                f"Rule {index + 1}: give the rating (a whole number) that raises an alert."
            )
            continue
        rules.append({"row": key, "at_least": threshold})
    return rules


def _config_page(
    request: HttpRequest,
    program: Program,
    config: DiaryCardConfig | None,
    *,
    rows: list[dict[str, Any]],
    rules: list[dict[str, Any]],
    backfill: Any,
    enabled: bool,
    chosen_tracks: set[str],
    errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    kinds = dict(RowKind.choices)
    current_keys = {row["key"] for row in card_rows(config)}
    shown_rows = [
        {
            **row,
            "kind_label": kinds.get(row["kind"], row["kind"]),
            "detail": row.get(DETAIL_OF.get(row["kind"], ""), ""),
            "saved": row["key"] in current_keys,
        }
        for row in rows
    ]
    tracks = list(Track.objects.filter(program=program).order_by("name"))
    return render(
        request,
        "practice/diary/config.html",
        {
            "program": program,
            "rows": shown_rows,
            "new_slots": range(len(shown_rows), len(shown_rows) + NEW_ROW_SLOTS),
            "rows_count": len(shown_rows) + NEW_ROW_SLOTS,
            "rules": rules,
            "rule_slots": range(len(rules), len(rules) + NEW_RULE_SLOTS),
            "rules_count": len(rules) + NEW_RULE_SLOTS,
            "rule_rows": [
                r
                for r in shown_rows
                if r["saved"]
                and r["kind"] in (RowKind.URGE, RowKind.EMOTION, RowKind.SKILLS, RowKind.ACTION)
            ],
            "rule_row_keys": [r["key"] for r in shown_rows if r["saved"]],
            "retired_rows": [
                r for r in (config.retired_rows if config else []) if r["key"] not in current_keys
            ],
            "kinds": RowKind.choices,
            "backfill": backfill,
            "enabled": enabled,
            "tracks": [(t, str(t.public_id) in chosen_tracks) for t in tracks],
            "errors": errors or {},
            "configured": config is not None,
        },
        status=400 if errors else 200,
    )


@staff_required()
def diary_config(request: HttpRequest, program_id: uuid.UUID) -> HttpResponse:
    """A program's diary card: its rows (add, remove, reorder), risk rules, back-fill window
    and which tracks use it. Directors of the program and organization administrators; bad
    input is shown naming the field and nothing is stored."""
    program = access_setup_program(request.user, program_id)  # type: ignore[arg-type]
    config = DiaryCardConfig.objects.filter(program=program).prefetch_related("tracks").first()
    if request.method != "POST":
        return _config_page(
            request,
            program,
            config,
            rows=card_rows(config),
            rules=card_rules(config),
            backfill=config.backfill_days if config else DEFAULT_BACKFILL_DAYS,
            enabled=config.enabled if config else True,
            chosen_tracks={str(t.public_id) for t in config.tracks.all()} if config else set(),
        )
    post = request.POST
    errors: dict[str, list[str]] = {}
    rows = _posted_rows(post, config, errors)
    rules = _posted_rules(post, rows, errors)
    backfill = _posted_int(post.get("backfill_days"))
    if backfill is None:
        errors.setdefault("backfill_days", []).append("Choose 0 to 14 days (a whole number).")
    chosen = set(post.getlist("tracks"))
    tracks = [t for t in Track.objects.filter(program=program) if str(t.public_id) in chosen]
    if len(tracks) != len(chosen):
        errors.setdefault("tracks", []).append("Choose tracks of this program.")
    enabled = post.get("enabled") == "on"
    if not errors:
        try:
            do_configure_diary(
                request.user,  # type: ignore[arg-type]
                program,
                rows=rows,
                risk_rules=rules,
                backfill=backfill if backfill is not None else DEFAULT_BACKFILL_DAYS,
                enabled=enabled,
                tracks=tracks,
            )
        except ValidationError as error:
            errors = {k: list(v) for k, v in error.message_dict.items()}
        else:
            messages.success(request, "Diary card saved.")
            return redirect("practice:diary-config", program_id=program.public_id)
    return _config_page(
        request,
        program,
        config,
        rows=rows,
        rules=rules,
        backfill=post.get("backfill_days", ""),
        enabled=enabled,
        chosen_tracks=chosen,
        errors=errors,
    )


urlpatterns: list[URLPattern] = [
    path("me/practice/diary/", my_diary, name="my-diary"),
    path("practice/diary/<str:participant_id>/", diary_page, name="diary"),
    path("practice/programs/<uuid:program_id>/diary-card/", diary_config, name="diary-config"),
]
