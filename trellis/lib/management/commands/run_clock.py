"""Enqueue periodic background jobs when they are due (see trellis/lib/periodic.py)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from trellis.lib.periodic import enqueue_due, registered


class Command(BaseCommand):
    help = "Enqueue periodic jobs when due. Run beside `manage.py db_worker`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between ticks")
        parser.add_argument("--once", action="store_true", help="One tick, then exit")

    def handle(self, *args: Any, **options: Any) -> None:
        names = ", ".join(job.name for job in registered()) or "none registered"
        self.stdout.write(f"Clock started: {names}")
        while True:
            for name in enqueue_due():
                self.stdout.write(f"enqueued {name}")
            if options["once"]:
                return
            time.sleep(options["interval"])
