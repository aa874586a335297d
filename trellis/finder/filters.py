"""The finder's filter groups (docs/finder.md, "Searching"): which codebook categories each
group shows. The options themselves come from the imported codebooks, never from a list here,
so a new year's codes appear without a code change."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from trellis.directory.models import ServiceCode

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


@dataclass(frozen=True)
class FilterGroup:
    key: str
    label: str | _StrPromise
    categories: tuple[str, ...]
    help: str | _StrPromise = ""


@dataclass
class Option:
    code: str
    name: str
    count: int = 0
    checked: bool = False


@dataclass
class GroupOptions:
    group: FilterGroup
    options: list[Option] = field(default_factory=list)


FILTER_GROUPS: tuple[FilterGroup, ...] = (
    FilterGroup(
        "care",
        _("Level of care"),
        ("SET",),
        _(
            "Only the substance use directory records intensive outpatient treatment. For "
            "places listed only in the mental health directory it is unknown, not “no”."
        ),
    ),
    FilterGroup("focus", _("Treats"), ("TC",)),
    FilterGroup("age", _("Ages"), ("AGE",)),
    FilterGroup("pay", _("Payment and help paying"), ("PAY", "PYAS")),
    FilterGroup("language", _("Languages"), ("SL", "OL")),
    FilterGroup("approach", _("Approaches and telehealth"), ("TAP",)),
    FilterGroup("groups", _("Programs for"), ("SG",)),
)
GROUPS_BY_KEY = {group.key: group for group in FILTER_GROUPS}
# The code that says a facility offers intensive outpatient treatment (substance use directory).
INTENSIVE_OUTPATIENT = "OIT"


def codebook_options() -> dict[str, list[Option]]:
    """Each group's options from the codebooks in the database: one query. A code both
    directories define appears once (their names agree; the substance use name wins)."""
    by_category: dict[str, str] = {}
    for group in FILTER_GROUPS:
        for category in group.categories:
            by_category[category] = group.key
    options: dict[str, dict[str, Option]] = {group.key: {} for group in FILTER_GROUPS}
    rows = (
        ServiceCode.objects.filter(category_code__in=list(by_category))
        .order_by("-kind", "id")  # su before mh: its codebook lists intensive outpatient
        .values_list("category_code", "code", "name")
    )
    for category, code, name in rows:
        found = options[by_category[category]]
        if code not in found:
            found[code] = Option(code, name.strip())
    return {key: list(found.values()) for key, found in options.items()}
