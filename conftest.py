"""Shared fixtures: the personas world and signed-in clients."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.personas import World, build_world
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
