"""The library's pages and API: staff read, directors edit, participants read their own
organization's skills; the skill taught tonight comes from the schedule."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client

from tests.personas import World
from trellis.accounts.models import User
from trellis.practice.actions.library import do_link_topic, do_save_module, do_save_skill
from trellis.practice.demo_library import seed_library
from trellis.practice.models import Skill, SkillModule, WorksheetDefinition
from trellis.practice.queries.library import skill_for_occurrence, skills_for_occurrence
from trellis.practice.tests.helpers import dear_man, skill_practice_log
from trellis.programs.actions import do_create_organization
from trellis.scheduling.models import Occurrence
from trellis.scheduling.tests.factory import evening_dbt

Clients = Callable[[User], Client]
API = "/api/v1/practice"
STAFF = ("director", "clinician", "other_clinician", "front_desk", "intake", "compliance")


@pytest.mark.parametrize("persona", STAFF)
def test_every_staff_member_reads_the_library_and_only_directors_see_edit(
    world: World, client_for: Clients, persona: str
) -> None:
    skill = dear_man(world.organization)
    page = client_for(world.personas[persona]).get("/practice/library/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "DEAR MAN (Asking for what you need)" in body
    assert ("Add a skill" in body) is (persona == "director")
    assert ("Edit" in body.split(skill.summary[:20])[1][:200]) is (persona == "director")


@pytest.mark.parametrize("persona", [p for p in STAFF if p != "director"])
def test_only_directors_may_edit(world: World, client_for: Clients, persona: str) -> None:
    skill = dear_man(world.organization)
    client = client_for(world.personas[persona])
    assert client.get("/practice/library/skills/new/").status_code == 403
    assert client.get(f"/practice/library/skills/{skill.public_id}/edit/").status_code == 403
    assert client.post("/practice/library/modules/", {"name": "Mine"}).status_code == 403
    assert client.post("/practice/library/worksheets/", {"definition": "{}"}).status_code == 403
    assert not SkillModule.objects.filter(name="Mine").exists()


def test_participants_read_a_skill_but_not_the_staff_pages(
    world: World, client_for: Clients
) -> None:
    skill = dear_man(world.organization)
    client = client_for(world.participant_user)
    page = client.get(f"/practice/skills/{skill.public_id}/")
    assert page.status_code == 200
    assert "Describe" in page.content.decode()
    assert "Edit this skill" not in page.content.decode()
    staff_pages = ("library/", "library/worksheets/", "library/skills/new/")
    for url in staff_pages:
        assert client.get(f"/practice/{url}").status_code == 403
    # The API is for staff and their systems: a participant reads skills through the pages.
    assert client.get(f"{API}/skills/{skill.public_id}").status_code == 403


def test_another_organizations_skill_is_not_found(world: World, client_for: Clients) -> None:
    other = do_create_organization(None, name="Elsewhere (test)", time_zone="UTC")
    theirs = dear_man(other)
    for user in (world.director, world.participant_user):
        client = client_for(user)
        assert client.get(f"/practice/skills/{theirs.public_id}/").status_code == 404
    assert client_for(world.director).get(f"{API}/skills/{theirs.public_id}").status_code == 404
    assert client_for(world.director).get("/practice/skills/not-an-id/").status_code == 404


def test_anonymous_visitors_sign_in_first() -> None:
    assert Client().get("/practice/library/").status_code == 302


def test_a_director_adds_a_module_and_a_skill_and_bad_input_stores_nothing(
    world: World, client_for: Clients
) -> None:
    client = client_for(world.director)
    response = client.post("/practice/library/modules/", {"name": "Mindfulness", "approach": "DBT"})
    assert response.status_code == 302
    module = SkillModule.objects.get(organization=world.organization, name="Mindfulness")
    bad = client.post(
        "/practice/library/skills/new/",
        {"module": str(module.public_id), "name": "", "summary": "", "links": "Site | http://x"},
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "Name is required" in body
    assert "Summary is required" in body
    assert "https:// address" in body
    assert not Skill.objects.exists()
    good = client.post(
        "/practice/library/skills/new/",
        {
            "module": str(module.public_id),
            "name": "Wise mind",
            "summary": "Decide from where feeling and knowing meet.",
            "steps": "Pause\n\nNotice feelings\nNotice facts",
            "links": "Our handout | https://example.org/wise-mind",
        },
    )
    skill = Skill.objects.get(name="Wise mind")
    assert good.status_code == 302
    assert good["Location"] == f"/practice/skills/{skill.public_id}/"
    assert skill.steps == ["Pause", "Notice feelings", "Notice facts"]
    assert skill.links == [{"label": "Our handout", "url": "https://example.org/wise-mind"}]
    edited = client.post(
        f"/practice/library/skills/{skill.public_id}/edit/",
        {"module": str(module.public_id), "name": "Wise mind", "acronym": "WM", "summary": "New"},
    )
    assert edited.status_code == 302
    skill.refresh_from_db()
    assert (skill.acronym, skill.summary, skill.steps) == ("WM", "New", [])


def test_the_worksheet_page_imports_a_new_version_and_refuses_a_bad_one(
    world: World, client_for: Clients
) -> None:
    definition = skill_practice_log(world.organization)
    client = client_for(world.director)
    page = client.get("/practice/library/worksheets/")
    assert "Skill practice log" in page.content.decode()
    data = {
        "code": "skill-practice",
        "title": "Skill practice log",
        "fields": [*definition.fields, {"key": "where", "label": "Where", "type": "text"}],
    }
    created = client.post("/practice/library/worksheets/", {"definition": json.dumps(data)})
    assert created.status_code == 302
    assert WorksheetDefinition.objects.get(is_current=True).version == 2
    broken = client.post("/practice/library/worksheets/", {"definition": "{oops"})
    assert broken.status_code == 400
    assert "Line 1, column 2" in broken.content.decode()
    data["fields"] = [{"key": "where", "label": "", "type": "text"}]
    refused = client.post("/practice/library/worksheets/", {"definition": json.dumps(data)})
    assert refused.status_code == 400
    assert "fields[0] (where): label is required" in refused.content.decode()
    assert WorksheetDefinition.objects.count() == 2


def test_the_api_lists_the_library_and_worksheets_and_imports_for_directors(
    world: World, client_for: Clients
) -> None:
    seed_library(world.organization)
    clinician = client_for(world.clinician)
    modules = clinician.get(f"{API}/library").json()
    assert [m["name"] for m in modules][:2] == ["Mindfulness", "Distress tolerance"]
    acronyms = {s["acronym"] for m in modules for s in m["skills"]}
    assert {"DEAR MAN", "TIPP", "STOP", "ACCEPTS", "PLEASE", "HALT"} <= acronyms
    sheets = clinician.get(f"{API}/worksheets").json()
    assert len(sheets) == 5
    thought = clinician.get(f"{API}/worksheets/thought-record").json()
    assert thought["version"] == 1
    assert clinician.get(f"{API}/worksheets/thought-record?version=9").status_code == 404
    assert clinician.get(f"{API}/worksheets/nothing").status_code == 404

    data = {"code": "thought-record", "title": "Thought record", "fields": thought["fields"][:3]}
    assert clinician.post(f"{API}/worksheets", data, "application/json").status_code == 403
    director = client_for(world.director)
    created = director.post(f"{API}/worksheets", data, "application/json")
    assert created.status_code == 201
    assert created.json()["version"] == 2
    again = director.post(f"{API}/worksheets", data, "application/json")
    assert again.status_code == 200
    bad = director.post(f"{API}/worksheets", {**data, "fields": [{"key": "X"}]}, "application/json")
    assert bad.status_code == 400
    assert len(bad.json()["problems"]) == 3  # key, label, type
    everything = clinician.get(f"{API}/worksheets?all_versions=true").json()
    assert len(everything) == 6
    assert Client().get(f"{API}/library").status_code == 401


def test_the_library_page_has_a_fixed_number_of_queries(world: World, client_for: Clients) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.clinician)
    dear_man(world.organization)
    client.get("/practice/library/")
    with CaptureQueriesContext(connection) as small:
        client.get("/practice/library/")
    seed_library(world.organization)
    with CaptureQueriesContext(connection) as large:
        assert client.get("/practice/library/").status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)


def test_the_skill_taught_tonight_follows_the_series_topics(world: World) -> None:
    series = evening_dbt(world, dtstart=date(2026, 9, 7), topics=["Mindfulness", "DEAR MAN"])
    module = do_save_module(world.director, world.organization, name="Mindfulness")
    wise = do_save_skill(world.director, module, name="Wise mind", summary="Our words.")
    observe = do_save_skill(
        world.director, module, name="Observe", summary="Our words.", position=1
    )
    asking = dear_man(world.organization)
    do_link_topic(world.director, series, "Mindfulness", wise)
    do_link_topic(world.director, series, "Mindfulness", observe)
    do_link_topic(world.director, series, "Mindfulness", wise)  # idempotent
    do_link_topic(world.director, series, "DEAR MAN", asking)
    monday = Occurrence.objects.create(series=series, original_date=date(2026, 9, 7))
    wednesday = Occurrence.objects.create(series=series, original_date=date(2026, 9, 9))
    next_monday = Occurrence.objects.create(series=series, original_date=date(2026, 9, 14))
    assert skills_for_occurrence(monday) == [wise, observe]
    assert skill_for_occurrence(monday) == wise
    assert skill_for_occurrence(wednesday) == asking
    assert skill_for_occurrence(next_monday) == wise
    # A topic set on the occurrence itself wins over the rotation.
    wednesday.topic = "Mindfulness"
    wednesday.save()
    assert skill_for_occurrence(wednesday) == wise
    wednesday.topic = "Something else"
    wednesday.save()
    assert skill_for_occurrence(wednesday) is None


def test_a_topic_cannot_link_to_another_organizations_skill(world: World) -> None:
    from django.core.exceptions import ValidationError

    series = evening_dbt(world)
    other = do_create_organization(None, name="Elsewhere (test)", time_zone="UTC")
    with pytest.raises(ValidationError, match="another organization"):
        do_link_topic(world.director, series, "Mindfulness", dear_man(other))


def test_directors_link_and_unlink_topics_on_the_curriculum_page(
    world: World, client_for: Clients
) -> None:
    from trellis.practice.models import CurriculumLink

    series = evening_dbt(world, topics=["Mindfulness", "DEAR MAN"])
    skill = dear_man(world.organization)
    clinician = client_for(world.clinician)
    assert "DEAR MAN" in clinician.get("/practice/library/curriculum/").content.decode()
    post = {"series": str(series.public_id), "topic": "DEAR MAN", "skill": str(skill.public_id)}
    assert clinician.post("/practice/library/curriculum/", post).status_code == 403
    director = client_for(world.director)
    director.post("/practice/library/curriculum/", {**post, "topic": "Not a topic"})
    assert not CurriculumLink.objects.exists()
    assert director.post("/practice/library/curriculum/", post).status_code == 302
    link = CurriculumLink.objects.get()
    assert (link.series, link.topic, link.skill) == (series, "DEAR MAN", skill)
    page = director.get("/practice/library/curriculum/").content.decode()
    assert "Unlink DEAR MAN (Asking for what you need) from DEAR MAN" in page
    director.post("/practice/library/curriculum/", {"unlink": str(link.pk)})
    assert not CurriculumLink.objects.exists()
    assert director.post("/practice/library/curriculum/", {"unlink": "999"}).status_code == 404
