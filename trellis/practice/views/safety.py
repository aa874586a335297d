"""Practice pages: the safety part (docs/practice.md).

Staff (care team): the episode's safety plan versions, the editor of the open draft, signing.
Participant: their latest signed plan at /me/practice/safety-plan/, printable, with the
"I am not safe right now" button.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action
from trellis.lib.views import add_error_messages
from trellis.practice.access import (
    access_episode_safety_plans,
    access_own_safety_plan,
    access_safety_plan,
)
from trellis.practice.actions.safety import (
    do_acknowledge_safety_plan,
    do_report_unsafe,
    do_save_safety_plan,
    do_sign_safety_plan,
    do_start_safety_plan_version,
)
from trellis.practice.models.safety import SECTION_KEYS


@login_required
def episode_safety_plans(request: AuthedRequest, episode_id: str) -> HttpResponse:
    episode_access, plans = access_episode_safety_plans(request.user, episode_id)
    return render(
        request,
        "practice/safety/episode.html",
        {"episode": episode_access.episode, "plans": plans, "current": plans[0] if plans else None},
    )


@login_required
@require_POST
def start_version(request: AuthedRequest, episode_id: str) -> HttpResponse:
    episode_access, _ = access_episode_safety_plans(request.user, episode_id, action=Action.CREATE)
    plan = do_start_safety_plan_version(request.user, episode_access.episode)
    return redirect("practice:safety-plan", plan.public_id)


@login_required
def safety_plan(request: AuthedRequest, plan_id: str) -> HttpResponse:
    action = Action.UPDATE if request.method == "POST" else Action.VIEW
    plan = access_safety_plan(request.user, plan_id, action=action)
    errors: dict[str, list[str]] = {}
    values = {key: "\n".join(items) for key, _, _, items in plan.section_rows()}
    if request.method == "POST":
        values = {key: request.POST.get(key, "") for key in SECTION_KEYS}
        try:
            do_save_safety_plan(request.user, plan, values)
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(request, "Safety plan draft saved.")
            return redirect("practice:safety-plan", plan.public_id)
    rows = [
        (key, heading, prompt, items, values.get(key, ""), errors.get(key, []))
        for key, heading, prompt, items in plan.section_rows()
    ]
    status = 400 if errors else 200
    return render(
        request,
        "practice/safety/plan.html",
        {"plan": plan, "rows": rows, "errors": errors, "episode": plan.episode},
        status=status,
    )


@login_required
@require_POST
def sign(request: AuthedRequest, plan_id: str) -> HttpResponse:
    plan = access_safety_plan(request.user, plan_id, action=Action.SIGN)
    try:
        do_sign_safety_plan(
            request.user,
            plan,
            typed_name=request.POST.get("typed_name", ""),
            password=request.POST.get("password", ""),
        )
    except ValidationError as error:
        add_error_messages(request, error)
    else:
        messages.success(request, f"Safety plan version {plan.version} signed.")
    return redirect("practice:safety-plan", plan.public_id)


@login_required
def my_safety_plan(request: AuthedRequest) -> HttpResponse:
    own = access_own_safety_plan(request.user)
    program = own.episode.program if own.episode is not None else None
    return render(
        request,
        "practice/safety/mine.html",
        {
            "plan": own.plan,
            "program": program,
            "urgent": request.GET.get("reported") == "1",
        },
    )


@login_required
@require_POST
def report_unsafe(request: AuthedRequest) -> HttpResponse:
    own = access_own_safety_plan(request.user, action=Action.CREATE)
    if own.episode is None:
        messages.error(request, "You have no current program, so this button cannot tell a team.")
        return redirect("practice:my-safety-plan")
    do_report_unsafe(request.user, own.episode, own.plan)
    return redirect(reverse("practice:my-safety-plan") + "?reported=1#crisis")


@login_required
@require_POST
def acknowledge(request: AuthedRequest) -> HttpResponse:
    own = access_own_safety_plan(request.user, action=Action.UPDATE)
    if own.plan is not None:
        do_acknowledge_safety_plan(request.user, own.plan)
        messages.success(request, "Thank you. Your care team will see that you have read it.")
    return redirect("practice:my-safety-plan")


urlpatterns: list[URLPattern] = [
    path("me/practice/safety-plan/", my_safety_plan, name="my-safety-plan"),
    path("me/practice/safety-plan/not-safe/", report_unsafe, name="my-safety-plan-unsafe"),
    path("me/practice/safety-plan/acknowledge/", acknowledge, name="my-safety-plan-acknowledge"),
    path(
        "practice/episodes/<str:episode_id>/safety-plan/",
        episode_safety_plans,
        name="episode-safety-plans",
    ),
    path(
        "practice/episodes/<str:episode_id>/safety-plan/new/",
        start_version,
        name="episode-safety-plan-new",
    ),
    path("practice/safety-plans/<str:plan_id>/", safety_plan, name="safety-plan"),
    path("practice/safety-plans/<str:plan_id>/sign/", sign, name="safety-plan-sign"),
]
