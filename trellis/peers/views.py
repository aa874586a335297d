"""Peer-space pages (docs/portal.md, "Peer space").

- the participant's, phone first: `/me/peers/` (my boards), a track's board
  `/me/peers/track/<track>/`, a program's alumni board `/me/peers/alumni/<program>/` (the
  first visit: a display name and the community rules), a post and its replies
  `/me/peers/post/<post>/`, reporting a post `/me/peers/post/<post>/report/`;
- the moderators': the queue `/peers/moderation/` and a post `/peers/moderation/<post>/`.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action
from trellis.peers.access import (
    BoardPage,
    access_board,
    access_moderated_post,
    access_own_boards,
    access_own_post,
    access_own_reply_target,
    access_queue,
)
from trellis.peers.actions import (
    MAX_NAME,
    MAX_POST,
    MAX_REASON,
    Joining,
    NewPost,
    NewReport,
    check_join,
    check_moderate,
    check_post,
    check_report,
)
from trellis.peers.models import RULES_VERSION, ModerationKind, PostStatus, ReportReason
from trellis.peers.queries import Board
from trellis.peers.screening import mentions_self_harm
from trellis.privacy.decorators import not_a_participant, staff_required


def _errors(exc: ValidationError) -> dict[str, str]:
    return {k: " ".join(v) for k, v in exc.message_dict.items()}


def board_url(board: Board) -> str:
    if board.track is not None:
        return reverse("peers:track-board", kwargs={"track_id": board.track.public_id})
    return reverse("peers:alumni-board", kwargs={"program_id": board.program.public_id})


def board_name(board: Board) -> str:
    if board.track is not None:
        return _("%(track)s track") % {"track": board.track.name}
    return _("%(program)s alumni") % {"program": board.program.name}


def _zone(board: Board) -> Any:
    return board.program.organization.tz


# --- the participant's ---


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    elsewhere = not_a_participant(request)
    if elsewhere is not None:
        return elsewhere
    entries = access_own_boards(request.user)
    boards = [
        {"url": board_url(e.board), "name": board_name(e.board), "joined": e.profile is not None,
         "alumni": e.board.is_alumni}
        for e in entries
    ]  # fmt: skip
    program = entries[0].board.program if entries else None
    return render(request, "peers/me/mine.html", {"boards": boards, "program": program})


def _board_view(request: AuthedRequest, kind: str, object_id: uuid.UUID) -> HttpResponse:
    elsewhere = not_a_participant(request)
    if elsewhere is not None:
        return elsewhere
    page = access_board(request.user, kind, object_id)
    errors: dict[str, str] = {}
    values = {"display_name": "", "body": ""}
    if request.method == "POST":
        form = request.POST.get("form", "")
        if form == "join":
            values["display_name"] = request.POST.get("display_name", "")
            data = Joining(
                display_name=values["display_name"],
                accept_rules=request.POST.get("accept_rules") == "yes",
                use_legal_name=request.POST.get("use_legal_name") == "yes",
            )
            try:
                check_join(page.participant, request.user, page.board, data)
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                flash.success(request, _("Welcome. You can post now."))
                return redirect(board_url(page.board))
        elif form == "post" and page.profile is not None:
            values["body"] = request.POST.get("body", "")
            try:
                post, _new = check_post(
                    request.user,
                    page.profile,
                    page.board,
                    NewPost(values["body"], request.POST.get("idempotency_key", "")),
                )
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                return _after_post(
                    request, post.status, post.mentions_self_harm, board_url(page.board)
                )
        else:
            errors = {"__all__": _("Something went wrong with the form: reload the page.")}
    return render(
        request,
        "peers/me/board.html",
        _board_context(request, page, values, errors),
        status=400 if errors else 200,
    )


def _after_post(request: AuthedRequest, status: str, self_harm: bool, url: str) -> HttpResponse:
    if self_harm:
        # The author sees the crisis text at once, on the next page (?help=1 puts it on top).
        flash.warning(
            request,
            _("Thank you for sharing this. A moderator from your program will read it soon. "
              "If you might hurt yourself, please reach out now: call or text 988."),
        )  # fmt: skip
        return redirect(f"{url}?help=1#crisis")
    if status == PostStatus.PENDING:
        flash.success(request, _("Sent. A moderator will read it before others see it."))
    else:
        flash.success(request, _("Posted."))
    return redirect(url)


def _board_context(
    request: AuthedRequest,
    page: BoardPage,
    values: dict[str, str],
    errors: dict[str, str],
) -> dict[str, Any]:
    profile = page.profile
    return {
        "page": page,
        "board_name": board_name(page.board),
        "program": page.board.program,
        "zone": _zone(page.board),
        "joined": profile is not None,
        "needs_rules": profile is not None and profile.rules_version < RULES_VERSION,
        "values": values,
        "errors": errors,
        "form_error": errors.get("__all__", ""),
        "max_post": MAX_POST,
        "max_name": MAX_NAME,
        # The crisis line first after a post about self-harm, and when one was refused.
        "help_first": request.GET.get("help") == "1" or mentions_self_harm(values["body"]),
        "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
    }


@login_required
def track_board(request: AuthedRequest, track_id: uuid.UUID) -> HttpResponse:
    return _board_view(request, "track", track_id)


@login_required
def alumni_board(request: AuthedRequest, program_id: uuid.UUID) -> HttpResponse:
    return _board_view(request, "alumni", program_id)


@login_required
def post_page(request: AuthedRequest, post_id: uuid.UUID) -> HttpResponse:
    """A post, its replies oldest first, and the reply form."""
    elsewhere = not_a_participant(request)
    if elsewhere is not None:
        return elsewhere
    page = access_own_post(request.user, post_id)
    errors: dict[str, str] = {}
    body = ""
    url = reverse("peers:post", kwargs={"post_id": page.post.public_id})
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            reply, _new = check_post(
                request.user,
                page.profile,
                page.board,
                NewPost(body, request.POST.get("idempotency_key", "")),
                parent=page.post,
            )
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            return _after_post(request, reply.status, reply.mentions_self_harm, url)
    return render(
        request,
        "peers/me/post.html",
        {
            "page": page,
            "board_name": board_name(page.board),
            "board_url": board_url(page.board),
            "program": page.board.program,
            "zone": _zone(page.board),
            "body": body,
            "errors": errors,
            "max_post": MAX_POST,
            "help_first": request.GET.get("help") == "1" or mentions_self_harm(body),
            "needs_rules": page.profile.rules_version < RULES_VERSION,
            "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
        },
        status=400 if errors else 200,
    )


@login_required
def report(request: AuthedRequest, post_id: uuid.UUID) -> HttpResponse:
    """Report a post (or a reply) to the moderators, with a reason."""
    elsewhere = not_a_participant(request)
    if elsewhere is not None:
        return elsewhere
    post = access_own_reply_target(request.user, post_id)
    top = post.parent if post.parent_id is not None else post
    assert top is not None  # noqa: S101  # a reply has its parent
    page = access_own_post(request.user, top.public_id)
    errors: dict[str, str] = {}
    values = {"reason": "", "note": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("reason", "note")}
        try:
            check_report(request.user, page.profile, post, NewReport(**values))
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            flash.success(request, _("Thank you. A moderator will look at it."))
            return redirect("peers:post", post_id=top.public_id)
    return render(
        request,
        "peers/me/report.html",
        {
            "post": post,
            "top": top,
            "program": page.board.program,
            "reasons": [(value, _(label)) for value, label in ReportReason.choices],
            "values": values,
            "errors": errors,
            "form_error": errors.get("__all__", ""),
            "max_reason": MAX_REASON,
        },
        status=400 if errors else 200,
    )


# --- moderators ---


@staff_required()
def queue(request: AuthedRequest) -> HttpResponse:
    """Posts of the programs the user moderates that wait for a look; 404 for other staff."""
    items = access_queue(request.user)
    return render(request, "peers/staff/queue.html", {"items": items})


@staff_required()
def moderate(request: AuthedRequest, post_id: uuid.UUID) -> HttpResponse:
    """A post with its reports and history; approve, hide or restore it with a reason."""
    posting = request.method == "POST"
    opened = access_moderated_post(
        request.user, post_id, action=Action.UPDATE if posting else Action.VIEW
    )
    errors: dict[str, str] = {}
    values = {"kind": "", "reason": ""}
    if posting:
        values = {k: request.POST.get(k, "") for k in ("kind", "reason")}
        try:
            check_moderate(request.user, opened.post, values["kind"], values["reason"])
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            flash.success(request, "Done: the post is off the queue.")
            return redirect("peers:queue")
    return render(
        request,
        "peers/staff/post.html",
        {
            "opened": opened,
            "post": opened.post,
            "kinds": ModerationKind.choices,
            "values": values,
            "errors": errors,
            "zone": opened.post.program.organization.tz,
        },
        status=400 if errors else 200,
    )


urlpatterns: list[URLPattern] = [
    path("me/peers/", mine, name="mine"),
    path("me/peers/track/<uuid:track_id>/", track_board, name="track-board"),
    path("me/peers/alumni/<uuid:program_id>/", alumni_board, name="alumni-board"),
    path("me/peers/post/<uuid:post_id>/", post_page, name="post"),
    path("me/peers/post/<uuid:post_id>/report/", report, name="report"),
    path("peers/moderation/", queue, name="queue"),
    path("peers/moderation/<uuid:post_id>/", moderate, name="moderate"),
]
