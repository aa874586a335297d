"""A program's clinical staff: credentials (licence number, state, expiry) and who
supervises each trainee. A trainee without a supervisor, or whose supervisor no longer works
in the program, is flagged: their notes cannot be co-signed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from trellis.accounts.actions import do_remove_credential
from trellis.accounts.http import AuthedRequest
from trellis.accounts.models import Credential, StaffProfile, User
from trellis.lib.views import apply_validation_error
from trellis.privacy.decorators import staff_required
from trellis.privacy.setup import access_setup_program, access_setup_staff
from trellis.programs.actions import check_add_credential, check_set_supervisor
from trellis.programs.forms import CredentialForm, SupervisorForm
from trellis.programs.models import Membership, Program
from trellis.programs.queries import program_staff


@dataclass
class StaffRow:
    user: User
    memberships: list[Membership] = field(default_factory=list)
    credentials: list[Credential] = field(default_factory=list)
    profile: StaffProfile | None = None
    supervisor_in_program: bool = True
    expiries: list[tuple[Credential, str]] = field(default_factory=list)  # "expired", "soon"

    @property
    def roles(self) -> str:
        return ", ".join(
            m.get_clinician_kind_display() if m.clinician_kind else m.get_role_display()
            for m in self.memberships
        )

    @property
    def is_trainee(self) -> bool:
        return self.profile is not None and self.profile.is_trainee

    @property
    def supervisor(self) -> User | None:
        return self.profile.supervisor if self.profile is not None else None

    @property
    def needs_supervisor(self) -> bool:
        return self.is_trainee and (self.supervisor is None or not self.supervisor_in_program)


def staff_rows(program: Program) -> list[StaffRow]:
    """The program's clinical staff, one row per person, in two queries."""
    memberships = (
        program_staff(program)
        .select_related("user", "user__staff_profile", "user__staff_profile__supervisor")
        .prefetch_related("user__credentials")
        .order_by("user__last_name", "user__first_name", "role")
    )
    rows: dict[int, StaffRow] = {}
    for membership in memberships:
        user = membership.user
        row = rows.get(user.pk)
        if row is None:
            profile = getattr(user, "staff_profile", None)
            row = rows[user.pk] = StaffRow(
                user=user, credentials=list(user.credentials.all()), profile=profile
            )
        row.memberships.append(membership)
    today = program.today()
    for row in rows.values():
        supervisor = row.supervisor
        row.supervisor_in_program = supervisor is None or supervisor.pk in rows
        row.expiries = [(c, _expiry(c, today)) for c in row.credentials]
    return list(rows.values())


def _expiry(credential: Credential, today: date) -> str:
    if credential.is_expired(today):
        return "expired"
    if credential.expires_soon(today):
        return "soon"
    return ""


@staff_required()
def staff(request: AuthedRequest, program_id: uuid.UUID) -> HttpResponse:
    program = access_setup_program(request.user, program_id)
    rows = staff_rows(program)
    return render(
        request,
        "programs/setup_staff.html",
        {
            "program": program,
            "rows": rows,
            "unsupervised": [r for r in rows if r.needs_supervisor],
        },
    )


@staff_required()
def staff_member(request: AuthedRequest, program_id: uuid.UUID, user_id: uuid.UUID) -> HttpResponse:
    """One staff member: add or remove credentials, set their supervisor."""
    program = access_setup_program(request.user, program_id)
    member = access_setup_staff(request.user, program, user_id)
    rows = staff_rows(program)
    row = next((r for r in rows if r.user.pk == member.pk), None)
    if row is None:
        raise Http404("Not in this program.")
    candidates = [r.user for r in rows if r.user.pk != member.pk and not r.is_trainee]
    posted = request.POST.get("form", "")
    credential_form = CredentialForm(request.POST if posted == "credential" else None)
    supervisor_form = SupervisorForm(
        candidates,
        request.POST if posted == "supervisor" else None,
        initial={
            "is_trainee": row.is_trainee,
            "supervisor": str(row.supervisor.public_id) if row.supervisor else "",
        },
    )
    back = redirect("programs:staff-member", program_id=program.public_id, user_id=member.public_id)
    if posted == "credential" and credential_form.is_valid():
        try:
            check_add_credential(request.user, program, member, **credential_form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(credential_form, error)
        else:
            messages.success(request, "Credential added.")
            return back
    elif posted == "supervisor" and supervisor_form.is_valid():
        try:
            check_set_supervisor(
                request.user,
                program,
                member,
                supervisor_form.chosen(),
                is_trainee=supervisor_form.cleaned_data["is_trainee"],
            )
        except ValidationError as error:
            apply_validation_error(supervisor_form, error)
        else:
            messages.success(request, "Supervision saved.")
            return back
    elif posted == "remove":
        kind, _, state = request.POST.get("credential", "").partition("|")
        credential = next((c for c in row.credentials if c.kind == kind and c.state == state), None)
        if credential is None:
            raise Http404("No such credential.")
        do_remove_credential(request.user, credential)
        messages.success(request, f"{credential.kind} removed.")
        return back
    invalid = credential_form.errors or supervisor_form.errors
    return render(
        request,
        "programs/setup_staff_member.html",
        {
            "program": program,
            "row": row,
            "credential_form": credential_form,
            "supervisor_form": supervisor_form,
        },
        status=400 if invalid else 200,
    )
