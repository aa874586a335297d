"""The skills library and worksheet definitions of an organization.

A program teaches skills (grouped in modules: Mindfulness, Distress tolerance, ...) in its
group curriculum and asks people to practise them between sessions. Every description is the
program's own words: skill names and acronyms are facts, published handout text is licensed
and never shipped (docs/practice.md).

Worksheets are data, like instruments in measures: a `WorksheetDefinition` is one version of a
form (fields, types, scales, required parts, help text; the shape is checked by
`trellis.practice.worksheets.validate_definition`). A new version is a new row; entries keep
the version they answered, so an old entry always reads against the form it was written on.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from trellis.programs.models import Organization
from trellis.scheduling.models import SessionSeries


class SkillModule(models.Model):
    """A group of skills taught together, e.g. "Interpersonal effectiveness"."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="skill_modules"
    )
    name = models.CharField(max_length=120)
    approach = models.CharField(
        max_length=60, blank=True, help_text="e.g. DBT, CBT, Relapse prevention"
    )
    description = models.TextField(blank=True, help_text="In the program's own words")
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="practice_module_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    """One skill: name, acronym, the program's short description, steps and links."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    module = models.ForeignKey(SkillModule, on_delete=models.PROTECT, related_name="skills")
    name = models.CharField(max_length=120)
    acronym = models.CharField(max_length=20, blank=True, help_text="e.g. DEAR MAN, TIPP")
    summary = models.TextField(help_text="A short description in the program's own words")
    steps = models.JSONField(default=list, blank=True, help_text="The steps, as a list of text")
    links = models.JSONField(
        default=list, blank=True, help_text='Optional links: [{"label": ..., "url": ...}]'
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["module__position", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["module", "name"], name="practice_skill_unique_name")
        ]

    def __str__(self) -> str:
        return self.acronym or self.name

    @property
    def label(self) -> str:
        """ "DEAR MAN (Getting what you want)" or the name alone."""
        if self.acronym and self.acronym != self.name:
            return f"{self.acronym} ({self.name})"
        return self.name


class WorksheetDefinition(models.Model):
    """One version of a worksheet form. `fields` follows `practice.worksheets` (validated)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="worksheet_definitions"
    )
    code = models.SlugField(max_length=50, help_text="Stable across versions, e.g. thought-record")
    version = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="What the worksheet is for, plainly")
    fields = models.JSONField(help_text="The form: see docs/practice.md, 'Worksheets as data'")
    skill = models.ForeignKey(
        Skill,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="worksheets",
        help_text="The skill this worksheet practises, if one",
    )
    is_current = models.BooleanField(
        default=True, help_text="The version new assignments use; older ones stay readable"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["title", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code", "version"], name="practice_worksheet_version"
            ),
            models.UniqueConstraint(
                fields=["organization", "code"],
                condition=models.Q(is_current=True),
                name="practice_worksheet_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class CurriculumLink(models.Model):
    """A curriculum topic of a session series teaches a skill: "the skill taught tonight"
    is known from the schedule (the occurrence's topic, or the series' rotating topics)."""

    series = models.ForeignKey(
        SessionSeries, on_delete=models.CASCADE, related_name="practice_links"
    )
    topic = models.CharField(max_length=200, help_text="The topic as the series lists it")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="curriculum_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["series", "topic", "skill"], name="practice_curriculum_link_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Curriculum link {self.pk}"
