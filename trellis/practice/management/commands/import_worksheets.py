"""Import worksheet definitions (JSON files, docs/practice.md); refuses invalid files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from trellis.practice.actions.library import builtin_worksheet_files, check_import_worksheets
from trellis.programs.models import Organization


class Command(BaseCommand):
    help = (
        "Import worksheet definitions from JSON files (or --builtin). Every file is checked "
        "first; if any is invalid, every problem is listed and nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path)
        parser.add_argument("--builtin", action="store_true", help="The five built-in sheets")
        parser.add_argument("--organization", help="Organization name (if more than one)")

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[Path] = list(options["paths"])
        if options["builtin"]:
            paths.extend(builtin_worksheet_files())
        if not paths:
            raise CommandError("Name at least one JSON file, or --builtin.")
        organization = _organization(options.get("organization"))
        files: list[tuple[str, Any]] = []
        for path in paths:
            try:
                files.append((path.name, json.loads(path.read_text(encoding="utf-8"))))
            except (OSError, json.JSONDecodeError) as error:
                raise CommandError(f"{path}: cannot read JSON: {error}") from error
        try:
            rows = check_import_worksheets(None, organization, files)
        except ValidationError as error:
            raise CommandError("Nothing imported.\n" + "\n".join(error.messages)) from error
        for row, created in rows:
            state = "imported" if created else "unchanged"
            self.stdout.write(f"{row.code} version {row.version}: {state}.")


def _organization(name: str | None) -> Organization:
    if name:
        try:
            return Organization.objects.get(name=name)
        except Organization.DoesNotExist:
            raise CommandError(f"No organization named {name!r}.") from None
    organizations = list(Organization.objects.all()[:2])
    if len(organizations) != 1:
        raise CommandError("Name the organization with --organization.")
    return organizations[0]
