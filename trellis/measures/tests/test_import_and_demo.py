"""Importing an instrument with validation, and the demo histories."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.personas import World
from trellis.measures.demo import seed_measure_history
from trellis.measures.models import Score
from trellis.measures.registry import get_instrument
from trellis.measures.scoring import bundled
from trellis.measures.tests.factories import answers_for, open_checkin
from trellis.worklist.models import Alert, AlertKind, AlertStatus


def custom_instrument() -> dict[str, object]:
    data = copy.deepcopy(dict(bundled()["GAD-2"].raw))
    data["scoring"]["code"] = "WORRY-2"
    data["questionnaire"]["url"] = "https://example.org/Questionnaire/worry-2"
    return data


def test_import_instrument_command_validates_and_stores(tmp_path: Path, db: None) -> None:
    good = tmp_path / "worry.json"
    good.write_text(json.dumps(custom_instrument()))
    call_command("import_instrument", str(good))
    assert get_instrument("WORRY-2").high == 6
    with pytest.raises(CommandError, match="already imported"):
        call_command("import_instrument", str(good))
    bad = custom_instrument()
    bad["scoring"]["bands"] = []  # type: ignore[index]
    bad_file = tmp_path / "bad.json"
    bad_file.write_text(json.dumps(bad))
    with pytest.raises(CommandError, match="at least one band"):
        call_command("import_instrument", str(bad_file))
    shipped = tmp_path / "phq9.json"
    shipped.write_text(json.dumps(dict(bundled()["PHQ-9"].raw)))
    with pytest.raises(CommandError, match="ships with Trellis"):
        call_command("import_instrument", str(shipped))


def test_an_imported_instrument_can_be_administered_and_scored(
    world: World, tmp_path: Path
) -> None:
    from trellis.measures.actions import check_import_instrument, check_submit_response

    check_import_instrument(None, custom_instrument())
    administration = open_checkin(world.participant, "WORRY-2")
    response = check_submit_response(
        None, administration, answers_for(get_instrument("WORRY-2"), 4), channel="portal"
    )
    assert Score.objects.get(response=response).instrument_code == "WORRY-2"


def test_demo_histories_are_realistic_and_item_9_alerts_are_followed_up(world: World) -> None:
    seed_measure_history(world.organization, rng=random.Random(7), weeks=12)
    assert Score.objects.filter(instrument_code="PHQ-9").count() >= 3
    assert Score.objects.filter(instrument_code="GAD-7").count() >= 3
    critical = Alert.objects.filter(kind=AlertKind.CRITICAL_ITEM)
    assert 1 <= critical.count() <= 2
    assert all(a.status == AlertStatus.RESOLVED and a.risk_assessment_done for a in critical)
