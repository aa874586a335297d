"""Installable and offline (docs/portal.md, "Installable and offline"; issue 13, part 6).

- /me/manifest.webmanifest — the web app manifest (public: browsers fetch it without cookies).
  Its name is the product's, never the program's: the icon on a home screen tells nothing
  about the kind of treatment.
- /me/sw.js — the service worker, scope /me/. It caches no page and no API answer: it keeps
  the static files the offline page needs, and when a /me/ page cannot be reached it shows
  the offline page that `portal/offline.js` stored encrypted on the device.
- /me/offline/ — the offline page: the safety plan, the next sessions, the crisis numbers,
  and the diary card and practice forms that queue entries on the device.
- /me/offline/key/ — the session's device key (AES-GCM, 256 bits), made at the first call of
  a session and kept in the session: a new sign-in gets a new key, sign-out ends it.
"""

from __future__ import annotations

import base64
import json
import secrets
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from trellis.accounts.http import AuthedRequest
from trellis.lib.clock import local_today
from trellis.portal.cards import Context, sessions_card
from trellis.portal.views import _own_record

SESSION_KEY = "portal_offline_key"
OWNER_SALT = "trellis.portal.offline.owner"
THEME = "#14365e"  # the site header's blue
BACKGROUND = "#f6f7f9"


def manifest(request: HttpRequest) -> HttpResponse:
    home = reverse("portal:home")
    data = {
        "id": home,
        "name": "Trellis",
        "short_name": "Trellis",
        "description": _("Your schedule, practice, diary card and safety plan."),
        "start_url": home,
        "scope": home,
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME,
        "background_color": BACKGROUND,
        "icons": [
            {"src": static("portal/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("portal/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("portal/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": static("portal/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")


def service_worker(request: HttpRequest) -> HttpResponse:
    """The worker's script, from a template so that it knows the site's addresses and its
    fallback page's words are translated. Served from /me/ so that its scope is /me/."""
    response = render(
        request,
        "portal/sw.js",
        {
            "scope": reverse("portal:home"),
            "static_url": settings.STATIC_URL
            if settings.STATIC_URL.startswith("/")
            else "/" + settings.STATIC_URL,
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = reverse("portal:home")
    response["Cache-Control"] = "no-cache"  # the browser checks for a new worker every time
    return response


def owner_tag(participant_public_id: object) -> str:
    """Who the device's entries belong to, without naming them: entries written by one
    person are never sent under another person's sign-in on the same browser."""
    return salted_hmac(OWNER_SALT, str(participant_public_id), algorithm="sha256").hexdigest()[:32]


def offline_key(request: HttpRequest) -> HttpResponse:
    """The session's device key and the owner tag (JSON, never cached). Signed out: 401;
    staff and users without a participant record: 404 (they have nothing to keep offline)."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": _("Sign in again.")}, status=401)
    participant = getattr(request.user, "participant", None)
    if participant is None:
        return JsonResponse({"detail": _("Not found.")}, status=404)
    stored = request.session.get(SESSION_KEY)
    if not isinstance(stored, dict) or "kid" not in stored or "key" not in stored:
        stored = {
            "kid": secrets.token_hex(8),
            "key": base64.b64encode(secrets.token_bytes(32)).decode("ascii"),
        }
        request.session[SESSION_KEY] = stored
    response = JsonResponse(
        {
            "kid": stored["kid"],
            "key": stored["key"],
            "owner": owner_tag(participant.public_id),
            "csrf": get_token(request),
        }
    )
    response["Cache-Control"] = "no-store"
    return response


def _diary_form(request: AuthedRequest) -> dict[str, Any] | None:
    from trellis.practice.access import access_own_diary
    from trellis.practice.actions.diary import active_skills, card_rows
    from trellis.practice.models.diary import SCALE_OF, RowKind

    try:
        diary = access_own_diary(request.user)
    except Http404:
        return None  # no open episode
    if diary.config is None or not diary.in_use:
        return None  # as on the home: the program (or this track) keeps no diary card
    rows = []
    for row in card_rows(diary.config):
        scale = SCALE_OF.get(row["kind"])
        rows.append(
            {**row, "choices": [str(n) for n in range(scale[0], scale[1] + 1)] if scale else []}
        )
    checklist = any(row["kind"] == RowKind.SKILL_CHECKLIST for row in rows)
    skills = (
        list(active_skills(diary.episode.program.organization_id).values()) if checklist else []
    )
    return {
        "rows": rows,
        "skill_options": skills,
        "checklists": ",".join(r["key"] for r in rows if r["kind"] == RowKind.SKILL_CHECKLIST),
    }


def _table_rows(field: dict[str, Any]) -> int:
    """As many rows as the worksheet's page shows (practice.views.assignments)."""
    return int(
        min(max(int(field.get("min_rows", 0) or 0), 3), int(field.get("max_rows", 10) or 10))
    )


def _worksheet_fields(fields: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], str]:
    """The worksheet's fields as the form shows them, and what offline.js needs to turn the
    form into the API's answers (JSON: key, type, table rows and columns)."""
    shown: list[dict[str, Any]] = []
    spec: list[dict[str, Any]] = []
    for field in fields:
        item = dict(field)
        entry: dict[str, Any] = {"key": field["key"], "type": field["type"]}
        if field["type"] == "scale":
            item["range"] = list(range(int(field["min"]), int(field["max"]) + 1))
        if field["type"] == "table":
            rows = _table_rows(field)
            item["rows"] = [
                [{**c, "name": f"{field['key']}__{i}__{c['key']}"} for c in field["columns"]]
                for i in range(rows)
            ]
            entry |= {"rows": rows, "columns": [c["key"] for c in field["columns"]]}
        shown.append(item)
        spec.append(entry)
    return shown, json.dumps(spec)


def _practice_forms(request: AuthedRequest, access: Any) -> list[dict[str, Any]]:
    from trellis.practice.access import access_own_assignments
    from trellis.practice.actions.diary import active_skills
    from trellis.practice.models.assignments import OPEN_ASSIGNMENT_STATUSES

    open_statuses = set(OPEN_ASSIGNMENT_STATUSES)
    rows = [
        a
        for a in access_own_assignments(request.user, access.participant)
        if a.status in open_statuses
    ]
    rows.sort(key=lambda a: (a.due_on, a.assigned_at))
    skills: list[Any] | None = None
    forms = []
    for a in rows:
        fields = list(a.worksheet.fields) if a.worksheet is not None else []
        if skills is None and any(f["type"] == "skill" for f in fields):
            skills = list(active_skills(access.participant.organization_id).values())
        shown, spec = _worksheet_fields(fields)
        forms.append(
            {
                "public_id": str(a.public_id),
                "title": a.title,
                "worksheet": a.worksheet is not None,
                "fields": shown,
                "spec": spec,
                "earliest": a.starts_on,
                "url": reverse("api:record_entry", kwargs={"assignment_id": str(a.public_id)}),
            }
        )
    return [{**f, "skill_options": skills or []} for f in forms]


def _safety_plan(request: AuthedRequest) -> Any:
    from trellis.practice.access import access_own_safety_plan

    try:
        return access_own_safety_plan(request.user).plan
    except Http404:
        return None


@login_required
def offline_page(request: AuthedRequest) -> HttpResponse:
    """What the device keeps for reading offline (encrypted, see offline.js): the safety plan,
    the next sessions, the crisis numbers; and the forms that queue entries offline."""
    access = _own_record(request)
    if isinstance(access, HttpResponse):
        return access
    episode = access.current_episode
    zone = access.participant.organization.tz
    context: dict[str, Any] = {
        "participant": access.participant,
        "program": episode.program if episode is not None else None,
        "zone": str(zone),
        "saved_at": timezone.localtime(timezone.now(), zone),
        "safety_plan": None,
        "sessions": None,
        "diary": None,
        "practice": [],
        "diary_url": reverse("api:submit_my_diary_card"),
        "ratings": range(0, 11),
    }
    ctx = Context(user=request.user, access=access, episode=episode, today=local_today(zone))
    if apps.is_installed("trellis.scheduling"):
        context["sessions"] = sessions_card(ctx)
    if apps.is_installed("trellis.practice"):
        context["safety_plan"] = _safety_plan(request)
        if episode is not None and episode.is_open:
            context["diary"] = _diary_form(request)
            context["practice"] = _practice_forms(request, access)
    response = render(request, "portal/offline.html", context)
    response["Cache-Control"] = "no-store"
    return response
