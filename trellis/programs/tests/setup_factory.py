"""An organization administrator for the set-up page tests."""

from __future__ import annotations

from tests.personas import World, make_staff
from trellis.accounts.models import User
from trellis.programs.models import Role


def make_administrator(world: World) -> User:
    return make_staff("ada.admin", "Ada", "Admin", world.organization, Role.ADMINISTRATOR)
