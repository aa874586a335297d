"""Note pages: the chart's Notes tab, writing (with autosave), signing, addenda, and the
supervisor's co-sign queue."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record_list
from trellis.lib.views import add_error_messages, apply_validation_error, posted_revision
from trellis.notes import actions, practice_review, queries, snapshot
from trellis.notes.access import access_note, access_note_to_cosign, notes_of
from trellis.notes.forms import HeaderForm, draft_from_post, header_initial
from trellis.notes.group.access import standalone_entries
from trellis.notes.models import (
    ALL_SECTIONS,
    FORMAT_SECTIONS,
    Note,
    NoteStatus,
    RiskLevel,
    default_format_for,
    editor_token,
)
from trellis.notes.queries import LIST_ONLY
from trellis.participants.chart import chart_context
from trellis.plans import content as plan_content
from trellis.plans.access import ClinicalAccess, access_clinical_episode
from trellis.plans.queries import latest_signed
from trellis.privacy.decorators import staff_required

PAGE_SIZE = 50
GROUP_LIST_ONLY = [
    *(f"group_note__{f}" for f in ("topic", "interventions", "themes")),
    "response",
    "practice_reviewed",
    "practice_assigned",
    "risk_notes",
    "plan",
]


def _page(ca: ClinicalAccess) -> dict[str, Any]:
    return chart_context(ca.access, "notes") | {"episode": ca.episode, "can_write": ca.can_write}


@staff_required()
def notes_tab(request: AuthedRequest, public_id: str) -> HttpResponse:
    ca = access_clinical_episode(request.user, public_id)
    notes = (
        notes_of(ca, request.user)
        .defer(*LIST_ONLY)
        .select_related("author")
        .order_by("-session_start", "-pk")
    )
    page = Paginator(notes, PAGE_SIZE).get_page(request.GET.get("page"))
    record_list(
        request.user,
        object_type="notes.note",
        participants=[ca.access.participant],
        purpose=Purpose.TREAT,
        detail={"page": page.number, "results": page.paginator.count},
    )
    tz = ca.episode.program.organization.tz
    rows = [(n, timezone.localtime(n.session_start, tz)) for n in page.object_list]
    # Group notes as this chart shows them: the group part and this member's entry only.
    group_page = Paginator(
        standalone_entries([ca.episode.pk]).defer(*GROUP_LIST_ONLY), PAGE_SIZE
    ).get_page(request.GET.get("gpage"))
    group_rows = [
        (e, timezone.localtime(e.group_note.session_start, tz)) for e in group_page.object_list
    ]
    context = {"page": page, "rows": rows, "group_page": group_page, "group_rows": group_rows}
    return render(request, "notes/tab.html", _page(ca) | context)


@staff_required()
def note_new(request: AuthedRequest, public_id: str) -> HttpResponse:
    ca = access_clinical_episode(request.user, public_id)
    ca.require_write()
    tz = ca.episode.program.organization.tz
    form = HeaderForm(
        tz,
        request.POST or None,
        initial={
            "format": default_format_for(ca.episode.program),
            "session_date": timezone.localdate(timezone=tz),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            note = actions.check_create_note(request.user, ca.episode, form.header())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("notes:edit", public_id=public_id, note_id=note.public_id)
    status = 422 if request.method == "POST" else 200
    return render(request, "notes/new.html", _page(ca) | {"form": form}, status=status)


def _objective_choices(ca: ClinicalAccess) -> list[tuple[str, str]]:
    version = latest_signed(ca.episode)
    if version is None:
        return []
    document = plan_content.load(version.content)
    return [(o.key, o.description) for o in document.objectives]


def _editor(
    request: AuthedRequest,
    ca: ClinicalAccess,
    note: Note,
    form: HeaderForm,
    *,
    sections: dict[str, str],
    conflict: Note | None = None,
    status: int = 200,
) -> HttpResponse:
    note_format = form.data.get("format") if form.is_bound else note.format
    keys = [k for k, _ in FORMAT_SECTIONS.get(str(note_format), FORMAT_SECTIONS[note.format])]
    keys += [k for k, text in sections.items() if k not in keys and text.strip()]
    context = _page(ca) | {
        "note": note,
        "form": form,
        "sections": [(k, ALL_SECTIONS[k], sections.get(k, "")) for k in keys if k in ALL_SECTIONS],
        "risk_levels": RiskLevel.choices,
        "risk_level": request.POST.get("risk_level", note.risk_level)
        if request.method == "POST"
        else note.risk_level,
        "risk_notes": request.POST.get("risk_notes", note.risk_notes)
        if request.method == "POST"
        else note.risk_notes,
        "chosen_objectives": request.POST.getlist("objectives")
        if request.method == "POST"
        else note.objectives,
        "objective_choices": _objective_choices(ca),
        "scores": snapshot.scores_for_draft(ca.episode),
        "practice": _practice_live(request.user, ca, note),
        "revision": conflict.revision if conflict else note.revision,
        # This page's token: its own autosaves are never a conflict for its Save button.
        "editor": _posted_editor(request) or editor_token(),
        "conflict": conflict,
    }
    return render(request, "notes/edit.html", context, status=status)


@staff_required()
def note_edit(request: AuthedRequest, public_id: str, note_id: str) -> HttpResponse:
    """The note editor. Without JavaScript it is a form with Save; with htmx it autosaves
    every few seconds of typing (note_autosave) under the same conflict check."""
    ca, note = access_note(request.user, public_id, note_id)
    ca.require_write()
    if note.author_id != request.user.pk or not note.is_editable:
        return redirect("notes:detail", public_id=public_id, note_id=note_id)
    tz = ca.episode.program.organization.tz
    if request.method != "POST":
        form = HeaderForm(tz, initial=header_initial(note, tz))
        return _editor(request, ca, note, form, sections=note.sections)
    form = HeaderForm(tz, request.POST)
    typed = _typed_sections(request)
    outcome = _save(request, note, form)
    if isinstance(outcome, Note):
        if request.POST.get("next") == "sign":
            return redirect("notes:sign", public_id=public_id, note_id=note_id)
        messages.success(request, "Draft saved.")
        return redirect("notes:edit", public_id=public_id, note_id=note_id)
    if isinstance(outcome, actions.NoteConflict):
        return _editor(
            request, ca, note, form, sections=typed, conflict=outcome.current, status=409
        )
    return _editor(request, ca, note, form, sections=typed, status=422)


def _typed_sections(request: AuthedRequest) -> dict[str, str]:
    return {
        k: request.POST.get(f"section-{k}", "")
        for k in ALL_SECTIONS
        if f"section-{k}" in request.POST
    }


def _save(
    request: AuthedRequest, note: Note, form: HeaderForm
) -> Note | actions.NoteConflict | ValidationError:
    if not form.is_valid():
        return ValidationError(dict(form.errors.items()))
    # "Save mine over theirs" after a conflict names the revision the user has now seen.
    revision = posted_revision(request, "take_over", "revision")
    try:
        return actions.check_save_note(
            request.user,
            note,
            draft_from_post(form, request.POST),
            revision=revision,
            editor=_posted_editor(request),
        )
    except actions.NoteConflict as conflict:
        return conflict
    except ValidationError as error:
        apply_validation_error(form, error)
        return error


def _posted_editor(request: AuthedRequest) -> str:
    token = request.POST.get("editor", "")
    return token if len(token) <= 40 and token.replace("-", "").isalnum() else ""


@staff_required()
@require_POST
def note_autosave(request: AuthedRequest, public_id: str, note_id: str) -> HttpResponse:
    """htmx autosave: answers a small status fragment (and the new revision, out of band).
    Answers 200 even on conflict so htmx swaps the message in; the typed text stays in the
    page either way."""
    ca, note = access_note(request.user, public_id, note_id, action=Action.UPDATE)
    ca.require_write()
    if note.author_id != request.user.pk or not note.is_editable:
        return render(request, "notes/edit.html#autosave", {"state": "locked"})
    tz = ca.episode.program.organization.tz
    outcome = _save(request, note, HeaderForm(tz, request.POST))
    if isinstance(outcome, Note):
        context = {
            "state": "saved",
            "note": outcome,
            "revision": outcome.revision,
            "saved_at": timezone.localtime(outcome.updated_at, tz),
        }
    elif isinstance(outcome, actions.NoteConflict):
        context = {"state": "conflict", "theirs": outcome.current}
    else:
        context = {"state": "invalid", "errors": outcome.messages}
    return render(request, "notes/edit.html#autosave", context)


@staff_required()
def note_sign(request: AuthedRequest, public_id: str, note_id: str) -> HttpResponse:
    ca, note = access_note(request.user, public_id, note_id)
    ca.require_write()
    if note.author_id != request.user.pk or not note.is_editable:
        return redirect("notes:detail", public_id=public_id, note_id=note_id)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        revision = posted_revision(request)
        try:
            signed = actions.check_sign_note(
                request.user,
                note,
                typed_name=request.POST.get("typed_name", ""),
                password=request.POST.get("password", ""),
                revision=revision,
            )
        except ValidationError as error:
            errors = error.message_dict
        else:
            if signed.status == NoteStatus.AWAITING_COSIGN:
                messages.success(request, "Signed and sent to your supervisor for co-signature.")
            else:
                messages.success(request, "Note signed.")
            return redirect("notes:detail", public_id=public_id, note_id=note_id)
    context = _detail_context(ca, note) | {
        "errors": errors,
        "missing": actions.missing_for_signing(note),
        "practice": _practice_live(request.user, ca, note),
    }
    return render(request, "notes/sign.html", context, status=422 if errors else 200)


def _practice_live(user: Any, ca: ClinicalAccess, note: Note) -> list[dict[str, Any]]:
    """What the author will review with the person: practice not yet reviewed (live), after
    what a note returned by its co-signer already reviewed."""
    live = practice_review.live(user, [ca.episode], up_to=note.session_end)
    return note.practice_lines + live.get(ca.episode.pk, [])


def _detail_context(ca: ClinicalAccess | None, note: Note) -> dict[str, Any]:
    objectives = []
    version = note.plan_version if note.plan_version_id else None
    if note.objectives:
        source = version or latest_signed(note.episode)
        document = plan_content.load(source.content if source else None)
        for key in note.objectives:
            objective = document.objective(key)
            objectives.append(
                objective.description if objective else "(objective no longer in the plan)"
            )
    tz = note.episode.program.organization.tz
    context: dict[str, Any] = {
        "note": note,
        "start": timezone.localtime(note.session_start, tz),
        "end": timezone.localtime(note.session_end, tz),
        "objectives_addressed": objectives,
        "addenda": list(note.addenda.all()),
        "scores": note.scores if note.signed_at else snapshot.scores_for_draft(note.episode),
        # A signed note's frozen "Practice reviewed"; a draft's live list is its author's
        # (the editor and the signing page add it).
        "practice": note.practice_lines,
    }
    if ca is not None:
        context |= _page(ca)
    return context


@staff_required()
def note_detail(request: AuthedRequest, public_id: str, note_id: str) -> HttpResponse:
    ca, note = access_note(request.user, public_id, note_id)
    context = _detail_context(ca, note) | {
        "can_add_addendum": ca.can_write
        and note.status == NoteStatus.SIGNED
        and (not note.is_restricted or note.author_id == request.user.pk),
    }
    return render(request, "notes/detail.html", context)


@staff_required()
@require_POST
def note_addendum(request: AuthedRequest, public_id: str, note_id: str) -> HttpResponse:
    ca, note = access_note(request.user, public_id, note_id, action=Action.UPDATE)
    ca.require_write()
    try:
        actions.check_add_addendum(request.user, note, text=request.POST.get("text", ""))
    except ValidationError as error:
        add_error_messages(request, error)
    else:
        messages.success(request, "Addendum added.")
    return redirect("notes:detail", public_id=public_id, note_id=note_id)


@staff_required()
def cosign_queue(request: AuthedRequest) -> HttpResponse:
    """Progress notes and group notes waiting for this supervisor's co-signature."""
    notes = queries.cosign_queue(request.user)
    group_notes = queries.group_cosign_queue(request.user)
    record_list(
        request.user,
        object_type="notes.note",
        participants=[n.episode.participant for n in notes],
        purpose=Purpose.HOPERAT,
        detail={"queue": "cosign", "results": len(notes), "group_notes": len(group_notes)},
    )
    context = {"notes": notes, "group_notes": group_notes}
    return render(request, "notes/cosign_queue.html", context)


def cosign_decision(
    request: AuthedRequest,
    return_it: Callable[[str], object],
    cosign_it: Callable[[str, str], object],
    *,
    cosigned: str,
) -> dict[str, list[str]]:
    """A supervisor's posted decision on a note awaiting co-signature (progress or group):
    return it with the comment, or co-sign with typed name and password. Empty when done
    (and the message set), else the errors by field."""
    try:
        if request.POST.get("decision") == "return":
            return_it(request.POST.get("comment", ""))
            messages.success(request, "Returned to the author with your comments.")
        else:
            cosign_it(request.POST.get("typed_name", ""), request.POST.get("password", ""))
            messages.success(request, cosigned)
    except ValidationError as error:
        return error.message_dict
    return {}


@staff_required()
def cosign(request: AuthedRequest, note_id: str) -> HttpResponse:
    note = access_note_to_cosign(request.user, note_id)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        errors = cosign_decision(
            request,
            lambda comment: actions.check_return_note(request.user, note, comment=comment),
            lambda name, password: actions.check_cosign_note(
                request.user, note, typed_name=name, password=password
            ),
            cosigned="Note co-signed.",
        )
        if not errors:
            return redirect("notes:cosign-queue")
    context = _detail_context(None, note) | {"errors": errors}
    return render(request, "notes/cosign.html", context, status=422 if errors else 200)
