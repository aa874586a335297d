"""Every change made in the admin is in the audit trail, in the change's own transaction
(issue #10, item 2): Django's admin log alone is an editable table."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client

from tests.personas import World
from trellis.accounts.actions import do_set_administrator
from trellis.accounts.models import User
from trellis.audit.admin_base import AuditedAdminMixin
from trellis.audit.models import Action, Event
from trellis.programs.models import Membership, Role


@pytest.fixture
def administrator(world: World, client_for: Callable[[User], Client]) -> Client:
    do_set_administrator(None, world.director, is_administrator=True)
    return client_for(world.director)


def test_every_registered_admin_records_its_changes_in_the_audit_trail() -> None:
    unaudited = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AuditedAdminMixin)
    ]
    assert unaudited == []


def test_granting_an_organization_wide_director_membership_is_audited(
    world: World, administrator: Client
) -> None:
    response = administrator.post(
        "/admin/programs/membership/add/",
        {
            "user": world.outsider.pk,
            "organization": world.program.organization.pk,
            "program": "",
            "role": Role.PROGRAM_DIRECTOR,
            "clinician_kind": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content
    grant = Membership.objects.get(user=world.outsider, program__isnull=True)
    event = Event.objects.get(
        action=Action.CREATE, object_type="programs.membership", detail__via="admin"
    )
    assert event.actor == world.director
    assert event.object_id == str(grant.pk)
    assert event.detail["via"] == "admin"


def test_changing_and_deleting_in_the_admin_are_audited(
    world: World, administrator: Client
) -> None:
    membership = Membership.objects.filter(user=world.front_desk).get()
    url = f"/admin/programs/membership/{membership.pk}"
    response = administrator.post(
        f"{url}/change/",
        {
            "user": world.front_desk.pk,
            "organization": membership.organization_id,
            "program": membership.program_id or "",
            "role": membership.role,
            "clinician_kind": membership.clinician_kind,
        },
    )
    assert response.status_code == 302, response.content
    change = Event.objects.get(
        action=Action.UPDATE, object_type="programs.membership", detail__via="admin"
    )
    assert change.detail["changes"] == [{"changed": {"fields": ["Is active"]}}]
    assert administrator.post(f"{url}/delete/", {"post": "yes"}).status_code == 302
    deletion = Event.objects.get(
        action=Action.DELETE, object_type="programs.membership", detail__via="admin"
    )
    assert deletion.object_id == str(membership.pk)


def test_bulk_delete_in_the_admin_is_audited_per_row(world: World, administrator: Client) -> None:
    rows = list(Membership.objects.filter(user__in=[world.front_desk, world.outsider]))
    response = administrator.post(
        "/admin/programs/membership/",
        {"action": "delete_selected", "post": "yes", "_selected_action": [m.pk for m in rows]},
    )
    assert response.status_code == 302
    deleted = Event.objects.filter(
        action=Action.DELETE, object_type="programs.membership", detail__via="admin"
    )
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted(str(m.pk) for m in rows)


def test_an_admin_change_and_its_audit_event_commit_together(
    world: World, administrator: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_record(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr("trellis.audit.admin_base.record", failing_record)
    membership = Membership.objects.filter(user=world.front_desk).get()
    administrator.raise_request_exception = True
    with pytest.raises(RuntimeError), transaction.atomic():
        administrator.post(f"/admin/programs/membership/{membership.pk}/delete/", {"post": "yes"})
    assert Membership.objects.filter(pk=membership.pk).exists()
