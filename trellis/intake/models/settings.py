"""Each program's intake settings: how soon a new inquiry should hear back, and who is told
that one arrived from the web form.

A program without a row uses the defaults (`IntakeSettings.for_program` returns an unsaved
one): one business day, nobody emailed."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from trellis.programs.models import Program

DEFAULT_REPLY_DAYS = 1


class IntakeSettings(models.Model):
    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="intake_settings"
    )
    reply_within_days = models.PositiveSmallIntegerField(
        "reply within (business days)",
        default=DEFAULT_REPLY_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=(
            "An open inquiry that has waited longer than this since its last change is "
            "marked overdue on the intake board and counted on Today. Saturdays and Sundays "
            "do not count."
        ),
    )
    notify_email = models.EmailField(
        "email when a web inquiry arrives",
        blank=True,
        help_text=(
            "A shared intake mailbox. The email says only that a new inquiry arrived for the "
            "program, with a link: never the person's name or reason."
        ),
    )

    class Meta:
        verbose_name_plural = "intake settings"

    def __str__(self) -> str:
        return f"Intake settings of program {self.program_id}"

    @classmethod
    def for_program(cls, program: Program) -> IntakeSettings:
        found = cls.objects.filter(program=program).first()
        return found if found is not None else cls(program=program)
