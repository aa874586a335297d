"""`manage.py import_directory FILE…`: load National Directory workbooks and locator exports."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trellis.directory.importing import import_directory
from trellis.directory.reading import DirectoryFileError, read_directory_file


class Command(BaseCommand):
    help = (
        "Import SAMHSA National Directory workbooks (.xlsx) or FindTreatment.gov locator exports "
        "(.csv/.xlsx). Idempotent; each file lands whole or not at all (docs/finder.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument(
            "--kind", choices=["su", "mh"], help="Which directory, when the file name does not say."
        )
        parser.add_argument("--year", type=int, help="The directory year, when the name lacks it.")
        parser.add_argument(
            "--survey-year", type=int, help="The survey year (default: the directory year − 1)."
        )
        parser.add_argument(
            "--state",
            action="append",
            default=[],
            help="Only this state's rows (two letters; repeat for several). A regional import "
            "withdraws listings only within its states.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files: list[Path] = options["files"]
        for path in files:
            started = time.monotonic()
            self._bar_shown = False
            try:
                data = read_directory_file(
                    path,
                    kind=options["kind"],
                    year=options["year"],
                    survey_year=options["survey_year"],
                    states=options["state"],
                )
                run = import_directory(data, progress=self._progress)
            except DirectoryFileError as error:
                self._end_bar()
                raise CommandError(f"{error} Nothing was imported from {path.name}.") from error
            self._end_bar()
            seconds = time.monotonic() - started
            survey = f", survey year {run.survey_year}" if run.survey_year else ""
            if run.states:
                survey += f", only {run.states}"
            lines = [
                f"{path.name}: {run.get_kind_display()} {run.directory_year}{survey}, "
                f"{run.rows:,} rows in {seconds:.1f} s",
                f"  added {run.added:,} · updated {run.updated:,} · unchanged {run.unchanged:,}"
                f" · withdrawn {run.withdrawn:,}",
            ]
            if run.merged_rows:
                lines.append(
                    f"  {run.merged_rows:,} rows repeat another row's name and address: merged"
                )
            if run.unknown_codes:
                listed = ", ".join(f"{code} ({n})" for code, n in run.unknown_codes.items())
                lines.append(f"  codes the codebook does not define (kept): {listed}")
            else:
                lines.append("  unknown codes: none")
            self.stdout.write("\n".join(lines))

    def _progress(self, stage: str, done: int, total: int) -> None:
        stream = sys.stderr
        if not stream.isatty():
            return
        if total:
            width = 30
            filled = int(width * done / total)
            text = f"\r  {stage:<10} [{'#' * filled}{' ' * (width - filled)}] {done:,}/{total:,}"
        else:
            text = f"\r  {stage:<10} {done:,} written" + " " * 20
        stream.write(text)
        stream.flush()
        self._bar_shown = True

    def _end_bar(self) -> None:
        if getattr(self, "_bar_shown", False):
            sys.stderr.write("\n")
            self._bar_shown = False
