"""The published API document tells the truth: every operation, called in-process with
generated input and real ids, answers as documented and never with a 5xx.

Short and deterministic on purpose (derandomized Hypothesis, a few examples an operation,
positive input only): a contract check that runs with the suite, not a fuzzing campaign.
Run `schemathesis run` against a dev server for that.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from pydantic import BaseModel
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.personas import World
from tests.test_url_access import parameter_values
from trellis.accounts.actions import do_create_api_token
from trellis.wsgi import application

EXAMPLES_PER_OPERATION = 3
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_keeps_the_test_connection() -> Iterator[None]:
    """Calls go straight to the WSGI handler, whose request signals would close the database
    connection the test's transaction lives in (Django's test client unhooks them too)."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


def real_path_values(values: dict[str, str], path: str) -> dict[str, Any]:
    """The walk's ids for the protected participant (data in every app), so operations reach
    their real answers and not only 404. `public_id` names a different thing per path."""
    public_id = values["public_id"]
    if path.startswith("/api/v1/episodes/"):
        public_id = values["episode_id"]
    elif path.startswith("/api/v1/programs/"):
        public_id = values["program_id"]
    elif path.startswith("/api/v1/tracks/"):
        public_id = values["track_id"]
    return values | {"public_id": public_id, "feed_id": values["token_id"]}


def test_every_operation_answers_as_its_schema_says(
    world: World, wsgi_keeps_the_test_connection: None
) -> None:
    values = parameter_values(world, world.participant)
    _, token = do_create_api_token(world.director, name="contract")
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    failures: list[str] = []
    answered: dict[str, set[int]] = {}
    operations = 0
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result.err()  # the document itself is valid
        operation = result.ok()
        operations += 1
        name = f"{operation.method.upper()} {operation.path}"
        wanted = {p.name for p in operation.path_parameters}
        known = real_path_values(values, operation.path)
        strategy = operation.as_strategy(
            path_parameters={name: known[name] for name in wanted if name in known}
        )

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def call(case: Any) -> None:
            response = case.call(headers=headers)
            answered.setdefault(name, set()).add(response.status_code)  # noqa: B023  # called at once
            case.validate_response(response, checks=CHECKS)

        try:
            call()
        except (Exception, BaseExceptionGroup) as error:  # collect every failure, fail once
            failures.append(f"{name}: {error}")
    assert operations >= 50
    # Guards the guard: the token works and the real ids reach real answers.
    succeeded = [name for name, codes in answered.items() if any(200 <= c < 300 for c in codes)]
    assert len(succeeded) >= 30, sorted(answered.items())
    assert failures == [], "\n\n".join(failures)


def test_no_two_api_schemas_share_a_name(db: None) -> None:
    """Two schemas of one name become one component of the document: one of the two
    operations then documents the other's shape (as a plans 409 once did with notes')."""
    document = json.loads(Client().get("/api/v1/openapi.json").content)
    names: dict[str, set[str]] = {}

    def walk(cls: type[Any]) -> None:
        subclasses: list[type[Any]] = cls.__subclasses__()
        for sub in subclasses:
            if sub.__module__.startswith("trellis."):
                names.setdefault(sub.__name__, set()).add(sub.__module__)
            walk(sub)

    walk(BaseModel)
    walk(enum.Enum)  # choices become components too
    components = set(document["components"]["schemas"])
    assert components <= set(names)
    clashes = {name: names[name] for name in components if len(names[name]) > 1}
    assert clashes == {}


@pytest.mark.parametrize("value", ["09:00:00", "18:30"])
def test_a_wall_clock_time_is_what_the_document_says(db: None, value: str) -> None:
    document = json.loads(Client().get("/api/v1/openapi.json").content)
    start_time = document["components"]["schemas"]["SeriesOut"]["properties"]["start_time"]
    assert "format" not in start_time
    assert re.match(start_time["pattern"], value)
