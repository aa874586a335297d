"""Retiring and restoring library modules and skills (confirmation, editors only, audited;
retired ones leave assigning and new checklists but stay readable where they were used), and
staff in several organizations choosing whose library they read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.personas import World, make_staff
from trellis.accounts.models import User
from trellis.audit.models import Event
from trellis.practice.actions.assignments import AssignmentData, do_assign
from trellis.practice.actions.library import do_link_topic, do_set_module_active
from trellis.practice.models import Skill, SkillModule
from trellis.practice.queries.assignments import library_choices
from trellis.practice.queries.library import library_organization
from trellis.practice.tests.helpers import dear_man
from trellis.programs.actions import do_add_membership, do_create_organization
from trellis.programs.models import Role
from trellis.scheduling.tests.factory import evening_dbt

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]


def test_a_director_retires_a_skill_after_confirming_and_restores_it(
    world: World, client_for: Clients
) -> None:
    skill = dear_man(world.organization)
    client = client_for(world.director)
    library = client.get("/practice/library/").content.decode()
    assert f"/practice/library/skills/{skill.public_id}/retire/" in library
    confirm = client.get(f"/practice/library/skills/{skill.public_id}/retire/")
    assert confirm.status_code == 200
    assert "Retire DEAR MAN" in confirm.content.decode()
    skill.refresh_from_db()
    assert skill.is_active  # the confirmation page changes nothing
    response = client.post(f"/practice/library/skills/{skill.public_id}/retire/")
    assert response.status_code == 302
    skill.refresh_from_db()
    assert not skill.is_active
    library = client.get("/practice/library/").content.decode()
    retired = library.split('id="retired"')[1]
    assert "DEAR MAN" in retired
    assert "Restore" in retired
    event = Event.objects.filter(object_type="practice.skill").latest("pk")
    assert event.detail["retired"] is True
    assert client.post(f"/practice/library/skills/{skill.public_id}/restore/").status_code == 302
    skill.refresh_from_db()
    assert skill.is_active


def test_a_retired_module_takes_its_skills_out_of_assigning(
    world: World, client_for: Clients
) -> None:
    skill = dear_man(world.organization)
    client = client_for(world.director)
    assert client.post(f"/practice/library/modules/{skill.module.public_id}/retire/").status_code
    module = SkillModule.objects.get()
    assert not module.is_active
    assert skill not in library_choices(world.organization)[0]
    library = client.get("/practice/library/").content.decode()
    assert "Module Interpersonal effectiveness" in library.split('id="retired"')[1]
    do_set_module_active(None, module, active=True)
    assert skill in library_choices(world.organization)[0]


@pytest.mark.parametrize(
    "persona", ["clinician", "other_clinician", "front_desk", "intake", "compliance"]
)
def test_only_editors_retire_or_restore(world: World, client_for: Clients, persona: str) -> None:
    skill = dear_man(world.organization)
    client = client_for(world.personas[persona])
    assert "/retire/" not in client.get("/practice/library/").content.decode()
    for path in (
        f"/practice/library/skills/{skill.public_id}/retire/",
        f"/practice/library/modules/{skill.module.public_id}/retire/",
    ):
        assert client.get(path).status_code == 403
        assert client.post(path).status_code == 403
    skill.is_active = False
    skill.save()
    assert client.post(f"/practice/library/skills/{skill.public_id}/restore/").status_code == 403
    skill.refresh_from_db()
    assert not skill.is_active
    assert client_for(world.participant_user).post(
        f"/practice/library/skills/{skill.public_id}/retire/"
    ).status_code in (403, 404)


def test_another_organizations_skill_is_not_found(world: World, client_for: Clients) -> None:
    other = do_create_organization(None, name="Elsewhere (test)", time_zone="UTC")
    theirs = dear_man(other)
    response = client_for(world.director).post(
        f"/practice/library/skills/{theirs.public_id}/retire/"
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active


def test_retired_skills_stay_readable_where_they_were_used(
    world: World, client_for: Clients
) -> None:
    skill = dear_man(world.organization)
    episode = world.participant.episodes.get()
    today = world.organization.today()
    assignment = do_assign(
        world.clinician,
        episode,
        AssignmentData(
            title="Practise DEAR MAN",
            due_on=today + timedelta(days=2),
            starts_on=today,
            skill=skill,
        ),
    )
    series = evening_dbt(world, topics=["Interpersonal effectiveness"])
    do_link_topic(world.director, series, series.topics[0], skill)
    skill.is_active = False
    skill.save()
    # The participant's old assignment and the skill page still open, marked retired.
    participant = client_for(world.participant_user)
    assert participant.get(f"/me/practice/{assignment.public_id}/").status_code == 200
    page = participant.get(f"/practice/skills/{skill.public_id}/")
    assert page.status_code == 200
    assert "This skill is retired" in page.content.decode()
    curriculum = client_for(world.director).get("/practice/library/curriculum/").content.decode()
    assert 'DEAR MAN (Asking for what you need) <span class="muted">(retired)</span>' in (
        curriculum
    )
    # ... but it cannot be assigned again.
    with pytest.raises(ValidationError, match="retired"):
        do_assign(
            world.clinician,
            episode,
            AssignmentData(
                title="Again", due_on=today + timedelta(days=2), starts_on=today, skill=skill
            ),
        )
    assert Skill.objects.get().pk == skill.pk


# --- staff in several organizations ---


def test_staff_in_several_organizations_choose_the_library(
    world: World, client_for: Clients
) -> None:
    other = do_create_organization(None, name="Aardvark Health (test)", time_zone="UTC")
    theirs = dear_man(other)
    theirs.acronym = "AARD"
    theirs.save()
    ours = dear_man(world.organization)
    both = make_staff("bo.both", "Bo", "Both", world.organization, Role.PROGRAM_DIRECTOR)
    do_add_membership(None, both, other, role=Role.FRONT_DESK)
    # No choice yet: the first organization by name; the selector lists both.
    assert library_organization(both) == other
    client = client_for(both)
    page = client.get("/practice/library/").content.decode()
    assert 'id="library-organization"' in page
    assert "AARD" in page
    # Choosing is remembered for the library's other pages and forms (and edit rights follow).
    chosen = client.get(f"/practice/library/?organization={world.organization.public_id}")
    body = chosen.content.decode()
    assert "DEAR MAN" in body
    assert "AARD" not in body
    assert "Add a skill" in body  # a director here
    assert "AARD" not in client.get("/practice/library/").content.decode()
    assert client.get("/practice/library/skills/new/").status_code == 200
    # A skill page opens in the skill's own organization, whichever is chosen.
    assert client.get(f"/practice/skills/{theirs.public_id}/").status_code == 200
    assert client.get(f"/practice/skills/{ours.public_id}/").status_code == 200
    # The API takes the same choice as a parameter; an organization they do not work in is
    # ignored (their default instead).
    api = client.get(f"/api/v1/practice/library?organization={world.organization.public_id}")
    assert "DEAR MAN" in api.content.decode()
    stranger = do_create_organization(None, name="AAA Stranger (test)", time_zone="UTC")
    dear_man(stranger)
    assert library_organization(both, str(stranger.public_id)) == other
    # Someone in one organization has no selector.
    single = client_for(world.director).get("/practice/library/").content.decode()
    assert 'id="library-organization"' not in single
