"""Navigation for the base layout: only the sections the signed-in user may use.

A context processor (settings.TEMPLATES). It is page-level code that knows every section, so
it sits beside trellis/views.py, above the apps whose counts and roles it reads.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext

from trellis.notes.queries import supervises
from trellis.peers.queries import moderates_anywhere
from trellis.privacy.policy import grants_for
from trellis.programs.models import Role
from trellis.worklist.queries import open_work_count


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"nav_items": []}
    grants = grants_for(user)
    items: list[tuple[str, str]] = []
    if grants.is_staff_member:
        items += [
            ("Today", reverse("today")),
            ("Participants", reverse("participants:list")),
            ("Schedule", reverse("scheduling:week")),
            ("Programs", reverse("programs:list")),
        ]
        # Directors, intake coordinators and the front desk answer inquiries.
        if (
            grants.is_director_anywhere
            or grants.does_intake_anywhere
            or grants.works_front_desk_anywhere
        ):
            items.append(("Intake", reverse("intake:board")))
        if Role.COMPLIANCE_OFFICER in grants.roles:
            items.append(("Audit", reverse("compliance:audit-report")))
        if grants.is_clinician or grants.clinical_programs or grants.clinical_orgs:
            open_work = open_work_count(user)
            items.append(
                (f"My work ({open_work})" if open_work else "My work", reverse("worklist:list"))
            )
            items.append(("Meetings", reverse("meetings:list")))
        if supervises(user):
            items.append(("Co-sign", reverse("notes:cosign-queue")))
        # The peer space's moderators: the program's directors and the staff it names.
        if moderates_anywhere(user, directs=grants.is_director_anywhere):
            items.append(("Peer space", reverse("peers:queue")))
    elif hasattr(user, "participant"):
        # The portal's menu (docs/portal.md), in the participant's language ("Spanish");
        # group notes and the record are on the home.
        items.append((gettext("Home"), reverse("portal:home")))
        items.append((gettext("Schedule"), reverse("scheduling:me")))
        items.append((gettext("Check-ins"), reverse("measures:mine")))
        items.append((gettext("Practice"), reverse("practice:my-practice")))
        items.append((gettext("Diary card"), reverse("practice:my-diary")))
        items.append((gettext("Plan"), reverse("plans:mine")))
        items.append((gettext("Progress"), reverse("portal:progress")))
        items.append((gettext("Safety plan"), reverse("practice:my-safety-plan")))
        items.append((gettext("Messages"), reverse("messaging:mine")))
        items.append((gettext("Peer space"), reverse("peers:mine")))
    # The section whose address is the longest start of this page's (on /me/practice/diary/,
    # "Diary card", not "Practice").
    path = request.path
    # Home (/me/) is the start of every portal address: it is current only on itself.
    home = reverse("portal:home") if not grants.is_staff_member else None
    matches = [
        url for _, url in items if path == url or (url not in {"/", home} and path.startswith(url))
    ]
    current = max(matches, key=len, default=None)
    return {
        "nav_items": [
            {"label": label, "url": url, "current": url == current} for label, url in items
        ]
    }
