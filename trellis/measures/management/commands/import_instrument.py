"""Import an instrument: a JSON file with a FHIR Questionnaire and our scoring section."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from trellis.measures.actions import check_import_instrument


class Command(BaseCommand):
    help = "Import an instrument (docs/measures.md describes the file); refuses invalid files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise CommandError(f"{path}: cannot read JSON: {error}") from error
        try:
            row = check_import_instrument(None, data)
        except ValidationError as error:
            raise CommandError(f"{path}: {' '.join(error.messages)}") from error
        self.stdout.write(f"Imported {row.code} version {row.version}.")
