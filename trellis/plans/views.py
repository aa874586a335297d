"""Plan pages: the chart's Plan tab, the draft editor, signing, versions and comparison,
the participant's acknowledgement on a tablet, the participant's own view, and a program's
plan templates (its director's set-up pages)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from trellis.accounts.actions import do_record_sign_in_attempt
from trellis.accounts.http import AuthedRequest
from trellis.accounts.models import User
from trellis.accounts.signin import check_password_try
from trellis.audit.middleware import client_addr_of
from trellis.audit.models import Action, Purpose
from trellis.lib.ids import lookup_id
from trellis.lib.views import add_error_messages, posted_revision
from trellis.participants.care_team import eligible_staff
from trellis.participants.chart import chart_context
from trellis.plans import actions, diagnoses, queries
from trellis.plans import content as plan_content
from trellis.plans.access import ClinicalAccess, access_clinical_episode
from trellis.plans.models import PlanTemplate, PlanVersion
from trellis.privacy.access import (
    Scope,
    access_directed_program,
    access_participant,
    deny_object,
)
from trellis.privacy.decorators import staff_required
from trellis.programs.models import Program


def _versions(ca: ClinicalAccess) -> list[PlanVersion]:
    return queries.versions_of(ca.episode)


def _draft(ca: ClinicalAccess) -> PlanVersion:
    draft = queries.draft_of(ca.episode)
    if draft is None:
        raise Http404("No draft.")
    return draft


def _page(ca: ClinicalAccess, tab: str = "plan") -> dict[str, Any]:
    return chart_context(ca.access, tab) | {"episode": ca.episode, "can_write": ca.can_write}


@staff_required()
def plan_tab(request: AuthedRequest, public_id: str) -> HttpResponse:
    ca = access_clinical_episode(request.user, public_id)
    tab = queries.plan_tab(ca.episode)
    return render(request, "plans/tab.html", _page(ca) | {"tab": tab})


@staff_required()
@require_POST
def plan_start(request: AuthedRequest, public_id: str) -> HttpResponse:
    ca = access_clinical_episode(request.user, public_id, action=Action.UPDATE)
    ca.require_write()
    template = None
    if request.POST.get("template"):
        template = PlanTemplate.objects.filter(
            public_id=lookup_id(request.POST["template"]), program_id=ca.episode.program_id
        ).first()
    try:
        actions.check_start_plan(request.user, ca.episode, template=template)
    except ValidationError as error:
        add_error_messages(request, error)
        return redirect("plans:tab", public_id=public_id)
    return redirect("plans:draft", public_id=public_id)


def _staff_choices(ca: ClinicalAccess) -> tuple[list[tuple[str, str]], dict[str, str]]:
    staff = eligible_staff(ca.episode)
    names = {}
    for user in staff:
        kinds = ", ".join(c.kind for c in getattr(user, "current_credentials", []))
        names[str(user.public_id)] = f"{user.name}, {kinds}" if kinds else user.name
    return list(names.items()), names


def _editor_context(
    ca: ClinicalAccess,
    draft: PlanVersion,
    document: plan_content.PlanContent,
    *,
    revision: int,
    errors: dict[str, str] | None = None,
    conflict: PlanVersion | None = None,
) -> dict[str, Any]:
    choices, _ = _staff_choices(ca)
    return _page(ca) | {
        "draft": draft,
        "document": document,
        "rows": _editor_rows(document, errors or {}),
        "revision": revision,
        "errors": errors or {},
        "conflict": conflict,
        "theirs": queries.arrange(conflict) if conflict else None,
        "staff_choices": choices,
        "kinds": list(plan_content.OBJECTIVE_KIND_LABELS.items()),
        "comparators": list(plan_content.COMPARATOR_LABELS.items()),
        "diagnosis_list": diagnoses.all_diagnoses(),
    }


@staff_required()
def plan_draft(request: AuthedRequest, public_id: str) -> HttpResponse:
    """The draft editor. A plain form (works without JavaScript): "add" buttons save and
    come back with an empty row; a save naming an old revision is a conflict that keeps both
    texts on screen."""
    ca = access_clinical_episode(request.user, public_id)
    ca.require_write()
    draft = _draft(ca)
    if request.method != "POST":
        document = plan_content.load(draft.content)
        return render(
            request,
            "plans/editor.html",
            _editor_context(ca, draft, document, revision=draft.revision),
        )
    _, names = _staff_choices(ca)
    revision = posted_revision(request)
    try:
        document = plan_content.from_form(request.POST, names)
    except plan_content.ContentErrors as error:
        messages.error(request, "Nothing was saved: correct the fields marked below.")
        document = error.partial
        return render(
            request,
            "plans/editor.html",
            _editor_context(ca, draft, document, revision=revision, errors=error.errors),
            status=422,
        )
    if request.POST.get("add"):
        document = plan_content.add_row(document, request.POST["add"])
    try:
        saved = actions.check_save_draft(request.user, draft, document, revision=revision)
    except actions.EditConflict as conflict:
        # Both texts stay: theirs (saved) beside the editor holding ours (unsaved), which
        # now carries their revision so saving again is a deliberate choice.
        return render(
            request,
            "plans/editor.html",
            _editor_context(
                ca,
                conflict.current,
                document,
                revision=conflict.current.revision,
                conflict=conflict.current,
            ),
            status=409,
        )
    except ValidationError as error:
        add_error_messages(request, error)
        return redirect("plans:tab", public_id=public_id)
    if request.POST.get("next") == "sign":
        return redirect("plans:sign", public_id=public_id)
    if not request.POST.get("add"):
        messages.success(request, "Draft saved.")
    del saved
    return redirect("plans:draft", public_id=public_id)


@staff_required()
def plan_sign(request: AuthedRequest, public_id: str) -> HttpResponse:
    ca = access_clinical_episode(request.user, public_id)
    ca.require_write()
    draft = _draft(ca)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        revision = posted_revision(request)
        try:
            actions.check_sign_plan(
                request.user,
                draft,
                typed_name=request.POST.get("typed_name", ""),
                password=request.POST.get("password", ""),
                revision=revision,
                confirm_unchanged=request.POST.get("confirm_unchanged") == "on",
            )
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(
                request, "Plan signed. Hand the tablet to the participant to acknowledge it."
            )
            return redirect("plans:tab", public_id=public_id)
    from trellis.plans.signing import credentials_of

    unchanged = draft.template is not None and plan_content.same_content(
        draft.content, draft.template.content
    )
    context = _page(ca) | {
        "draft": draft,
        "document": queries.arrange(draft),
        "errors": errors,
        "missing": plan_content.missing_for_signing(plan_content.load(draft.content)),
        "unchanged_from_template": unchanged,
        "signer_credentials": credentials_of(
            request.user, on=ca.episode.program.organization.today()
        ),
    }
    return render(request, "plans/sign.html", context, status=422 if errors else 200)


@staff_required()
def plan_version(request: AuthedRequest, public_id: str, number: int) -> HttpResponse:
    ca = access_clinical_episode(request.user, public_id)
    version = next((v for v in _versions(ca) if v.number == number), None)
    if version is None:
        raise Http404("No such version.")
    return render(
        request,
        "plans/version.html",
        _page(ca) | {"version": version, "document": queries.arrange(version)},
    )


@staff_required()
def plan_compare(request: AuthedRequest, public_id: str) -> HttpResponse:
    ca = access_clinical_episode(request.user, public_id)
    versions = _versions(ca)
    by_number = {v.number: v for v in versions}

    def number(name: str, default: int) -> int:
        try:
            return int(request.GET.get(name, default))
        except ValueError:
            return default

    newest = versions[0].number if versions else 0
    older = by_number.get(number("a", newest - 1))
    newer = by_number.get(number("b", newest))
    lines = queries.compare(older, newer) if older and newer else []
    return render(
        request,
        "plans/compare.html",
        _page(ca) | {"versions": versions, "older": older, "newer": newer, "lines": lines},
    )


@staff_required()
def plan_acknowledge(request: AuthedRequest, public_id: str) -> HttpResponse:
    """Hand-to-participant: a plain-language page on the clinician's tablet where the
    participant types their name and ticks that they took part and received the plan."""
    ca = access_clinical_episode(request.user, public_id)
    ca.require_write()
    version = queries.latest_signed(ca.episode)
    if version is None:
        raise Http404("No signed plan.")
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            actions.check_acknowledge_plan(
                request.user,
                version,
                typed_name=request.POST.get("typed_name", ""),
                agreed=request.POST.get("agreed") == "on",
            )
        except ValidationError as error:
            errors = error.message_dict
        else:
            # The participant holds the clinician's tablet: sign the clinician out so no
            # chart page is one tap away, and ask for their password to continue.
            staff = request.user
            logout(request)
            request.session[HAND_BACK_SESSION] = {"staff": staff.pk, "participant": str(public_id)}
            return redirect("plans:hand-back")
    return render(
        request,
        "plans/acknowledge.html",
        _page(ca) | {"version": version, "document": queries.arrange(version), "errors": errors},
        status=422 if errors else 200,
    )


HAND_BACK_SESSION = "trellis_plan_hand_back"


def plan_hand_back(request: HttpRequest) -> HttpResponse:
    """After the participant acknowledged their plan on the clinician's tablet: a neutral
    page (no name, no plan) until the clinician signs back in with their password."""
    state = request.session.get(HAND_BACK_SESSION)
    staff = None
    if isinstance(state, dict):
        staff = User.objects.filter(pk=int(state.get("staff") or 0), is_active=True).first()
    if staff is None or not isinstance(state, dict):
        request.session.pop(HAND_BACK_SESSION, None)
        return redirect("accounts:sign-in")
    error = ""
    if request.method == "POST":
        # The same lockout and audit trail as the sign-in page: the tablet may still be
        # in the participant's hands.
        attempt = check_password_try(
            request, staff.get_username(), request.POST.get("password", "")
        )
        if attempt.lockout is not None:
            error = attempt.lockout_message
        elif attempt.user is None or attempt.user.pk != staff.pk:
            error = "That password is not right. Ask the staff member to enter it."
        else:
            login(request, attempt.user)
            do_record_sign_in_attempt(
                staff.get_username(), client_addr_of(request), user=attempt.user, succeeded=True
            )
            request.session.pop(HAND_BACK_SESSION, None)
            messages.success(request, "The participant acknowledged the plan.")
            return redirect("plans:tab", public_id=str(state.get("participant", "")))
    return render(
        request,
        "plans/hand_back.html",
        {"staff_first_name": staff.first_name, "error": error},
        status=422 if error else 200,
    )


@staff_required()
def plan_discard(request: AuthedRequest, public_id: str) -> HttpResponse:
    """Discard a revision draft, after confirming: the signed version stays current."""
    posting = request.method == "POST"
    ca = access_clinical_episode(
        request.user, public_id, action=Action.UPDATE if posting else Action.VIEW
    )
    ca.require_write()
    if posting:
        try:
            number = int(request.POST.get("number", ""))
        except ValueError:
            number = -1
        try:
            actions.check_discard_draft(request.user, ca.episode, number=number)
        except ValidationError as error:
            add_error_messages(request, error)
        else:
            current = queries.latest_signed(ca.episode)
            messages.success(
                request,
                f"Draft discarded. Version {current.number if current else ''} is still "
                "the current plan.",
            )
        return redirect("plans:tab", public_id=public_id)
    draft = queries.draft_of(ca.episode)
    current = queries.latest_signed(ca.episode)
    if draft is None or current is None:
        messages.error(request, "There is no revision draft to discard.")
        return redirect("plans:tab", public_id=public_id)
    return render(request, "plans/discard.html", _page(ca) | {"draft": draft, "current": current})


@staff_required()
@require_POST
def plan_request_review(request: AuthedRequest, public_id: str) -> HttpResponse:
    ca = access_clinical_episode(request.user, public_id, action=Action.UPDATE)
    ca.require_write()
    reason = request.POST.get("reason", "").strip() or "requested by the care team"
    actions.do_request_plan_review(ca.episode, reason, actor=request.user)
    messages.success(request, "Plan review is now due.")
    return redirect("plans:tab", public_id=public_id)


@staff_required()
def diagnosis_search(request: AuthedRequest) -> HttpResponse:
    """Search the bundled ICD-10-CM subset (no participant data: public code set)."""
    found = diagnoses.search(request.GET.get("q", "")[:60])
    return render(request, "plans/diagnoses.html", {"found": found})


@login_required
def my_plan(request: AuthedRequest) -> HttpResponse:
    """A participant's own current plan, in plain language."""
    participant = getattr(request.user, "participant", None)
    if participant is None:
        raise Http404
    access = access_participant(
        request.user, participant.public_id, purpose=Purpose.PATRQT, minimum=Scope.CLINICAL
    )
    episode = access.current_episode
    version = queries.latest_signed(episode) if episode is not None else None
    return render(
        request,
        "plans/mine.html",
        {
            "participant": access.participant,
            "version": version,
            "document": queries.arrange(version) if version else None,
        },
    )


class _Row:
    """One editor row: the item, its form-field prefix, its errors by field, its children."""

    def __init__(
        self, section: str, item: Any, errors: dict[str, str], children: list[_Row] | None = None
    ) -> None:
        self.item = item
        self.prefix = f"{section}-{item.key}"
        self.errors = {
            name.removeprefix(self.prefix + "-"): text
            for name, text in errors.items()
            if name.startswith(self.prefix + "-")
        }
        self.children = children or []


def _editor_rows(document: plan_content.PlanContent, errors: dict[str, str]) -> dict[str, Any]:
    problems = [
        _Row(
            "problems",
            problem,
            errors,
            [
                _Row(
                    "goals",
                    goal,
                    errors,
                    [_Row("objectives", o, errors) for o in document.objectives_of(goal.key)],
                )
                for goal in document.goals_of(problem.key)
            ],
        )
        for problem in document.problems
    ]
    interventions = [_Row("interventions", i, errors) for i in document.interventions]
    objectives = [
        (o.key, o.description or "(objective without a description)") for o in document.objectives
    ]
    return {"problems": problems, "interventions": interventions, "objectives": objectives}


# --- a program's plan templates: its director's set-up pages ----------------------------------


@staff_required()
def templates(request: AuthedRequest, program_id: str) -> HttpResponse:
    """The program's plan templates; a name starts a new one (then its editor opens)."""
    action = Action.UPDATE if request.method == "POST" else Action.VIEW
    program = access_directed_program(request.user, program_id, action=action)
    error = ""
    if request.method == "POST":
        try:
            template = actions.check_create_plan_template(
                request.user,
                program,
                actions.TemplateData(request.POST.get("name", ""), plan_content.PlanContent()),
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, "Template created: write its starting plan below.")
            return redirect(
                "plans:template-edit", program_id=program.public_id, template_id=template.public_id
            )
    rows = queries.program_templates(program)
    return render(
        request,
        "plans/templates.html",
        {
            "program": program,
            "active": [t for t in rows if t.is_active],
            "retired": [t for t in rows if not t.is_active],
            "name": request.POST.get("name", ""),
            "error": error,
        },
        status=422 if error else 200,
    )


def _program_template(user: Any, program: Program, template_id: str) -> PlanTemplate:
    template = program.plan_templates.filter(public_id=lookup_id(template_id)).first()
    if template is None:
        raise deny_object(
            user, object_type="plans.plantemplate", object_id=template_id, purpose=Purpose.HOPERAT
        )
    return template


def _template_editor(
    request: AuthedRequest,
    program: Program,
    template: PlanTemplate,
    document: plan_content.PlanContent,
    *,
    name: str,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "plans/template_edit.html",
        {
            "program": program,
            "template": template,
            "name": name,
            "document": document,
            "rows": _editor_rows(document, errors or {}),
            "errors": errors or {},
            "template_mode": True,
            "kinds": list(plan_content.OBJECTIVE_KIND_LABELS.items()),
            "comparators": list(plan_content.COMPARATOR_LABELS.items()),
            "diagnosis_list": diagnoses.all_diagnoses(),
        },
        status=status,
    )


@staff_required()
def template_edit(request: AuthedRequest, program_id: str, template_id: str) -> HttpResponse:
    """The template's name and starting document, in the plan editor's form. A refused
    field saves nothing and keeps everything typed on screen."""
    action = Action.UPDATE if request.method == "POST" else Action.VIEW
    program = access_directed_program(request.user, program_id, action=action)
    template = _program_template(request.user, program, template_id)
    if request.method != "POST":
        document = plan_content.load(template.content)
        return _template_editor(request, program, template, document, name=template.name)
    name = request.POST.get("name", "")
    try:
        document = plan_content.from_form(request.POST, {})
    except plan_content.ContentErrors as error:
        messages.error(request, "Nothing was saved: correct the fields marked below.")
        return _template_editor(
            request, program, template, error.partial, name=name, errors=error.errors, status=422
        )
    if request.POST.get("add"):
        document = plan_content.add_row(document, request.POST["add"])
    try:
        actions.check_update_plan_template(
            request.user, template, actions.TemplateData(name, document)
        )
    except ValidationError as refused:
        errors = {"name": " ".join(refused.messages)}
        return _template_editor(
            request, program, template, document, name=name, errors=errors, status=422
        )
    if not request.POST.get("add"):
        messages.success(
            request, "Template saved. New plans start from it; started plans keep theirs."
        )
        return redirect("plans:templates", program_id=program.public_id)
    return redirect(
        "plans:template-edit", program_id=program.public_id, template_id=template.public_id
    )


@staff_required()
@require_POST
def template_retire(request: AuthedRequest, program_id: str, template_id: str) -> HttpResponse:
    program = access_directed_program(request.user, program_id, action=Action.UPDATE)
    template = _program_template(request.user, program, template_id)
    try:
        actions.check_retire_plan_template(request.user, template)
    except ValidationError as error:
        add_error_messages(request, error)
    else:
        messages.success(
            request, f"“{template.name}” retired: new plans can no longer start from it."
        )
    return redirect("plans:templates", program_id=program.public_id)
