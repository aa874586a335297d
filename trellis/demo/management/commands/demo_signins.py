"""`manage.py demo_signins`: print who to sign in as, with the shared demo password."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from trellis.accounts.models import User
from trellis.demo.cast import DEMO_PASSWORD, DEMO_URL, ORGANIZATION_NAME, sign_ins


class Command(BaseCommand):
    help = "Print the demo sign-ins (username, password, role, what they can see)."

    def handle(self, *args: Any, **options: Any) -> None:
        rows = sign_ins()
        existing = set(
            User.objects.filter(username__in=[username for username, _, _ in rows]).values_list(
                "username", flat=True
            )
        )
        rows = [row for row in rows if row[0] in existing]
        if not rows:
            self.stdout.write("No demo sign-ins in this database: run `manage.py seed_demo`.")
            return
        header = ("username", "password", "role", "can see")
        table = [header, *((username, DEMO_PASSWORD, role, sees) for username, role, sees in rows)]
        widths = [max(len(row[i]) for row in table) for i in range(3)]
        self.stdout.write(f"\n{ORGANIZATION_NAME}: open {DEMO_URL} and sign in as")
        self.stdout.write("")
        for number, row in enumerate(table):
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  " + "  ".join([*cells, row[3]]))
            if number == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in [*widths, len(row[3])]))
        self.stdout.write(
            f"\nNo sign-in needed: the public program finder at {DEMO_URL.rstrip('/')}/find/ "
            "(the national directory around Chicago; try ZIP 60607)."
        )
        self.stdout.write(
            f"\nEvery demo account shares the password {DEMO_PASSWORD!r}. "
            "The data is synthetic: never put real people in a demo.\n"
        )
