"""Practice pages: the assignments part (docs/practice.md).

- the "Assign practice to everyone present" panel on the take-attendance page (registered in
  plugins.py through scheduling's occurrence panels) and its POST;
- the participant's own pages: `/me/practice/` and `/me/practice/<assignment>/` (phone width).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action, Purpose
from trellis.practice.access import (
    access_assignment,
    access_own_assignment,
    access_own_assignments,
    can_assign_at,
)
from trellis.practice.actions.assignments import (
    AssignmentData,
    EntryData,
    do_assign,
    do_assign_to_present,
    do_could_not,
    do_excuse,
    do_record_entry,
)
from trellis.practice.models import Skill, WorksheetDefinition
from trellis.practice.models.assignments import (
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    Frequency,
)
from trellis.practice.queries.assignments import entries_done
from trellis.privacy.access import Scope, access_participant
from trellis.privacy.decorators import staff_required
from trellis.scheduling.access import access_occurrence
from trellis.scheduling.queries import attendance_for

if TYPE_CHECKING:
    from trellis.programs.models import Organization
    from trellis.scheduling.queries import Slot


class AssignForm(forms.Form):
    focus = forms.CharField(label="Skill or worksheet")
    title = forms.CharField(label="Title", max_length=200, required=False)
    due_on = forms.DateField(label="Due", widget=forms.DateInput(attrs={"type": "date"}))
    frequency = forms.ChoiceField(label="How often", choices=Frequency.choices)
    times_required = forms.IntegerField(label="Times", min_value=1, max_value=31, initial=1)
    note = forms.CharField(label="Note", max_length=2000, required=False, widget=forms.Textarea)
    batch_key = forms.UUIDField(widget=forms.HiddenInput)


def _focus(organization_id: int, value: str) -> tuple[Skill | None, WorksheetDefinition | None]:
    kind, _, raw = value.partition(":")
    try:
        public_id = uuid.UUID(raw)
    except ValueError:
        raise ValidationError({"focus": "Choose a skill or a worksheet."}) from None
    if kind == "skill":
        skill = (
            Skill.objects.filter(public_id=public_id, module__organization_id=organization_id)
            .select_related("module")
            .first()
        )
        if skill is not None:
            return skill, None
    if kind == "worksheet":
        worksheet = WorksheetDefinition.objects.filter(
            public_id=public_id, organization_id=organization_id, is_current=True
        ).first()
        if worksheet is not None:
            return worksheet.skill, worksheet
    raise ValidationError({"focus": "Choose a skill or a worksheet from your library."})


def _sheet(slot: Slot, back: str = "") -> HttpResponse:
    """Back to the page the form was on: the attendance page, or a page of this site that
    shows the same panel (the group note, `next`)."""
    if back:
        return HttpResponseRedirect(f"{back}#practice-panel")
    url = reverse(
        "scheduling:occurrence",
        kwargs={
            "series_id": slot.series.public_id,
            "occurrence_date": f"{slot.original_date:%Y-%m-%d}",
        },
    )
    return HttpResponseRedirect(f"{url}#practice-panel")


@require_POST
@staff_required()
def assign_session(
    request: AuthedRequest, series_id: uuid.UUID, occurrence_date: str
) -> HttpResponse:
    """Assign practice to everyone present (or the ticked ones of them) in one batch."""
    slot = access_occurrence(request.user, series_id, occurrence_date, action=Action.CREATE)
    if not can_assign_at(request.user, slot):
        raise PermissionDenied("Only this session's facilitators assign practice to its group.")
    attendance_for([slot])
    back = _back(request)
    organization = slot.series.track.program.organization
    parsed = _assignment_from_post(request, organization)
    if parsed is None:
        return _sheet(slot, back)
    data, batch_key = parsed
    try:
        ids = [uuid.UUID(v) for v in request.POST.getlist("episode")]
    except ValueError:
        messages.error(request, "Participants: choose people from the list.")
        return _sheet(slot, back)
    try:
        rows = do_assign_to_present(request.user, slot, data, episode_ids=ids, batch=batch_key)
    except ValidationError as exc:
        _report(request, exc)
        return _sheet(slot, back)
    people = "person" if len(rows) == 1 else "people"
    messages.success(request, f"Practice assigned to {len(rows)} {people}.")
    return _sheet(slot, back)


def _assignment_from_post(
    request: AuthedRequest, organization: Organization
) -> tuple[AssignmentData, uuid.UUID] | None:
    """The assign form (the attendance panel's and the chart's) as the action's data and the
    form's batch key; None with every problem reported by field when it does not validate."""
    form = AssignForm(request.POST)
    if not form.is_valid():
        for name, errs in form.errors.items():
            label = form.fields[name].label if name in form.fields else name
            messages.error(request, f"{label}: {' '.join(str(e) for e in errs)}")
        return None
    data = form.cleaned_data
    try:
        skill, worksheet = _focus(organization.pk, data["focus"])
    except ValidationError as exc:
        _report(request, exc)
        return None
    title = data["title"].strip() or _default_title(skill, worksheet)
    return (
        AssignmentData(
            title=title,
            due_on=data["due_on"],
            starts_on=min(organization.today(), data["due_on"]),
            skill=skill,
            worksheet=worksheet,
            frequency=data["frequency"],
            times_required=data["times_required"],
            note=data["note"],
        ),
        data["batch_key"],
    )


def _chart(public_id: uuid.UUID | str) -> HttpResponse:
    url = reverse("practice:chart-tab", kwargs={"public_id": public_id})
    return HttpResponseRedirect(f"{url}#practice-assign")


@require_POST
@staff_required()
def assign_one(request: AuthedRequest, public_id: uuid.UUID) -> HttpResponse:
    """Assign practice to one person from the chart's Practice tab (their care team)."""
    access = access_participant(
        request.user,
        str(public_id),
        purpose=Purpose.TREAT,
        minimum=Scope.CLINICAL,
        action=Action.CREATE,
    )
    episode = access.current_episode
    if episode is None or not episode.is_open or not access.is_clinical_for(episode):
        messages.error(request, "Participant: practice is assigned within an open episode.")
        return _chart(public_id)
    parsed = _assignment_from_post(request, episode.program.organization)
    if parsed is None:
        return _chart(public_id)
    data, batch_key = parsed
    try:
        do_assign(request.user, episode, data, batch=batch_key)
    except ValidationError as exc:
        _report(request, exc)
        return _chart(public_id)
    messages.success(request, f"Practice assigned: {data.title}.")
    return _chart(public_id)


@require_POST
@staff_required()
def excuse(request: AuthedRequest, assignment_id: uuid.UUID) -> HttpResponse:
    """Excuse an open or missed assignment (the care team): it stops counting against
    adherence. An assignment already done or excused is left as it is, with a message."""
    assignment = access_assignment(request.user, assignment_id, action=Action.UPDATE)
    try:
        do_excuse(request.user, assignment)
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, f"Excused: {assignment.title}.")
    return _chart(assignment.participant.public_id)


def _back(request: AuthedRequest) -> str:
    """The posted `next` when it is a path of this site (never another host), else ""."""
    back = request.POST.get("next", "")
    if (
        back.startswith("/")
        and not back.startswith("//")
        and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    ):
        return back.split("#", 1)[0]
    return ""


def _default_title(skill: Skill | None, worksheet: WorksheetDefinition | None) -> str:
    if worksheet is not None:
        return f"Fill in: {worksheet.title}"
    if skill is not None:
        return f"Practise {skill.acronym or skill.name} and log it"
    return "Practice"


LABELS = {
    "focus": "Skill or worksheet",
    "skill": "Skill",
    "worksheet": "Worksheet",
    "title": "Title",
    "due_on": "Due",
    "frequency": "How often",
    "times_required": "Times",
    "note": "Note",
    "participants": "Participants",
    "practiced_on": "Day you practised",
    "rating": "How it went",
    "what_happened": "What happened",
    "reason": "Reason",
    "idempotency_key": "Form",
    "assignment": "Practice",
}


def _report(request: AuthedRequest, exc: ValidationError) -> None:
    for name, errs in exc.message_dict.items():
        messages.error(request, f"{LABELS.get(name, name)}: {' '.join(str(e) for e in errs)}")


# --- the participant's own pages ------------------------------------------------------------


def _own_participant(request: AuthedRequest) -> Any:
    participant = getattr(request.user, "participant", None)
    if participant is None:
        raise Http404
    return participant


@login_required
def my_practice(request: AuthedRequest) -> HttpResponse:
    participant = _own_participant(request)
    rows = access_own_assignments(request.user, participant)
    open_rows = [a for a in rows if a.status in OPEN_ASSIGNMENT_STATUSES]
    past = [a for a in rows if a.status not in OPEN_ASSIGNMENT_STATUSES][:20]
    # The crisis line names the program of the latest practice (its after-hours number).
    program = next((a.episode.program for a in rows if a.episode.is_open), None)
    return render(
        request,
        "practice/assignments/me.html",
        {"open": open_rows, "past": past, "program": program},
    )


def _answers_from_post(fields: list[dict[str, Any]], post: QueryDict) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for f in fields:
        key = f["key"]
        if f["type"] == "table":
            rows: list[dict[str, Any]] = []
            for i in range(_table_rows(f)):
                row = {c["key"]: post.get(f"{key}__{i}__{c['key']}", "") for c in f["columns"]}
                if any(str(v).strip() for v in row.values()):
                    rows.append({k: v for k, v in row.items() if str(v).strip()})
            answers[key] = rows
        elif f["type"] == "yesno":
            value = post.get(key, "")
            if value in {"yes", "no"}:
                answers[key] = value == "yes"
        else:
            value = post.get(key, "").strip()
            if value:
                answers[key] = value
    return answers


def _table_rows(field: dict[str, Any]) -> int:
    return int(
        min(max(int(field.get("min_rows", 0) or 0), 3), int(field.get("max_rows", 10) or 10))
    )


def _form_fields(
    fields: list[dict[str, Any]], values: dict[str, Any], errors: dict[str, str]
) -> list[dict[str, Any]]:
    shown: list[dict[str, Any]] = []
    for f in fields:
        item = {**f, "value": values.get(f["key"], ""), "error": errors.get(f["key"], "")}
        if f["type"] == "scale":
            item["range"] = list(range(int(f["min"]), int(f["max"]) + 1))
        if f["type"] == "table":
            item["rows"] = [
                [
                    {**c, "name": f"{f['key']}__{i}__{c['key']}",
                     "value": values.get(f"{f['key']}__{i}__{c['key']}", "")}
                    for c in f["columns"]
                ]
                for i in range(_table_rows(f))
            ]  # fmt: skip
        shown.append(item)
    return shown


@login_required
def my_assignment(request: AuthedRequest, assignment_id: uuid.UUID) -> HttpResponse:
    """The skill's description and the entry form (the worksheet, or how it went 0–10)."""
    action = Action.UPDATE if request.method == "POST" else Action.VIEW
    assignment = access_own_assignment(request.user, assignment_id, action=action)
    organization = assignment.episode.program.organization
    today = organization.today()
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if request.method == "POST":
        values = request.POST.dict()
        if request.POST.get("could_not"):
            try:
                do_could_not(request.user, assignment, request.POST.get("reason", ""))
            except ValidationError as exc:
                errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
            else:
                messages.success(
                    request, "Thank you for telling us. Your team will talk it over with you."
                )
                return redirect("practice:my-practice")
        else:
            try:
                entry_data = _entry_data(assignment, request.POST, today)
                do_record_entry(request.user, assignment, entry_data)
            except ValidationError as exc:
                errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
            else:
                messages.success(request, "Logged. Well done for practising.")
                return redirect("practice:my-practice")
    skill = assignment.skill
    fields = assignment.worksheet.fields if assignment.worksheet is not None else []
    skill_options: list[Skill] = []
    if any(f["type"] == "skill" for f in fields):
        skill_options = list(
            Skill.objects.filter(
                module__organization=organization, is_active=True, module__is_active=True
            ).order_by("name")
        )
    status = 400 if errors else 200
    return render(
        request,
        "practice/assignments/my_assignment.html",
        {
            "assignment": assignment,
            "skill": skill,
            "fields": _form_fields(fields, values, errors),
            "skill_options": skill_options,
            "errors": errors,
            "values": values,
            "labels": LABELS,
            "done": entries_done_count(assignment),
            "today": today,
            "earliest": max(assignment.starts_on, today - timedelta(days=7)),
            "practiced_on": values.get("practiced_on") or f"{today:%Y-%m-%d}",
            "idempotency_key": values.get("idempotency_key") or uuid.uuid4().hex,
            "ratings": range(0, 11),
            "is_open": assignment.status in OPEN_ASSIGNMENT_STATUSES,
        },
        status=status,
    )


def entries_done_count(assignment: Assignment) -> int:
    return entries_done(assignment)


def _entry_data(assignment: Assignment, post: QueryDict, today: date) -> EntryData:
    errors: dict[str, str] = {}
    practiced_on = today
    raw_day = post.get("practiced_on", "")
    try:
        practiced_on = date.fromisoformat(raw_day)
    except ValueError:
        errors["practiced_on"] = "Give the day you practised."
    rating: int | None = None
    raw_rating = post.get("rating", "").strip()
    if raw_rating:
        try:
            rating = int(raw_rating)
        except ValueError:
            errors["rating"] = "How it went is a number from 0 to 10."
    if errors:
        raise ValidationError(errors)
    fields = assignment.worksheet.fields if assignment.worksheet is not None else []
    return EntryData(
        practiced_on=practiced_on,
        idempotency_key=post.get("idempotency_key", "")[:64],
        rating=rating,
        answers=_answers_from_post(fields, post) if fields else None,
        what_happened=post.get("what_happened", ""),
    )


urlpatterns: list[URLPattern] = [
    path("me/practice/", my_practice, name="my-practice"),
    path("me/practice/<uuid:assignment_id>/", my_assignment, name="my-assignment"),
    path(
        "practice/sessions/<uuid:series_id>/<str:occurrence_date>/assign/",
        assign_session,
        name="assign-session",
    ),
    path("participants/<uuid:public_id>/practice/assign/", assign_one, name="assign-one"),
    path("practice/assignments/<uuid:assignment_id>/excuse/", excuse, name="excuse"),
]
