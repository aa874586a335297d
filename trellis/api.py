"""The JSON API at /api/v1/: one ninja Router per app, added here.

Deny by default: every operation needs a signed-in staff member (API token or browser session
with CSRF), unless it says otherwise (`/me` answers any signed-in user). What a staff member
then sees is decided by privacy, as for pages. See docs/api.md.
"""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Router, Schema
from ninja.errors import AuthorizationError

from trellis.accounts.api import ApiTokenAuth, SessionAuth, acting_user
from trellis.accounts.models import User
from trellis.intake.api import router as intake_router
from trellis.intake.api_fhir import router as intake_fhir_router
from trellis.lib.api import error_responses, install_error_handlers
from trellis.measures.api import router as measures_router
from trellis.meetings.api import router as meetings_router
from trellis.messaging.api import router as messaging_router
from trellis.notes.api import router as notes_router
from trellis.notifications.api import router as notifications_router
from trellis.participants.api import router as participants_router
from trellis.plans.api import router as plans_router
from trellis.portal.api import router as portal_router
from trellis.practice.api import router as practice_router
from trellis.privacy.policy import grants_for
from trellis.programs.api import router as programs_router
from trellis.programs.models import Membership
from trellis.programs.schemas import OrganizationRef, ProgramRef, organization_ref, program_ref
from trellis.scheduling.api import router as scheduling_router
from trellis.transitions.api import router as transitions_router
from trellis.transitions.changes.api import router as track_requests_router
from trellis.worklist.api import router as worklist_router


def require_staff(user: User) -> None:
    if not grants_for(user).is_staff_member:
        raise AuthorizationError(
            message="The Trellis API is for program staff: your account has no staff role."
        )


staff_auth = [ApiTokenAuth(authorize=require_staff), SessionAuth(authorize=require_staff)]
signed_in_auth = [ApiTokenAuth(), SessionAuth()]

api = NinjaAPI(
    title="Trellis API",
    version="1",
    description=(
        "Programs, participants and episodes of an intensive outpatient program. "
        "Authenticate with a personal API token (`Authorization: Bearer trl_…`, created at "
        "/accounts/settings/) or, from the browser, the signed-in session plus the "
        '`X-CSRFToken` header on writes. Errors are JSON: `{"detail": "…"}`, or for 422 '
        '`{"detail": [{"field", "message", "loc", "type"}]}`. See docs/api.md.'
    ),
    urls_namespace="api",
    auth=staff_auth,
)
install_error_handlers(api)


class MembershipOut(Schema):
    role: str
    role_label: str
    organization: OrganizationRef
    program: ProgramRef | None


class MeOut(Schema):
    public_id: UUID
    username: str
    name: str
    email: str
    is_staff_member: bool
    roles: list[MembershipOut]


@api.get(
    "/me",
    response={200: MeOut, **error_responses(401)},
    auth=signed_in_auth,
    tags=["me"],
    summary="Who am I",
)
def me(request: HttpRequest) -> MeOut:
    """The signed-in user and their active roles (what the rest of the API will show them
    follows from these)."""
    user = acting_user(request)
    memberships = (
        Membership.objects.active()
        .filter(user=user)
        .select_related("organization", "program")
        .order_by("organization__name", "program__name", "role")
    )
    return MeOut(
        public_id=user.public_id,
        username=user.get_username(),
        name=user.name,
        email=user.email,
        is_staff_member=grants_for(user).is_staff_member,
        roles=[
            MembershipOut(
                role=m.role,
                role_label=m.get_role_display(),
                organization=organization_ref(m.organization),
                program=None if m.program is None else program_ref(m.program),
            )
            for m in memberships
        ],
    )


api.add_router("/", participants_router)
api.add_router("/", programs_router)
api.add_router("/scheduling/", scheduling_router)
api.add_router("/measures/", measures_router)
api.add_router("/worklist/", worklist_router)
api.add_router("/plans/", plans_router)
api.add_router("/practice/", practice_router)
api.add_router("/notes/", notes_router)
api.add_router("/meetings/", meetings_router)
api.add_router("/", transitions_router)
api.add_router("/intake/", intake_router)
api.add_router("/", intake_fhir_router)
# The participant's own parts of the portal (docs/portal.md, "API"): any signed-in user,
# each endpoint opening only the caller's own data (the audited 404 for anyone else).
api.add_router("/", portal_router)  # /me/progress
api.add_router("/transitions/", track_requests_router)  # /transitions/me/track-request
api.add_router("/notifications/", notifications_router)  # /notifications/me/preferences
# Messages: the participant's own under /messaging/me/, staff's inbox and threads.
api.add_router("/messaging/", messaging_router)

# Last, so it only sees paths no router claimed: a mistyped URL still gets a JSON 404 (and
# not the HTML page Django would render), with or without credentials.
unmatched = Router()


@unmatched.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False
)
def not_found(request: HttpRequest, rest: str) -> None:
    raise Http404


api.add_router("/", unmatched)
