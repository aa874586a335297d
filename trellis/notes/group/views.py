"""Group-note pages.

- the facilitator's editor (`/notes/group/<id>/`): the group part once, then one short form
  per attendee, top to bottom in roster order, each autosaving on its own (htmx) so a
  conflict or an error in one never holds up the others;
- the signing page, which warns about names of other members and needs a confirmation;
- the standalone note in a participant's chart and in the participant's own pages: the
  group part and that person's entry only.

Who opens the whole group note (every entry): the occurrence's facilitators (or its
substitute) and the program's directors. Anyone else gets the same audited 404 as a note
that does not exist. Care teams read their participants' standalone notes in the chart.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record_list
from trellis.lib.views import add_error_messages, is_htmx, posted_revision
from trellis.notes import practice_review
from trellis.notes.group import actions as ga
from trellis.notes.group.access import (
    access_chart_group_entry,
    access_group_entry,
    access_group_note,
    access_group_note_to_cosign,
    access_own_group_entry,
    addenda_of,
    deny_group_note,
    standalone_entries,
)
from trellis.notes.group.names import Mention
from trellis.notes.models import (
    ATTENDANCE_LABELS,
    GroupNote,
    GroupNoteEntry,
    Participation,
    RiskLevel,
    editor_token,
)
from trellis.notes.views import cosign_decision
from trellis.participants.chart import chart_context
from trellis.plans import content as plan_content
from trellis.plans.queries import latest_signed, latest_signed_versions
from trellis.practice.panels import attendance_panel
from trellis.privacy.access import Scope, access_participant
from trellis.privacy.decorators import staff_required
from trellis.scheduling.access import facilitates
from trellis.scheduling.queries import Slot, attendance_for, find_slot

STANDALONE_PAGE = 50


def _entries(note: GroupNote) -> list[GroupNoteEntry]:
    return list(
        note.entries.select_related("episode__participant", "episode__program").order_by(
            "position", "pk"
        )
    )


def _record_entries_shown(
    user: Any, note: GroupNote, entries: list[GroupNoteEntry], role: str
) -> None:
    """The whole note shows every attendee's entry: one event names each of them."""
    record_list(
        user,
        action=Action.VIEW,
        object_type="notes.groupnote",
        object_id=str(note.public_id),
        participants=[e.episode.participant for e in entries],
        purpose=Purpose.TREAT,
        role=role,
        detail={"entries": len(entries)},
    )


def _objective_choices(entries: list[GroupNoteEntry]) -> dict[int, list[tuple[str, str]]]:
    """Each attendee's current signed plan objectives (one query for the whole page)."""
    versions = latest_signed_versions([e.episode_id for e in entries])
    return {
        episode_id: [(o.key, o.description) for o in plan_content.load(v.content).objectives]
        for episode_id, v in versions.items()
    }


def _practice(user: Any, note: GroupNote, entries: list[GroupNoteEntry]) -> dict[int, list[Any]]:
    """Each entry's "Practice reviewed", by entry pk: the frozen copy once signed (locked),
    else what `user` may see live of each member present (a fixed number of queries)."""
    if any(e.locked for e in entries):
        return {e.pk: e.practice_lines for e in entries}
    present = [e for e in entries if e.attended]
    live = practice_review.live(
        user, [e.episode for e in present], up_to=note.session_end, series_id=note.series_id
    )
    # A note returned by the co-signer already reviewed some: that first, then what is new.
    return {e.pk: e.practice_lines + live.get(e.episode_id, []) for e in present}


def _whole_rows(
    user: Any, note: GroupNote, entries: list[GroupNoteEntry]
) -> list[tuple[GroupNoteEntry, list[str], list[Any]]]:
    """(entry, objectives addressed, practice reviewed) of every entry: the whole note."""
    choices = _objective_choices(entries)
    practice = _practice(user, note, entries)
    return [
        (
            e,
            _objectives_addressed(e, choices.get(e.episode_id, [])),
            practice.get(e.pk, []),
        )
        for e in entries
    ]


def _practice_panel(request: AuthedRequest, slot: Slot) -> dict[str, Any] | None:
    """The attendance page's "Assign practice to everyone present" panel (practice's own
    form and action), coming back to this page after it posts."""
    attendance_for([slot])
    panel = attendance_panel(request.user, slot)
    if panel is not None:
        panel["next"] = request.path
    return panel


@staff_required()
@require_POST
def group_start(request: AuthedRequest, series_id: uuid.UUID, occurrence_date: str) -> HttpResponse:
    """From the attendance sheet: open the occurrence's group note, starting it if needed."""
    try:
        original = date.fromisoformat(occurrence_date)
    except ValueError:
        raise deny_group_note(request.user, f"{series_id}/{occurrence_date}") from None
    slot = find_slot(series_id, original)
    if slot is None or not facilitates(request.user, slot):
        raise deny_group_note(request.user, f"{series_id}/{occurrence_date}")
    try:
        note = ga.check_start_group_note(request.user, slot)
    except ValidationError as error:
        add_error_messages(request, error)
        return redirect(
            "scheduling:occurrence", series_id=series_id, occurrence_date=occurrence_date
        )
    return redirect("notes:group", group_note_id=note.public_id)


def _group_context(note: GroupNote, slot: Slot, entries: list[GroupNoteEntry]) -> dict[str, Any]:
    tz = note.program.organization.tz
    return {
        "note": note,
        "slot": slot,
        "entries": entries,
        "start": timezone.localtime(note.session_start, tz),
        "end": timezone.localtime(note.session_end, tz),
    }


@staff_required()
def group_note(request: AuthedRequest, group_note_id: uuid.UUID) -> HttpResponse:
    """The editor while a draft (for facilitators); the whole note to read otherwise."""
    note, slot, role = access_group_note(request.user, group_note_id)
    entries = _entries(note)
    _record_entries_shown(request.user, note, entries, role)
    context = _group_context(note, slot, entries)
    context["practice_panel"] = _practice_panel(request, slot)
    if not note.is_editable or role != "facilitator":
        context["whole_rows"] = _whole_rows(request.user, note, entries)
        if not note.is_editable and role == "facilitator":
            context["attendance_changes"] = _attendance_changes(slot, entries)
        addenda = list(note.addenda.select_related("entry__episode__participant"))
        context |= {
            "group_addenda": [a for a in addenda if a.entry_id is None],
            "entry_addenda": [a for a in addenda if a.entry_id is not None],
            "can_add_addendum": note.is_signed
            and request.user.pk in {note.author_id, note.cosigner_id},
            "addendum_entries": [e for e in entries if e.locked],
        }
        return render(request, "notes/group_view.html", context)
    choices = _objective_choices(entries)
    practice = _practice(request.user, note, entries)
    context |= {
        "rows": [(e, choices.get(e.episode_id, []), practice.get(e.pk)) for e in entries],
        # One token for this page (tab): its own autosaves are never a conflict.
        "editor": editor_token(),
        "participation": Participation.choices,
        "risk_levels": RiskLevel.choices,
    }
    return render(request, "notes/group_edit.html", context)


def _attendance_changes(slot: Slot, entries: list[GroupNoteEntry]) -> list[tuple[str, str, str]]:
    """Who, the attendance the note was signed with and the attendance now (labels)."""
    return [
        (
            (who.episode if isinstance(who, GroupNoteEntry) else who).participant.display_name,
            ATTENDANCE_LABELS.get(was, ""),
            ATTENDANCE_LABELS.get(now, ""),
        )
        for who, was, now in ga.attendance_since_signing(slot, entries)
    ]


def _objectives_addressed(entry: GroupNoteEntry, choices: list[tuple[str, str]]) -> list[str]:
    labels = dict(choices)
    return [labels.get(k, "(objective no longer in the plan)") for k in entry.objectives]


def _saved(request: AuthedRequest, note: GroupNote, context: dict[str, Any]) -> HttpResponse:
    """htmx gets the status fragment (200 even on conflict, so it is swapped in; the typed
    text stays in the page); a plain form post goes back to the editor with a message."""
    if is_htmx(request):
        return render(request, "notes/group_edit.html#status", context)
    if context["state"] == "saved":
        messages.success(request, "Saved.")
    else:
        messages.error(request, " ".join(context.get("errors", [])) or "Not saved.")
    return redirect("notes:group", group_note_id=note.public_id)


@staff_required()
@require_POST
def group_part_save(request: AuthedRequest, group_note_id: uuid.UUID) -> HttpResponse:
    note, slot, _ = access_group_note(request.user, group_note_id, action=Action.UPDATE)
    part = ga.GroupPart(
        topic=request.POST.get("topic", ""),
        interventions=request.POST.get("interventions", ""),
        themes=request.POST.get("themes", ""),
    )
    context: dict[str, Any] = {"target": "group"}
    try:
        saved = ga.check_save_group_part(
            request.user,
            note,
            slot,
            part,
            revision=posted_revision(request),
            editor=_posted_editor(request),
        )
    except ga.GroupConflict:
        context["state"] = "conflict"
    except ValidationError as error:
        context |= {"state": "invalid", "errors": error.messages}
    else:
        context |= {"state": "saved", "revision": saved.revision, "saved_at": _now(note)}
    return _saved(request, note, context)


@staff_required()
@require_POST
def group_entry_save(
    request: AuthedRequest, group_note_id: uuid.UUID, entry_id: uuid.UUID
) -> HttpResponse:
    note, slot, _ = access_group_note(request.user, group_note_id, action=Action.UPDATE)
    entry = access_group_entry(request.user, note, entry_id)
    version = latest_signed(entry.episode)
    keys = {o.key for o in plan_content.load(version.content).objectives} if version else set()
    post = request.POST
    risk = post.get("risk_level", "")
    draft = ga.EntryDraft(
        participation=post.get("participation", ""),
        response=post.get("response", ""),
        objectives=[str(k)[:24] for k in post.getlist("objectives")][:50],
        practice_reviewed=post.get("practice_reviewed", ""),
        practice_assigned=post.get("practice_assigned", ""),
        risk_level=risk if risk in RiskLevel.values else "",
        risk_notes=post.get("risk_notes", ""),
        plan=post.get("plan", ""),
    )
    context: dict[str, Any] = {"target": str(entry.public_id)}
    try:
        saved = ga.check_save_entry(
            request.user,
            note,
            slot,
            entry,
            draft,
            revision=posted_revision(request),
            objective_keys=keys,
            editor=_posted_editor(request),
        )
    except ga.GroupConflict:
        context["state"] = "conflict"
    except ValidationError as error:
        context |= {"state": "invalid", "errors": error.messages}
    else:
        context |= {"state": "saved", "revision": saved.revision, "saved_at": _now(note)}
    return _saved(request, note, context)


def _posted_editor(request: AuthedRequest) -> str:
    token = request.POST.get("editor", "")
    return token if len(token) <= 40 and token.replace("-", "").isalnum() else ""


def _now(note: GroupNote) -> Any:
    return timezone.localtime(timezone.now(), note.program.organization.tz)


@staff_required()
def group_sign(request: AuthedRequest, group_note_id: uuid.UUID) -> HttpResponse:
    note, slot, role = access_group_note(request.user, group_note_id)
    if not note.is_editable or role != "facilitator":
        return redirect("notes:group", group_note_id=note.public_id)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            ga.check_sign_group_note(
                request.user,
                note,
                slot,
                typed_name=request.POST.get("typed_name", ""),
                password=request.POST.get("password", ""),
                revision=posted_revision(request),
                mentions_confirmed=request.POST.get("confirm_mentions") == "yes",
            )
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(request, _signed_message(note))
            return redirect("notes:group", group_note_id=note.public_id)
    entries = _entries(note)
    _record_entries_shown(request.user, note, entries, role)
    mentions = ga.name_mentions(note, entries)
    context = _group_context(note, slot, entries) | {
        "errors": errors,
        "missing": ga.missing_for_signing(note, entries),
        "identifying": [m for m in mentions if m.identifying],
        "first_names": [
            Mention(m.where, m.entry_id, tuple(n for n in m.names if n not in m.identifying))
            for m in mentions
            if set(m.names) - set(m.identifying)
        ],
        "whole_rows": _whole_rows(request.user, note, entries),
    }
    return render(request, "notes/group_sign.html", context, status=422 if errors else 200)


@staff_required()
@require_POST
def group_addendum(request: AuthedRequest, group_note_id: uuid.UUID) -> HttpResponse:
    """An addendum to the group part, or (`entry`) to one attendee's entry."""
    note, _, _ = access_group_note(request.user, group_note_id, action=Action.UPDATE)
    entry = None
    if request.POST.get("entry"):
        entry = access_group_entry(request.user, note, request.POST["entry"])
    try:
        ga.check_add_group_addendum(
            request.user,
            note,
            entry,
            text=request.POST.get("text", ""),
            confirmed=request.POST.get("confirm_mentions") == "yes",
        )
    except ValidationError as error:
        add_error_messages(request, error)
    else:
        messages.success(request, "Addendum added.")
    return redirect("notes:group", group_note_id=note.public_id)


def _signed_message(note: GroupNote) -> str:
    if note.is_awaiting_cosign:
        return (
            "Signed and sent to your supervisor for co-signature: members' charts show it as "
            "final once co-signed."
        )
    return "Group note signed: each member's chart now has it."


@staff_required()
def group_cosign(request: AuthedRequest, group_note_id: uuid.UUID) -> HttpResponse:
    """The supervisor reads a trainee's whole group note and co-signs it, or returns it to
    the trainee with comments."""
    note = access_group_note_to_cosign(request.user, group_note_id)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        errors = cosign_decision(
            request,
            lambda comment: ga.check_return_group_note(request.user, note, comment=comment),
            lambda name, password: ga.check_cosign_group_note(
                request.user, note, typed_name=name, password=password
            ),
            cosigned="Group note co-signed: each member's chart now has it.",
        )
        if not errors:
            return redirect("notes:cosign-queue")
    entries = _entries(note)
    _record_entries_shown(request.user, note, entries, "supervisor")
    tz = note.program.organization.tz
    context = {
        "note": note,
        "entries": entries,
        "start": timezone.localtime(note.session_start, tz),
        "end": timezone.localtime(note.session_end, tz),
        "whole_rows": _whole_rows(request.user, note, entries),
        "errors": errors,
    }
    return render(request, "notes/group_cosign.html", context, status=422 if errors else 200)


# --- The standalone note: the group part and one person's entry -----------------------------


def _standalone_context(entry: GroupNoteEntry) -> dict[str, Any]:
    note = entry.group_note
    tz = entry.episode.program.organization.tz
    version = entry.plan_version
    document = plan_content.load(version.content) if version is not None else None
    objectives = (
        [
            (o.description if (o := document.objective(k)) else "(objective no longer in the plan)")
            for k in entry.objectives
        ]
        if document is not None
        else []
    )
    return {
        "gnote": note,
        "entry": entry,
        "addenda": list(addenda_of([note.pk], [entry.pk])),
        "start": timezone.localtime(note.session_start, tz),
        "end": timezone.localtime(note.session_end, tz),
        "objectives_addressed": objectives,
    }


@staff_required()
def chart_group_entry(
    request: AuthedRequest, public_id: uuid.UUID, entry_id: uuid.UUID
) -> HttpResponse:
    """A group note as it stands in this participant's chart (care team, directors)."""
    ca, entry = access_chart_group_entry(request.user, public_id, entry_id)
    context = chart_context(ca.access, "notes") | _standalone_context(entry)
    return render(request, "notes/group_entry.html", context)


def _own_access(request: AuthedRequest) -> Any:
    participant = getattr(request.user, "participant", None)
    if participant is None:
        raise Http404
    return access_participant(
        request.user, participant.public_id, purpose=Purpose.PATRQT, minimum=Scope.CLINICAL
    )


@login_required
def my_group_notes(request: AuthedRequest) -> HttpResponse:
    """The participant's own signed group notes (never restricted notes: those are never
    shown to the participant)."""
    access = _own_access(request)
    entries = list(
        standalone_entries([e.pk for e in access.episodes], final_only=True)[:STANDALONE_PAGE]
    )
    record_list(
        request.user,
        object_type="notes.groupnoteentry",
        participants=[access.participant],
        purpose=Purpose.PATRQT,
        detail={"results": len(entries)},
    )
    return render(request, "notes/group_mine.html", {"entries": entries})


@login_required
def my_group_note(request: AuthedRequest, entry_id: uuid.UUID) -> HttpResponse:
    entry = access_own_group_entry(request.user, entry_id)
    return render(request, "notes/group_mine_entry.html", _standalone_context(entry))
