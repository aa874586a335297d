"""The national directory of treatment facilities, as imported (docs/finder.md).

Public reference data: nothing here is about a participant. One `Listing` is one facility at
one address; the substance use and the mental health directories each add a `ListingSource`
to it (a facility in both directories is one listing with two sources), and each source keeps
its service codes as `ListingCode` rows and the file it came from.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DirectoryKind(models.TextChoices):
    # Shown on the public finder, in English or Spanish.
    SU = "su", _("Substance use directory")
    MH = "mh", _("Mental health directory")


class SourceFormat(models.TextChoices):
    WORKBOOK = "workbook", "National Directory workbook"
    LOCATOR = "locator", "FindTreatment.gov locator export"


class LocationSource(models.TextChoices):
    NONE = "", "No location (ZIP not found)"
    ZIP = "zip", "ZIP centroid (approximate)"
    FILE = "file", "Coordinates from the file"


class DirectoryImport(models.Model):
    """One run of `import_directory` over one file, with what it changed."""

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    kind = models.CharField(max_length=2, choices=DirectoryKind.choices)
    source_format = models.CharField(max_length=10, choices=SourceFormat.choices)
    directory_year = models.PositiveSmallIntegerField()
    survey_year = models.PositiveSmallIntegerField(null=True, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)
    states = models.CharField(
        max_length=200, blank=True, help_text="Only these states' rows (--state); empty: all."
    )
    rows = models.PositiveIntegerField(default=0)
    merged_rows = models.PositiveIntegerField(
        default=0, help_text="Rows that repeat another row's name and address: merged into it."
    )
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    unknown_codes = models.JSONField(
        default=dict, help_text="Codes the codebook does not define, with how many rows use each."
    )

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_kind_display()}, {self.directory_year})"


class ServiceCode(models.Model):
    """One entry of a directory's codebook ("Service Code Reference"), as last imported."""

    kind = models.CharField(max_length=2, choices=DirectoryKind.choices)
    code = models.CharField(max_length=16)
    category_code = models.CharField(max_length=16)
    category_name = models.CharField(max_length=200)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    directory_year = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="directory_code_once_per_kind")
        ]
        ordering = ["kind", "category_code", "code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class Listing(models.Model):
    """A facility at an address. `key` is the normalized name and address (reading.py)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(max_length=64, unique=True)
    name1 = models.CharField(max_length=300)
    name2 = models.CharField(max_length=300, blank=True)
    street1 = models.CharField(max_length=300, blank=True)
    street2 = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=120, blank=True)
    state = models.CharField(max_length=2, blank=True)
    zip = models.CharField(max_length=5, blank=True)
    phone = models.CharField(max_length=60, blank=True)
    intake1 = models.CharField(max_length=60, blank=True)
    intake2 = models.CharField(max_length=60, blank=True)
    intake1a = models.CharField(max_length=60, blank=True)
    intake2a = models.CharField(max_length=60, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    location_source = models.CharField(
        max_length=4, choices=LocationSource.choices, blank=True, default=LocationSource.NONE
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="directory_listing_latlon"),
            models.Index(fields=["state", "zip"], name="directory_listing_state_zip"),
        ]
        ordering = ["name1", "id"]

    def __str__(self) -> str:
        return f"{self.name1}, {self.city} {self.state}"


class ListingSource(models.Model):
    """A listing as one directory lists it: its codes, the file it was last seen in, and
    whether a later file of the same directory no longer lists it (withdrawn)."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(max_length=2, choices=DirectoryKind.choices)
    first_import = models.ForeignKey(
        DirectoryImport, on_delete=models.PROTECT, related_name="first_seen"
    )
    last_import = models.ForeignKey(
        DirectoryImport, on_delete=models.PROTECT, related_name="last_seen"
    )
    code_text = models.TextField(blank=True, help_text="The row's codes as the file had them.")
    fingerprint = models.CharField(max_length=64, help_text="Digest of the row's fields and codes.")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        DirectoryImport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="withdrew",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["listing", "kind"], name="directory_source_once")
        ]
        indexes = [models.Index(fields=["kind", "withdrawn_at"], name="directory_source_live")]

    def __str__(self) -> str:
        return f"{self.listing} in the {self.get_kind_display()}"


class ListingCode(models.Model):
    """One service code of one listing in one directory (kept even when the codebook does not
    define it: the import reports those)."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="codes")
    kind = models.CharField(max_length=2, choices=DirectoryKind.choices)
    code = models.CharField(max_length=16)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["listing", "kind", "code"], name="directory_code_once_per_listing"
            )
        ]
        # No index by code: every search starts from the listings near a place (the
        # latitude/longitude index) and looks their codes up by listing, which the unique
        # constraint's index serves. An index by code would double the import's time.

    def __str__(self) -> str:
        return self.code
