"""Reads about programs and who works in them. No writes."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from trellis.programs.models import Membership, Program, Role


def program_staff(program: Program) -> QuerySet[Membership]:
    """Active clinical memberships that work in the program: its directors and clinicians,
    its own or organization-wide."""
    return (
        Membership.objects.active()
        .filter(
            Q(program=program) | Q(program__isnull=True, organization_id=program.organization_id)
        )
        .filter(role__in=[Role.PROGRAM_DIRECTOR, Role.CLINICIAN])
    )
