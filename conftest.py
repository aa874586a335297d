"""Shared fixtures: the personas world, signed-in clients and a query counter."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.personas import World, build_world
from tests.queries import CountQueries, QueryCount
from trellis.accounts.models import User


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    """A test client signed in as the given user (through the session, as a browser is)."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def count_queries() -> CountQueries:
    """Count the queries of a block, for the query-count tests of list pages:

    with count_queries() as small:
        client.get(url)
    ...
    assert small.count == large.count
    """
    return QueryCount
