"""A program director writes the program's plan templates on a page: list, create, edit,
retire. Clinicians start plans from the ones in use."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.personas import World, make_staff
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.audit.models import Action, Event
from trellis.plans import content as c
from trellis.plans.actions import TemplateData, check_start_plan, do_create_plan_template
from trellis.plans.models import PlanTemplate
from trellis.programs.models import Role


def url(world: World) -> str:
    return f"/plans/programs/{world.program.public_id}/templates/"


def make(world: World, name: str = "Depression IOP") -> PlanTemplate:
    return do_create_plan_template(None, world.program, TemplateData(name, c.PlanContent()))


def edit_post(name: str, **fields: str) -> dict[str, str]:
    return {"name": name, "next": "stay", **fields}


def test_a_director_creates_a_template_writes_it_and_a_clinician_starts_a_plan_from_it(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.director)
    created = client.post(url(world), {"name": "Anxiety track"})
    assert created.status_code == 302
    template = PlanTemplate.objects.get(program=world.program)
    assert created["Location"] == f"{url(world)}{template.public_id}/"
    saved = client.post(
        f"{url(world)}{template.public_id}/",
        edit_post(
            "Anxiety track",
            **{
                "problems-p1-description": "Panic attacks limit work",
                "problems-p1-diagnosis": "F41.0",
                "goals-g1-problem": "p1",
                "goals-g1-words": "",
                "strengths": "",
                "discharge_criteria": "GAD-7 below 10 for two weeks",
            },
        ),
    )
    assert saved.status_code == 302
    template.refresh_from_db()
    document = c.load(template.content)
    assert [p.description for p in document.problems] == ["Panic attacks limit work"]
    assert document.discharge_criteria == "GAD-7 below 10 for two weeks"
    assert Event.objects.filter(
        actor=world.director, action=Action.UPDATE, object_id=str(template.public_id)
    ).exists()
    draft = check_start_plan(world.clinician, world.participant.episodes.get(), template=template)
    assert c.load(draft.content).discharge_criteria == "GAD-7 below 10 for two weeks"


def test_a_refused_field_saves_nothing_and_keeps_what_was_typed(
    world: World, client_for: Callable[[User], Client]
) -> None:
    template = make(world)
    response = client_for(world.director).post(
        f"{url(world)}{template.public_id}/",
        edit_post(
            "Depression IOP",
            **{"problems-p1-description": "Low mood", "problems-p1-diagnosis": "ZZZ.9"},
        ),
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "is not in the diagnosis list" in page
    assert "Low mood" in page
    template.refresh_from_db()
    assert template.content == c.PlanContent().to_json()


@pytest.mark.parametrize(
    ("name", "message"),
    [("  ", "Give the template a name."), ("depression iop", "of that name already")],
)
def test_a_template_needs_a_name_of_its_own(
    world: World, client_for: Callable[[User], Client], name: str, message: str
) -> None:
    make(world)
    response = client_for(world.director).post(url(world), {"name": name})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert PlanTemplate.objects.count() == 1


def test_a_retired_template_is_no_longer_offered_and_plans_cannot_start_from_it(
    world: World, client_for: Callable[[User], Client]
) -> None:
    from django.core.exceptions import ValidationError

    template = make(world)
    client = client_for(world.director)
    assert client.post(f"{url(world)}{template.public_id}/retire/").status_code == 302
    template.refresh_from_db()
    assert not template.is_active
    tab = client_for(world.clinician).get(f"/participants/{world.participant.public_id}/plan/")
    assert "Depression IOP" not in tab.content.decode()
    with pytest.raises(ValidationError):
        check_start_plan(world.clinician, world.participant.episodes.get(), template=template)
    refused = client.post(f"{url(world)}{template.public_id}/", edit_post("Renamed"))
    assert refused.status_code == 422
    template.refresh_from_db()
    assert template.name == "Depression IOP"


@pytest.mark.parametrize(
    "persona", ["clinician", "front_desk", "intake", "outsider", "sud_director"]
)
def test_anyone_who_does_not_direct_the_program_gets_an_audited_404(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    user = (
        make_staff(
            "sud-director",
            "Sam",
            "Sud",
            world.organization,
            Role.PROGRAM_DIRECTOR,
            world.sud_program,
        )
        if persona == "sud_director"
        else world.personas[persona]
    )
    template = make(world)
    client = client_for(user)
    assert client.get(url(world)).status_code == 404
    assert client.post(url(world), {"name": "Mine"}).status_code == 404
    assert client.post(f"{url(world)}{template.public_id}/", edit_post("Mine")).status_code == 404
    assert client.post(f"{url(world)}{template.public_id}/retire/").status_code == 404
    assert Event.objects.filter(actor=user, action=Action.DENY).count() == 4
    template.refresh_from_db()
    assert (template.name, template.is_active) == ("Depression IOP", True)
    assert PlanTemplate.objects.count() == 1


def test_another_programs_template_cannot_be_reached_through_this_program(
    world: World, client_for: Callable[[User], Client]
) -> None:
    theirs = do_create_plan_template(None, world.sud_program, TemplateData("SUD", c.PlanContent()))
    response = client_for(world.director).post(f"{url(world)}{theirs.public_id}/retire/")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active


def test_the_templates_page_runs_a_fixed_number_of_queries(
    world: World, client_for: Callable[[User], Client], count_queries: CountQueries
) -> None:
    client = client_for(world.director)
    make(world)
    client.get(url(world))
    with count_queries() as small:
        assert client.get(url(world)).status_code == 200
    for number in range(6):
        make(world, f"Template {number}")
    with count_queries() as large:
        assert client.get(url(world)).status_code == 200
    assert small.count == large.count
