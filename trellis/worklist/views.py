"""My work (alerts), one alert with acknowledge and follow-up, the Today panel, and a
program's on-call shifts (its director's set-up page)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from trellis.accounts.http import AuthedRequest
from trellis.accounts.models import User
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record_list
from trellis.lib.ids import lookup_id, parse_public_id
from trellis.lib.views import apply_validation_error
from trellis.measures.access import access_alert_response
from trellis.privacy.access import access_directed_program, deny_object, staff_clinical_access
from trellis.privacy.decorators import staff_required
from trellis.programs.models import Program, Role
from trellis.worklist.access import access_alert
from trellis.worklist.actions import (
    check_add_comment,
    check_complete_task,
    check_create_task,
    check_document_follow_up,
    check_end_on_call,
    check_reassign,
    check_set_on_call,
    do_acknowledge_alert,
)
from trellis.worklist.forms import (
    CommentForm,
    CompleteForm,
    FollowUpForm,
    OnCallShiftForm,
    ReassignForm,
    TaskForm,
)
from trellis.worklist.models import Alert, Priority
from trellis.worklist.queries import (
    alert_list,
    assignable_owners,
    escalates_at,
    on_call_candidates,
    on_call_shifts,
    task_episode_choices,
    urgent_alert_receivers,
)

FILTER_KINDS = [("", "Everything"), ("tasks", "Tasks"), ("alerts", "Alerts")]


@staff_required()
def my_work(request: AuthedRequest) -> HttpResponse:
    resolved = request.GET.get("status") == "resolved"
    filters = {
        "kind": request.GET.get("kind", ""),
        "priority": request.GET.get("priority", ""),
        "mine": request.GET.get("mine") == "1",
        "overdue": request.GET.get("overdue") == "1",
    }
    alerts = list(alert_list(request.user, resolved=resolved, **filters))  # type: ignore[arg-type]  # typed filters above
    record_list(
        request.user,
        object_type="worklist.alert",
        participants=[a.participant for a in alerts],
        purpose=Purpose.TREAT,
        detail={"resolved": resolved, "results": len(alerts), **filters},
    )
    return render(
        request,
        "worklist/list.html",
        {
            "alerts": alerts,
            "resolved": resolved,
            "filters": filters,
            "kinds": FILTER_KINDS,
            "priorities": Priority.choices,
            "now": timezone.now(),
        },
    )


def _owner_choices(alert: Alert) -> list[tuple[str, str]]:
    return [(str(u.public_id), u.name) for u in assignable_owners(alert) if u.pk != alert.owner_id]


def _work_links(alert: Alert) -> list[tuple[str, str]]:
    """Where the work of a task is done, from its `source`: the note to co-sign and the
    co-sign queue, or the unsigned note. The worklist never imports notes; it knows the
    pages by name (the sources are written by meetings.sweeps.raise_note_tasks)."""
    prefix, _, ident = alert.source.partition(":")
    if parse_public_id(ident) is None:
        return []
    if prefix == "notes.cosign":
        return [
            ("Open the note to co-sign", reverse("notes:cosign", kwargs={"note_id": ident})),
            ("Co-sign queue", reverse("notes:cosign-queue")),
        ]
    if prefix == "messaging.thread":
        return [
            (
                "Read and answer the message",
                reverse("messaging:thread", kwargs={"thread_id": ident}),
            )
        ]
    if prefix == "peers.post":  # written by peers.actions.raise_moderator_alert
        return [
            (
                "Open the post in the moderation queue",
                reverse("peers:moderate", kwargs={"post_id": ident}),
            ),
            ("Moderation queue", reverse("peers:queue")),
        ]
    if prefix == "notes.unsigned":
        kwargs = {"public_id": alert.participant.public_id, "note_id": ident}
        return [("Open the note to sign", reverse("notes:edit", kwargs=kwargs))]
    if prefix == "transitions.track_request":
        kwargs = {"public_id": alert.participant.public_id}
        return [
            (
                "Open episode changes (the request is there)",
                reverse("transitions:episode-changes", kwargs=kwargs),
            )
        ]
    return []


def _detail_context(user: User, alert: Alert, **forms: Any) -> dict[str, Any]:
    """The alert with what its reader needs to act: the chart (for those who may open it),
    the answers that raised it, the phone and crisis steps, who else has it and when it
    escalates, in the organization's zone."""
    recipients = list(alert.recipients.select_related("user").order_by("added_at", "pk"))
    mine = next((r for r in recipients if r.user_id == user.pk), None)
    clinical = staff_clinical_access(user, alert.participant, alert.episode, purpose=Purpose.TREAT)
    zone = alert.program.tz if alert.program is not None else alert.participant.organization.tz
    return {
        "alert": alert,
        "zone": zone,
        "can_open_chart": clinical is not None,
        "checkin": access_alert_response(user, alert),
        "can_acknowledge": alert.is_open
        and (alert.acknowledged_at is None or (mine is not None and mine.acknowledged_at is None)),
        "escalates_at": escalates_at(alert),
        "work_links": _work_links(alert),
        "form": forms.get("form") or FollowUpForm(),
        "recipients": recipients,
        "comments": alert.comments.select_related("author"),
        "reassignments": alert.reassignments.select_related("from_user", "to_user", "by"),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "reassign_form": forms.get("reassign_form") or ReassignForm(owners=_owner_choices(alert)),
        "complete_form": forms.get("complete_form") or CompleteForm(),
    }


@staff_required()
def alert_detail(request: AuthedRequest, alert_id: str) -> HttpResponse:
    alert = access_alert(request.user, alert_id)
    return render(request, "worklist/detail.html", _detail_context(request.user, alert))


@require_POST
@staff_required()
def alert_comment(request: AuthedRequest, alert_id: str) -> HttpResponse:
    alert = access_alert(request.user, alert_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            check_add_comment(request.user, alert, form.cleaned_data["text"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Comment added.")
            return redirect("worklist:detail", alert_id=alert.public_id)
    return render(
        request,
        "worklist/detail.html",
        _detail_context(request.user, alert, comment_form=form),
        status=422,
    )


@require_POST
@staff_required()
def alert_reassign(request: AuthedRequest, alert_id: str) -> HttpResponse:
    alert = access_alert(request.user, alert_id)
    form = ReassignForm(request.POST, owners=_owner_choices(alert))
    if form.is_valid():
        owner = User.objects.get(public_id=form.cleaned_data["owner"])
        try:
            check_reassign(request.user, alert, owner)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Reassigned to {owner.name}.")
            return redirect("worklist:detail", alert_id=alert.public_id)
    return render(
        request,
        "worklist/detail.html",
        _detail_context(request.user, alert, reassign_form=form),
        status=422,
    )


@require_POST
@staff_required()
def task_complete(request: AuthedRequest, alert_id: str) -> HttpResponse:
    alert = access_alert(request.user, alert_id)
    form = CompleteForm(request.POST)
    if form.is_valid():
        try:
            check_complete_task(request.user, alert, note=form.cleaned_data["note"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Task completed.")
            return redirect("worklist:detail", alert_id=alert.public_id)
    return render(
        request,
        "worklist/detail.html",
        _detail_context(request.user, alert, complete_form=form),
        status=422,
    )


@staff_required(Role.CLINICIAN, Role.PROGRAM_DIRECTOR)
def task_new(request: AuthedRequest) -> HttpResponse:
    episodes = task_episode_choices(request.user)
    choices = [(k, f"{e.participant.display_name} ({e.program.name})") for k, e in episodes.items()]
    form = TaskForm(request.POST or None, episodes=choices)
    if request.method == "POST" and form.is_valid():
        episode = episodes[form.cleaned_data["participant"]]
        zone = episode.program.organization.tz
        due = datetime.combine(form.cleaned_data["due_on"], time(17, 0), tzinfo=zone)
        try:
            task = check_create_task(
                request.user,
                episode=episode,
                owner=request.user,
                title=form.cleaned_data["title"],
                due_at=due,
                priority=form.cleaned_data["priority"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Task created.")
            return redirect("worklist:detail", alert_id=task.public_id)
    return render(
        request, "worklist/task_new.html", {"form": form}, status=422 if form.errors else 200
    )


@require_POST
@staff_required()
def alert_acknowledge(request: AuthedRequest, alert_id: str) -> HttpResponse:
    alert = access_alert(request.user, alert_id)
    do_acknowledge_alert(request.user, alert)
    messages.success(request, "Alert acknowledged.")
    return redirect("worklist:detail", alert_id=alert.public_id)


@require_POST
@staff_required()
def alert_follow_up(request: AuthedRequest, alert_id: str) -> HttpResponse:
    alert = access_alert(request.user, alert_id)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            check_document_follow_up(
                request.user,
                alert,
                risk_assessment_done=form.cleaned_data["risk_assessment_done"],
                safety_plan_reviewed=form.cleaned_data["safety_plan_reviewed"],
                referred_higher_level=form.cleaned_data["referred_higher_level"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Follow-up documented; the alert is resolved.")
            return redirect("worklist:detail", alert_id=alert.public_id)
    return render(
        request, "worklist/detail.html", _detail_context(request.user, alert, form=form), status=422
    )


# --- on-call shifts: a program director's set-up page -----------------------------------------


def _on_call_page(
    request: AuthedRequest, program: Program, form: OnCallShiftForm, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    shifts = on_call_shifts(program, now)
    return render(
        request,
        "worklist/on_call.html",
        {
            "program": program,
            "form": form,
            "zone": program.organization.tz,
            "receivers": urgent_alert_receivers(program, now),
            **shifts,
        },
        status=status,
    )


@staff_required()
def on_call(request: AuthedRequest, program_id: str) -> HttpResponse:
    """Who is on call now and next for the program's urgent alerts; add a shift."""
    action = Action.UPDATE if request.method == "POST" else Action.VIEW
    program = access_directed_program(request.user, program_id, action=action)
    people = {str(u.public_id): u for u in on_call_candidates(program)}
    form = OnCallShiftForm(
        request.POST or None, people=[(key, user.name) for key, user in people.items()]
    )
    if request.method != "POST":
        return _on_call_page(request, program, form)
    with timezone.override(program.organization.tz):
        valid = form.is_valid()
    if valid:
        try:
            check_set_on_call(
                request.user,
                program,
                people[form.cleaned_data["user"]],
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                alongside=form.cleaned_data["alongside"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Shift added.")
            return redirect("worklist:on-call", program_id=program.public_id)
    return _on_call_page(request, program, form, status=422)


@require_POST
@staff_required()
def on_call_end(request: AuthedRequest, program_id: str, shift_id: str) -> HttpResponse:
    """End a shift under way now, or cancel one that has not started."""
    program = access_directed_program(request.user, program_id, action=Action.UPDATE)
    shift = program.on_call.filter(public_id=lookup_id(shift_id)).select_related("user").first()
    if shift is None:
        raise deny_object(
            request.user,
            object_type="worklist.programoncall",
            object_id=shift_id,
            purpose=Purpose.HOPERAT,
        )
    try:
        ended = check_end_on_call(request.user, shift)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Shift ended." if ended else "Shift cancelled.")
    return redirect("worklist:on-call", program_id=program.public_id)
