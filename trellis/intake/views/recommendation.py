"""The program's level-of-care rules page, for its directors (linked from the set-up hub)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action
from trellis.intake.actions import check_save_rules
from trellis.intake.forms import RuleFormSet
from trellis.intake.queries import program_rules
from trellis.intake.rules import Rule
from trellis.measures.registry import available_codes
from trellis.privacy.access import access_directed_program
from trellis.privacy.decorators import staff_required


@staff_required()
def rules(request: AuthedRequest, program_id: uuid.UUID) -> HttpResponse:
    action = Action.UPDATE if request.method == "POST" else Action.VIEW
    program = access_directed_program(request.user, program_id, action=action)
    current, own = program_rules(program)
    errors: list[str] = []
    if request.method == "POST":
        formset = RuleFormSet(request.POST)
        if formset.is_valid():
            chosen: list[Rule] = [r for form in formset if (r := form.rule()) is not None]
            try:
                check_save_rules(request.user, program, chosen)
            except ValidationError as error:
                errors = [m for ms in error.message_dict.values() for m in ms]
            else:
                messages.success(request, "Level-of-care rules saved.")
                return redirect("intake:rules", program_id=program.public_id)
        else:
            errors = ["Check the rules marked below."]
    else:
        formset = RuleFormSet(
            initial=[
                {
                    "condition": r.condition,
                    "instrument": r.instrument,
                    "threshold": r.threshold,
                    "level": r.level,
                    "reason": r.reason,
                }
                for r in current
            ]
        )
    return render(
        request,
        "intake/rules.html",
        {
            "program": program,
            "formset": formset,
            "own": own,
            "errors": errors,
            "codes": available_codes(),
        },
        status=422 if errors else 200,
    )
