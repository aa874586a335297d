"""`manage.py seed_demo`: load the synthetic demo organization (see docs/demo.md)."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from trellis.demo.cast import DEFAULT_PARTICIPANTS, DEFAULT_SEED, ORGANIZATION_NAME
from trellis.demo.seed import DEFAULT_WEEKS, demo_exists, load_demo


class ProgressBar:
    """A one-line text bar on stderr: redrawn in place on a terminal, every 10% otherwise."""

    WIDTH = 30

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out
        self.is_tty = out.isatty()
        self.last: tuple[str, int] = ("", -1)

    def __call__(self, stage: str, done: int, total: int) -> None:
        percent = 100 if total <= 0 else min(100, done * 100 // total)
        step = percent if self.is_tty else percent // 10 * 10
        if (stage, step) == self.last:
            return
        self.last = (stage, step)
        filled = self.WIDTH * percent // 100
        bar = "#" * filled + "." * (self.WIDTH - filled)
        line = f"{stage:<12} [{bar}] {percent:3d}%  {done}/{total}"
        if self.is_tty:
            self.out.write("\r" + line, ending="\n" if done >= total else "")
        else:
            self.out.write(line)
        self.out.flush()


class Command(BaseCommand):
    help = "Load a synthetic demo organization: three IOPs, 17 staff, N participants."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--participants",
            type=int,
            default=DEFAULT_PARTICIPANTS,
            help=f"How many participants to create (default {DEFAULT_PARTICIPANTS}).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed; same seed and date, same data (default {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="Pretend today is this date (YYYY-MM-DD); default: today in America/Chicago.",
        )
        parser.add_argument(
            "--weeks",
            type=int,
            default=DEFAULT_WEEKS,
            help=(
                f"Weeks of clinical history (sessions and attendance, check-ins) "
                f"(default {DEFAULT_WEEKS}; 0 for none)."
            ),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if an organization already exists (make demo uses this).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count: int = options["participants"]
        if count < 0:
            raise CommandError("--participants must be 0 or more.")
        if not 0 <= options["weeks"] <= 104:
            raise CommandError("--weeks must be between 0 and 104.")
        if demo_exists():
            if options["if_empty"]:
                self.stdout.write(
                    "An organization already exists: leaving the data as it is "
                    "(make demo RESET=1 starts over)."
                )
                return
            raise CommandError(
                "The database already has an organization. Seed an empty database "
                "(make demo RESET=1 starts over), or pass --if-empty to skip."
            )
        started = time.perf_counter()
        progress = ProgressBar(self.stderr)
        result = load_demo(
            participants=count,
            seed=options["seed"],
            today=options["today"],
            weeks=options["weeks"],
            progress=progress,
        )
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {ORGANIZATION_NAME}: {result.staff} staff, {result.participants} "
                f"participants, {result.episodes} episodes, {result.care_team_members} care "
                f"team roles (seed {options['seed']}, dates relative to {result.today}) "
                f"in {seconds:.1f} s."
            )
        )
