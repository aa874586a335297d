"""Find an instrument by code and version: bundled files first, then imported ones."""

from __future__ import annotations

from trellis.measures.models import ImportedInstrument
from trellis.measures.scoring import Instrument, InstrumentError, bundled, load_instrument
from trellis.measures.translations import localized

DEFAULT_CODES = ("PHQ-9", "GAD-7")


def get_instrument(
    code: str, version: str | None = None, *, language: str | None = None
) -> Instrument:
    """The instrument `code` at `version` (latest bundled, or latest imported, when None),
    as read in `language` when given: the published translation's wording where
    `translations.py` has one (PHQ-9 and GAD-7 in Spanish), else the English.

    Raises LookupError when there is no such instrument or version.
    """
    instrument = _get_instrument(code, version)
    return localized(instrument, language) if language else instrument


def _get_instrument(code: str, version: str | None) -> Instrument:
    shipped = bundled().get(code)
    if shipped is not None and (version is None or shipped.version == version):
        return shipped
    imported = ImportedInstrument.objects.filter(code=code)
    if version is not None:
        imported = imported.filter(version=version)
    row = imported.order_by("-imported_at").first()
    if row is None:
        wanted = f"{code} version {version}" if version else code
        raise LookupError(f"No instrument {wanted}.")
    try:
        return load_instrument(row.definition)
    except InstrumentError as error:  # validated on import; a hand-edited row is refused
        raise LookupError(f"Instrument {code} {row.version} is not valid: {error}") from error


def available_codes() -> list[str]:
    imported = ImportedInstrument.objects.values_list("code", flat=True).distinct()
    return sorted(set(bundled()) | set(imported))
