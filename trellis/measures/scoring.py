"""Instruments as data, and the scoring engine: pure functions, no database.

An instrument file (trellis/measures/instruments/*.json, or one a program imports) is
`{"questionnaire": <FHIR R4B Questionnaire>, "scoring": <our scoring section>}`. The
Questionnaire carries the items, answer codes and ordinal values; the scoring section says
how to add them up: items, reversed items, subscales (PCL-5 clusters), the missing-item rule,
bands, caseness, critical items and change parameters. docs/measures.md describes the format.

Every rule here comes from the instrument's data, never from its code, so a program can
change a threshold (GAD-7 reliable change 4 or 6, docs/domain.md §4) without a release.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

ORDINAL_EXTENSION = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
BUNDLED_DIR = Path(__file__).resolve().parent / "instruments"


class InstrumentError(ValueError):
    """An instrument file that cannot be used; the message says where and why."""


class AnswerError(ValueError):
    """Answers that do not fit the instrument (unknown item or answer code, missing item).

    `errors` maps a linkId (or "" for the response as a whole) to a message.
    """

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k or 'response'}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class AnswerOption:
    code: str
    display: str
    value: int
    system: str


@dataclass(frozen=True)
class Item:
    link_id: str
    text: str
    required: bool
    options: tuple[AnswerOption, ...]
    loinc: str = ""

    def option(self, code: str) -> AnswerOption | None:
        return next((o for o in self.options if o.code == code), None)

    @property
    def max_value(self) -> int:
        return max(o.value for o in self.options)

    @property
    def min_value(self) -> int:
        return min(o.value for o in self.options)


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    code: str
    label: str


@dataclass(frozen=True)
class Subscale:
    code: str
    label: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class CriticalRule:
    item: str
    above: int
    priority: str
    label: str
    detail: str = ""  # what staff must do, in the alert; empty: the default follow-up text
    # A rule on the screen's result (`critical_bands`: the ASQ's positive and acute results)
    # names the band; `items` are then the answers that made it (shown to the clinician).
    band: str = ""
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Acuity:
    """A follow-up item asked only when the screen is positive (the ASQ's item 5): a
    positive answer turns the result into its own band (acute positive), whatever the
    total. The ASQ's rule, kept in its data rather than as a sum band."""

    item: str
    asked_when_total_above: int
    above: int
    code: str
    label: str


@dataclass(frozen=True)
class ChangeRules:
    mcid: float | None = None
    reliable_change: float | None = None  # points; or computed from sd and reliability
    sd: float | None = None
    reliability: float | None = None
    response_drop: float | None = None  # fraction of baseline, e.g. 0.5
    remission_below: float | None = None

    @property
    def reliable_threshold(self) -> float | None:
        """Points of change that count as reliable: the instrument's own threshold, or
        Jacobson & Truax: 1.96 · √2 · SD · √(1 − r) (docs/domain.md §4)."""
        if self.reliable_change is not None:
            return self.reliable_change
        if self.sd is not None and self.reliability is not None:
            return 1.96 * math.sqrt(2) * self.sd * math.sqrt(1 - self.reliability)
        return None


@dataclass(frozen=True)
class Instrument:
    code: str
    version: str
    title: str
    short_title: str
    url: str
    copyright: str
    stem: str
    items: tuple[Item, ...]  # every answerable item, in order (scored and unscored)
    scored: tuple[str, ...]
    reversed: frozenset[str]
    low: int
    high: int
    max_missing: int
    missing_method: str  # "prorate" or "refuse"
    bands: tuple[Band, ...]
    subscales: tuple[Subscale, ...]
    critical: tuple[CriticalRule, ...]
    change: ChangeRules
    caseness: float | None
    panel_code: str
    total_code: str
    total_display: str
    questionnaire: Mapping[str, Any] = field(repr=False, compare=False, hash=False)
    raw: Mapping[str, Any] = field(repr=False, compare=False, hash=False)
    acuity: Acuity | None = None
    critical_bands: tuple[CriticalRule, ...] = ()

    def asks_acuity(self, answers: Mapping[str, str]) -> bool:
        """Whether these answers call for the acuity item (the ASQ's item 5)."""
        if self.acuity is None:
            return False
        positive = sum(
            _answer_value(self, link_id, answers) for link_id in self.scored if link_id in answers
        )
        return positive > self.acuity.asked_when_total_above

    @property
    def key(self) -> str:
        return f"{self.code}|{self.version}"

    def item(self, link_id: str) -> Item | None:
        return next((i for i in self.items if i.link_id == link_id), None)

    def band_for(self, total: int) -> Band:
        for band in self.bands:
            if band.low <= total <= band.high:
                return band
        raise ValueError(f"{total} is outside {self.code}'s range {self.low}-{self.high}")


@dataclass(frozen=True)
class ScoreResult:
    total: int | None  # None: too many items missing to score (the instrument's rule)
    raw_sum: int
    band: Band | None
    subscales: dict[str, int]
    answered: int
    missing: tuple[str, ...]
    prorated: bool
    critical: tuple[CriticalRule, ...]

    @property
    def incomplete(self) -> bool:
        """Scored from incomplete answers (or not scored at all): say so wherever it shows."""
        return bool(self.missing)


# --- loading and validating -----------------------------------------------------------------


def _require(data: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in data:
        raise InstrumentError(f"{where}: “{key}” is missing.")
    return data[key]


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value:
        raise InstrumentError(f"{where}: expected a whole number, got {value!r}.")
    return int(value)


def _number(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InstrumentError(f"{where}: expected a number, got {value!r}.")
    return float(value)


def _options(raw: Mapping[str, Any], where: str) -> tuple[AnswerOption, ...]:
    options = []
    for n, option in enumerate(_require(raw, "answerOption", where)):
        spot = f"{where} answerOption {n + 1}"
        coding = option.get("valueCoding") if isinstance(option, Mapping) else None
        if not isinstance(coding, Mapping) or not coding.get("code"):
            raise InstrumentError(f"{spot}: needs a valueCoding with a code.")
        ordinal = [
            e.get("valueDecimal", e.get("valueInteger"))
            for e in [*coding.get("extension", []), *option.get("extension", [])]
            if e.get("url") == ORDINAL_EXTENSION
        ]
        if not ordinal:
            raise InstrumentError(f"{spot}: needs an ordinalValue extension (its score).")
        options.append(
            AnswerOption(
                code=str(coding["code"]),
                display=str(coding.get("display", coding["code"])),
                value=_int(ordinal[0], f"{spot} ordinalValue"),
                system=str(coding.get("system", "")),
            )
        )
    if not options:
        raise InstrumentError(f"{where}: has no answer options.")
    if len({o.code for o in options}) != len(options):
        raise InstrumentError(f"{where}: two answer options share a code.")
    return tuple(options)


def _loinc(codes: Any) -> str:
    for coding in codes or []:
        if coding.get("system") == "http://loinc.org" and coding.get("code"):
            return str(coding["code"])
    return ""


def load_instrument(data: Mapping[str, Any]) -> Instrument:
    """Parse and validate one instrument file's content; InstrumentError says what is wrong."""
    if not isinstance(data, Mapping):
        raise InstrumentError("The file must hold a JSON object.")
    questionnaire = _require(data, "questionnaire", "file")
    scoring = _require(data, "scoring", "file")
    if questionnaire.get("resourceType") != "Questionnaire":
        raise InstrumentError("questionnaire: resourceType must be “Questionnaire”.")
    version = str(_require(questionnaire, "version", "questionnaire"))
    code = str(_require(scoring, "code", "scoring"))
    stem = ""
    items: list[Item] = []
    for n, raw in enumerate(_require(questionnaire, "item", "questionnaire")):
        where = f"questionnaire item {n + 1}"
        link_id = str(_require(raw, "linkId", where))
        if raw.get("type") == "display":
            stem = stem or str(raw.get("text", ""))
            continue
        if raw.get("type") != "choice":
            raise InstrumentError(f"{where} ({link_id}): only choice and display items are scored.")
        items.append(
            Item(
                link_id=link_id,
                text=str(_require(raw, "text", where)),
                required=bool(raw.get("required", False)),
                options=_options(raw, f"{where} ({link_id})"),
                loinc=_loinc(raw.get("code")),
            )
        )
    link_ids = [i.link_id for i in items]
    if len(set(link_ids)) != len(link_ids):
        raise InstrumentError("questionnaire: two items share a linkId.")
    if scoring.get("method", "sum") != "sum":
        raise InstrumentError("scoring: method must be “sum” (the only one supported).")
    scored = tuple(str(x) for x in _require(scoring, "items", "scoring"))
    unknown = [x for x in scored if x not in link_ids]
    if unknown or not scored:
        raise InstrumentError(
            f"scoring items: not in the questionnaire: {unknown or 'none given'}."
        )
    reversed_items = frozenset(str(x) for x in scoring.get("reversed", []))
    if not reversed_items <= set(scored):
        raise InstrumentError("scoring reversed: every reversed item must be a scored item.")
    by_id = {i.link_id: i for i in items}
    low = sum(by_id[x].min_value for x in scored)
    high = sum(by_id[x].max_value for x in scored)
    declared = scoring.get("range")
    if declared is not None and [_int(v, "scoring range") for v in declared] != [low, high]:
        raise InstrumentError(
            f"scoring range: declared {declared} but the items add up to {low}-{high}."
        )
    missing = scoring.get("missing", {"max_missing": 0, "method": "refuse"})
    max_missing = _int(missing.get("max_missing", 0), "scoring missing max_missing")
    method = str(missing.get("method", "refuse"))
    if method not in {"prorate", "refuse"} or (method == "refuse" and max_missing):
        raise InstrumentError("scoring missing: method is “prorate” or “refuse” (max_missing 0).")
    if max_missing >= len(scored):
        raise InstrumentError("scoring missing: max_missing must leave at least one item.")
    bands = tuple(
        Band(
            _int(b["min"], "scoring band min"),
            _int(b["max"], "scoring band max"),
            str(b["code"]),
            str(b["label"]),
        )
        for b in _require(scoring, "bands", "scoring")
    )
    _check_bands(bands, low, high)
    subscales = tuple(
        Subscale(str(s["code"]), str(s["label"]), tuple(str(x) for x in s["items"]))
        for s in scoring.get("subscales", [])
    )
    for sub in subscales:
        if not set(sub.items) <= set(scored):
            raise InstrumentError(f"scoring subscale {sub.code}: items must be scored items.")
    critical = tuple(
        CriticalRule(
            str(c["item"]),
            _int(c.get("above", 0), "scoring critical above"),
            str(c.get("priority", "urgent")),
            str(c.get("label", "")),
            str(c.get("detail", "")),
        )
        for c in scoring.get("critical", [])
    )
    for rule in critical:
        if rule.item not in link_ids:
            raise InstrumentError(
                f"scoring critical: item {rule.item} is not in the questionnaire."
            )
        if rule.priority not in {"urgent", "high", "normal"}:
            raise InstrumentError("scoring critical: priority is urgent, high or normal.")
    acuity = _acuity(scoring.get("acuity"), link_ids, scored)
    band_codes = {b.code for b in bands} | ({acuity.code} if acuity else set())
    critical_bands = tuple(
        CriticalRule(
            item=str(c["band"]),
            above=0,
            priority=str(c.get("priority", "urgent")),
            label=str(c.get("label", "")),
            detail=str(c.get("detail", "")),
            band=str(c["band"]),
        )
        for c in scoring.get("critical_bands", [])
    )
    for rule in critical_bands:
        if rule.band not in band_codes:
            raise InstrumentError(f"scoring critical_bands: no band “{rule.band}”.")
        if rule.priority not in {"urgent", "high", "normal"}:
            raise InstrumentError("scoring critical_bands: priority is urgent, high or normal.")
    change_raw = scoring.get("change", {}) or {}
    change = ChangeRules(
        mcid=_number(change_raw.get("mcid"), "scoring change mcid"),
        reliable_change=_number(change_raw.get("reliable_change"), "scoring change"),
        sd=_number(change_raw.get("sd"), "scoring change sd"),
        reliability=_number(change_raw.get("reliability"), "scoring change reliability"),
        response_drop=_number(change_raw.get("response_drop"), "scoring change response_drop"),
        remission_below=_number(change_raw.get("remission_below"), "scoring change remission"),
    )
    if change.reliability is not None and not 0 <= change.reliability < 1:
        raise InstrumentError("scoring change reliability: must be at least 0 and below 1.")
    total = scoring.get("total_code") or {}
    return Instrument(
        code=code,
        version=version,
        title=str(scoring.get("title", questionnaire.get("title", code))),
        short_title=str(scoring.get("short_title", code)),
        url=str(questionnaire.get("url", "")),
        copyright=str(questionnaire.get("copyright", "")),
        stem=stem,
        items=tuple(items),
        scored=scored,
        reversed=reversed_items,
        low=low,
        high=high,
        max_missing=max_missing,
        missing_method=method,
        bands=bands,
        subscales=subscales,
        critical=critical,
        change=change,
        caseness=_number(scoring.get("caseness"), "scoring caseness"),
        panel_code=_loinc(questionnaire.get("code")),
        total_code=str(total.get("code", "")) if total.get("system") == "http://loinc.org" else "",
        total_display=str(total.get("display", f"{code} total score")),
        questionnaire=questionnaire,
        raw=data,
        acuity=acuity,
        critical_bands=critical_bands,
    )


def _acuity(raw: Any, link_ids: Sequence[str], scored: Sequence[str]) -> Acuity | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise InstrumentError("scoring acuity: expected an object.")
    acuity = Acuity(
        item=str(_require(raw, "item", "scoring acuity")),
        asked_when_total_above=_int(raw.get("asked_when_total_above", 0), "scoring acuity"),
        above=_int(raw.get("above", 0), "scoring acuity above"),
        code=str(_require(raw, "code", "scoring acuity")),
        label=str(_require(raw, "label", "scoring acuity")),
    )
    if acuity.item not in link_ids or acuity.item in scored:
        raise InstrumentError("scoring acuity: item must be an unscored item of the questionnaire.")
    return acuity


def _check_bands(bands: Sequence[Band], low: int, high: int) -> None:
    """Bands must cover the whole range once, in order, with no gap or overlap."""
    if not bands:
        raise InstrumentError("scoring bands: at least one band is needed.")
    expected = low
    for band in bands:
        if band.low != expected or band.high < band.low:
            raise InstrumentError(
                f"scoring bands: band “{band.code}” should start at {expected} "
                f"(bands cover {low}-{high} in order, without gaps or overlaps)."
            )
        expected = band.high + 1
    if expected != high + 1:
        raise InstrumentError(f"scoring bands: the last band must end at {high}.")


@cache
def bundled() -> dict[str, Instrument]:
    """The instruments that ship with Trellis, by code (latest version of each)."""
    found: dict[str, Instrument] = {}
    for path in sorted(BUNDLED_DIR.glob("*.json")):
        try:
            instrument = load_instrument(json.loads(path.read_text(encoding="utf-8")))
        except (InstrumentError, json.JSONDecodeError, KeyError, TypeError) as error:
            raise InstrumentError(f"{path.name}: {error}") from error
        found[instrument.code] = instrument
    return found


# --- scoring --------------------------------------------------------------------------------


def _round_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def validate_answers(instrument: Instrument, answers: Mapping[str, str]) -> None:
    """Refuse unknown items and unknown answer codes (AnswerError lists every problem)."""
    errors: dict[str, str] = {}
    for link_id, code in answers.items():
        item = instrument.item(link_id)
        if item is None:
            errors[link_id] = f"{instrument.code} has no item “{link_id}”."
        elif not isinstance(code, str) or item.option(code) is None:
            errors[link_id] = f"“{code}” is not one of this item's answers."
    if errors:
        raise AnswerError(errors)


def check_complete(instrument: Instrument, answers: Mapping[str, str]) -> None:
    """Refuse a submission that leaves a required item unanswered."""
    missing = {
        i.link_id: "This question needs an answer."
        for i in instrument.items
        if i.required and i.link_id not in answers
    }
    acuity = instrument.acuity
    if acuity is not None and acuity.item not in answers and instrument.asks_acuity(answers):
        missing[acuity.item] = "This question needs an answer."
    if missing:
        raise AnswerError(missing)


def score(instrument: Instrument, answers: Mapping[str, str]) -> ScoreResult:
    """Score answers ({linkId: answer code}). Pure: the same answers always give the same score.

    Missing items follow the instrument's rule: prorate (sum × items ÷ answered, rounded half
    up) with at most `max_missing` missing, otherwise no total. PHQ-9 prorates 1-2 missing
    items and refuses with more (docs/domain.md §4, kept in phq-9.json).
    """
    validate_answers(instrument, answers)
    values: dict[str, int] = {}
    for link_id in instrument.scored:
        code = answers.get(link_id)
        if code is None:
            continue
        item = instrument.item(link_id)
        assert item is not None  # noqa: S101  # load_instrument checked scored items exist
        option = item.option(code)
        assert option is not None  # noqa: S101  # validate_answers checked the code
        value = option.value
        if link_id in instrument.reversed:
            value = item.max_value + item.min_value - value
        values[link_id] = value
    missing = tuple(x for x in instrument.scored if x not in values)
    raw_sum = sum(values.values())
    total: int | None
    prorated = False
    if not missing:
        total = raw_sum
    elif len(missing) <= instrument.max_missing and instrument.missing_method == "prorate":
        total = _round_half_up(Decimal(raw_sum) * len(instrument.scored) / len(values))
        prorated = True
    else:
        total = None
    # A critical item counts whenever it is answered, whatever else is missing: PHQ-9 item 9
    # > 0 is always urgent and never buried in a score (docs/domain.md §4).
    critical = tuple(
        rule
        for rule in instrument.critical
        if rule.item in answers and _answer_value(instrument, rule.item, answers) > rule.above
    )
    band = instrument.band_for(total) if total is not None else None
    acuity = instrument.acuity
    if (
        band is not None
        and acuity is not None
        and instrument.asks_acuity(answers)
        and acuity.item in answers
        and _answer_value(instrument, acuity.item, answers) > acuity.above
    ):
        band = Band(band.low, band.high, acuity.code, acuity.label)
    if band is not None:
        made_it = tuple(x for x in instrument.scored if values.get(x, 0) > 0)
        if acuity is not None and band.code == acuity.code:
            made_it += (acuity.item,)
        critical += tuple(
            replace(rule, items=made_it)
            for rule in instrument.critical_bands
            if rule.band == band.code
        )
    subscales = {
        sub.code: sum(values[x] for x in sub.items)
        for sub in instrument.subscales
        if all(x in values for x in sub.items)
    }
    return ScoreResult(
        total=total,
        raw_sum=raw_sum,
        band=band,
        subscales=subscales,
        answered=len(values),
        missing=missing,
        prorated=prorated,
        critical=critical,
    )


def _answer_value(instrument: Instrument, link_id: str, answers: Mapping[str, str]) -> int:
    item = instrument.item(link_id)
    option = item.option(answers[link_id]) if item else None
    return option.value if option else 0
