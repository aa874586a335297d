"""The public finder (docs/finder.md): search the national directory near a place, and one
listing's page. No sign-in, nothing stored about the person searching: the search is a GET
whose parameters are the form's, and the logs drop query strings (lib/logging.py)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from trellis.directory import geo
from trellis.directory.models import (
    DirectoryImport,
    Listing,
    ListingCode,
    ListingSource,
    ServiceCode,
)
from trellis.directory.queries import Nearby, search_near
from trellis.finder.filters import (
    FILTER_GROUPS,
    INTENSIVE_OUTPATIENT,
    GroupOptions,
    codebook_options,
)
from trellis.finder.forms import SearchForm
from trellis.lib.ids import lookup_id

PAGE_SIZE = 20


@dataclass
class Result:
    listing: Listing
    nearby: Nearby
    reasons: list[str] = field(default_factory=list)
    intensive_outpatient: str = ""


def _reasons(nearby: Nearby, chosen: dict[str, frozenset[str]], names: dict[str, str]) -> list[str]:
    """Why the listing is in the results, in words: the distance, then each chosen filter's
    codes the listing has."""
    reasons = [_("%(miles).1f miles away") % {"miles": nearby.miles}]
    for group in FILTER_GROUPS:
        matched = sorted(chosen.get(group.key, frozenset()) & nearby.codes)
        reasons.extend(names[code] for code in matched if code in names)
    return reasons


def _intensive_outpatient_answer(codes: frozenset[str], kinds: frozenset[str]) -> str:
    """Whether a place offers intensive outpatient treatment, as the directory can say it:
    only the substance use directory has the code, so for the others it is unknown."""
    if INTENSIVE_OUTPATIENT in codes:
        return _("yes")
    if "su" in kinds:
        return _("not listed")
    return _("not recorded (the mental health directory has no such code)")


def _intensive_outpatient(codes: frozenset[str], kinds: frozenset[str]) -> str:
    answer = _intensive_outpatient_answer(codes, kinds)
    return _("Intensive outpatient: %(answer)s") % {"answer": answer}


def search(request: HttpRequest) -> HttpResponse:
    options = codebook_options()
    form = SearchForm(request.GET or None, options=options)
    groups = [GroupOptions(group, options.get(group.key, [])) for group in FILTER_GROUPS]
    context: dict[str, object] = {
        "form": form,
        "groups": groups,
        "credit": geo.GEONAMES_CREDIT,
        "sources": _sources(),
        "searched": False,
    }
    if form.is_bound and form.is_valid():
        latitude, longitude, where = form.point()
        miles = form.cleaned_data["miles"]
        chosen = {g.key: frozenset(form.cleaned_data.get(g.key) or ()) for g in FILTER_GROUPS}
        counted = {key: [o.code for o in found] for key, found in options.items()}
        counted.setdefault("care", []).append(INTENSIVE_OUTPATIENT)
        found = search_near(latitude, longitude, miles, chosen, counted)
        for entry in groups:
            counts = found.option_counts.get(entry.group.key, Counter())
            for option in entry.options:
                option.count = counts.get(option.code, 0)
                option.checked = option.code in chosen[entry.group.key]
        page = Paginator(found.listings, PAGE_SIZE).get_page(request.GET.get("page"))
        listings = Listing.objects.in_bulk([n.listing_id for n in page.object_list])
        names = {o.code: o.name for found_options in options.values() for o in found_options}
        context.update(
            searched=True,
            chosen_count=sum(len(codes) for codes in chosen.values()),
            chosen_names=[
                option.name for entry in groups for option in entry.options if option.checked
            ],
            where=where,
            miles=miles,
            in_radius=found.in_radius,
            total=len(found.listings),
            page=page,
            query=_query_without_page(request),
            results=[
                Result(
                    listings[n.listing_id],
                    n,
                    _reasons(n, chosen, names),
                    _intensive_outpatient(n.codes, n.kinds),
                )
                for n in page.object_list
            ],
        )
    return render(request, "finder/search.html", context)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _sources() -> list[DirectoryImport]:
    """The newest import of each directory, for the source line."""
    newest: dict[str, DirectoryImport] = {}
    for run in DirectoryImport.objects.order_by("-directory_year", "-imported_at")[:20]:
        newest.setdefault(run.kind, run)
    return sorted(newest.values(), key=lambda r: r.kind, reverse=True)


@dataclass
class CodeGroup:
    category: str
    names: list[str]


def listing(request: HttpRequest, listing_id: str) -> HttpResponse:
    found = (
        Listing.objects.filter(public_id=lookup_id(listing_id), sources__withdrawn_at__isnull=True)
        .prefetch_related(
            Prefetch(
                "sources",
                queryset=ListingSource.objects.filter(withdrawn_at__isnull=True).select_related(
                    "last_import"
                ),
            ),
            Prefetch("codes", queryset=ListingCode.objects.order_by("kind", "id")),
        )
        .distinct()
        .first()
    )
    if found is None:
        raise Http404("Not found.")
    codebook = {
        (row.kind, row.code): row
        for row in ServiceCode.objects.filter(code__in={c.code for c in found.codes.all()})
    }
    grouped: dict[str, list[str]] = defaultdict(list)
    unknown: list[str] = []
    for code in found.codes.all():
        entry = codebook.get((code.kind, code.code))
        if entry is None:
            unknown.append(code.code)
        elif entry.name not in grouped[entry.category_name]:
            grouped[entry.category_name].append(entry.name.strip())
    kinds = {source.kind for source in found.sources.all()}
    return render(
        request,
        "finder/listing.html",
        {
            "listing": found,
            "groups": [CodeGroup(category, names) for category, names in grouped.items()],
            "unknown": sorted(set(unknown)),
            "sources": list(found.sources.all()),
            "intensive_outpatient": _intensive_outpatient(
                frozenset(c.code for c in found.codes.all()), frozenset(kinds)
            ),
            "intake_numbers": [
                number
                for number in (found.intake1, found.intake2, found.intake1a, found.intake2a)
                if number
            ],
            "credit": geo.GEONAMES_CREDIT,
        },
    )


MAX_COMPARE = 4


@dataclass
class CompareRow:
    label: str
    cells: list[str]


def compare(request: HttpRequest) -> HttpResponse:
    """Up to four listings side by side (`?id=…&id=…`, optionally the search's filter codes to
    mark). The address holds listing ids and filter codes only, so it can be shared and
    printed; nothing about the person."""
    ids = [lookup_id(value) for value in request.GET.getlist("id")][: MAX_COMPARE + 1]
    error = ""
    if len(ids) > MAX_COMPARE:
        error = _("Choose up to four places to compare.")
    elif len(set(ids)) < 2:
        error = _("Choose at least two places to compare.")
    listings: list[Listing] = []
    rows: list[CompareRow] = []
    if not error:
        found = {
            listing.public_id: listing
            for listing in Listing.objects.filter(
                public_id__in=ids, sources__withdrawn_at__isnull=True
            )
            .prefetch_related(
                Prefetch(
                    "sources",
                    queryset=ListingSource.objects.filter(withdrawn_at__isnull=True)
                    .select_related("last_import")
                    .order_by("-kind"),
                ),
                "codes",
            )
            .distinct()
        }
        listings = [found[i] for i in dict.fromkeys(ids) if i in found]
        if len(listings) < 2:
            error = _("These places are no longer in the directory. Search again.")
    if not error:
        rows = _compare_rows(listings)
    return render(
        request,
        "finder/compare.html",
        {
            "listings": listings,
            "rows": rows,
            "error": error,
            "sources": _sources(),
            "credit": geo.GEONAMES_CREDIT,
        },
        status=400 if error else 200,
    )


def _compare_rows(listings: list[Listing]) -> list[CompareRow]:
    options = codebook_options()
    names = {group: {o.code: o.name for o in found} for group, found in options.items()}
    codes = [{c.code for c in listing.codes.all()} for listing in listings]
    kinds = [frozenset(s.kind for s in listing.sources.all()) for listing in listings]
    rows = [
        CompareRow(
            _("Intensive outpatient"),
            [
                _intensive_outpatient_answer(frozenset(have), kind)
                for have, kind in zip(codes, kinds, strict=True)
            ],
        ),
        CompareRow(_("Phone"), [listing.phone for listing in listings]),
    ]
    for group in FILTER_GROUPS:
        group_names = names.get(group.key, {})
        cells = [" · ".join(n for c, n in group_names.items() if c in have) for have in codes]
        if any(cells):
            rows.append(CompareRow(str(group.label), [cell or "—" for cell in cells]))
    rows.append(
        CompareRow(
            _("Listed in"),
            [
                " · ".join(
                    f"{s.get_kind_display()} {s.last_import.directory_year}"
                    for s in listing.sources.all()
                )
                for listing in listings
            ],
        )
    )
    return rows
