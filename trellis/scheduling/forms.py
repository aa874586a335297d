"""Input for schedule pages. Forms check types; actions check meaning."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from trellis.accounts.models import User
from trellis.programs.models import Membership, Program, Room
from trellis.scheduling.actions import SeriesData
from trellis.scheduling.models import AttendanceStatus, GroupType, Mode, SessionKind
from trellis.scheduling.queries import clinical_staff


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


def program_staff(program: Program) -> QuerySet[User]:
    members = Membership.objects.active().filter(organization_id=program.organization_id)
    members = members.filter(Q(program=program) | Q(program__isnull=True))
    return User.objects.filter(pk__in=members.values("user_id")).order_by("last_name", "first_name")


def organization_rooms(program: Program) -> QuerySet[Room]:
    return Room.objects.filter(
        site__organization_id=program.organization_id, is_active=True, site__is_active=True
    ).select_related("site")


class StaffChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]  # stubs: generic over the model
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class SeriesForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="e.g. DBT skills, Process group")
    kind = forms.ChoiceField(choices=SessionKind.choices)
    start_time = forms.TimeField(widget=TimeInput, help_text="Local time of the program")
    duration_minutes = forms.IntegerField(min_value=5, max_value=600, label="Duration (minutes)")
    rrule = forms.CharField(
        label="Recurrence",
        max_length=200,
        initial="FREQ=WEEKLY;BYDAY=MO,WE",
        help_text="Weekly days (BYDAY=MO,WE), every N weeks (INTERVAL=2), and an end date "
        "(UNTIL=20261231) or a number of sessions (COUNT=12).",
    )
    dtstart = forms.DateField(label="First date", widget=DateInput)
    mode = forms.ChoiceField(choices=Mode.choices)
    room = forms.ModelChoiceField(
        queryset=Room.objects.none(), required=False, to_field_name="public_id"
    )
    telehealth_url = forms.URLField(
        required=False, label="Video link", help_text="For telehealth and hybrid sessions."
    )
    facilitators = StaffChoiceField(
        queryset=User.objects.none(), required=False, to_field_name="public_id"
    )
    capacity = forms.IntegerField(min_value=1, max_value=500)
    topics = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Curriculum topics, one per line; they rotate session by session.",
    )
    participant_specific = forms.BooleanField(
        required=False, label="For named participants (individual or family sessions)"
    )
    group_type = forms.ChoiceField(
        choices=GroupType.choices,
        initial=GroupType.OPEN,
        label="Group type",
        help_text="Who may still join the roster: anyone at any time (open), only before the "
        "first session (closed), or only before a cohort's first day (cohort).",
    )
    cohort_start = forms.DateField(
        required=False, widget=DateInput, label="Cohort's first day", help_text="Cohorts only."
    )
    cohort_end = forms.DateField(
        required=False, widget=DateInput, label="Cohort's last day", help_text="Cohorts only."
    )
    from_date = forms.DateField(
        required=False,
        widget=DateInput,
        label="Apply from",
        help_text="Leave empty to change the whole series; a date changes this and the "
        "following sessions (earlier ones keep their history).",
    )
    override_reason = forms.CharField(
        required=False,
        max_length=200,
        label="Reason to override conflicts",
        help_text="Only if saving showed a conflict you mean to keep.",
    )

    def __init__(self, program: Program, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = organization_rooms(program)  # type: ignore[attr-defined]  # ModelChoiceField
        self.fields["facilitators"].queryset = program_staff(program)  # type: ignore[attr-defined]  # ModelChoiceField
        if not editing:
            del self.fields["from_date"]

    def data_for_action(self) -> SeriesData:
        cleaned = self.cleaned_data
        return SeriesData(
            name=cleaned["name"],
            kind=cleaned["kind"],
            start_time=cleaned["start_time"],
            duration_minutes=cleaned["duration_minutes"],
            rrule=cleaned["rrule"],
            dtstart=cleaned["dtstart"],
            mode=cleaned["mode"],
            room=cleaned.get("room"),
            telehealth_url=cleaned.get("telehealth_url") or "",
            facilitators=list(cleaned.get("facilitators") or []),
            capacity=cleaned["capacity"],
            topics=[line for line in (cleaned.get("topics") or "").splitlines() if line.strip()],
            participant_specific=cleaned.get("participant_specific", False),
            group_type=cleaned["group_type"],
            cohort_start=cleaned.get("cohort_start"),
            cohort_end=cleaned.get("cohort_end"),
        )


class MarkForm(forms.Form):
    """One tap: the status button pressed, plus the row's minutes box (late or left early)."""

    status = forms.ChoiceField(choices=AttendanceStatus.choices)
    minutes = forms.IntegerField(min_value=0, max_value=600, required=False)
    mode = forms.ChoiceField(choices=[("", "As scheduled"), *Mode.choices], required=False)
    reason = forms.CharField(max_length=300, required=False)


class UndoForm(forms.Form):
    reason = forms.CharField(max_length=300, required=False)


class WalkInForm(forms.Form):
    episode = forms.UUIDField(required=False, label="Participant")
    mrn = forms.CharField(max_length=30, required=False, label="Or their MRN")
    reason = forms.CharField(max_length=200, label="Why they joined this session")
    status = forms.ChoiceField(choices=AttendanceStatus.choices, initial=AttendanceStatus.PRESENT)
    minutes = forms.IntegerField(min_value=0, max_value=600, required=False, label="Minutes late")


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=200, help_text="Attendees are told it is cancelled.")


class RescheduleForm(forms.Form):
    new_date = forms.DateField(widget=DateInput, label="Date")
    start_time = forms.TimeField(widget=TimeInput)
    duration_minutes = forms.IntegerField(min_value=5, max_value=600)
    mode = forms.ChoiceField(choices=Mode.choices)
    room = forms.ModelChoiceField(
        queryset=Room.objects.none(), required=False, to_field_name="public_id"
    )
    telehealth_url = forms.URLField(required=False)
    override_reason = forms.CharField(max_length=200, required=False)

    def __init__(self, program: Program, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = organization_rooms(program)  # type: ignore[attr-defined]  # ModelChoiceField


class SubstituteForm(forms.Form):
    substitute = forms.ModelChoiceField(queryset=User.objects.none(), to_field_name="public_id")
    replaced = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, to_field_name="public_id"
    )

    def __init__(self, program: Program, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = clinical_staff(program)  # type: ignore[attr-defined]  # ModelChoiceField
        self.fields["replaced"].queryset = program_staff(program)  # type: ignore[attr-defined]  # ModelChoiceField


class TopicForm(forms.Form):
    topic = forms.CharField(max_length=200)


class ClosureForm(forms.Form):
    date = forms.DateField(widget=DateInput)
    reason = forms.CharField(max_length=120, help_text="e.g. Thanksgiving")


class RosterForm(forms.Form):
    episode = forms.UUIDField(label="Participant")
    start_date = forms.DateField(widget=DateInput)
    end_date = forms.DateField(widget=DateInput, required=False)
    override_reason = forms.CharField(max_length=200, required=False)


class HoursOverrideForm(forms.Form):
    min_hours_per_week = forms.DecimalField(
        label="Minimum hours a week", min_value=0, max_value=60, max_digits=4, decimal_places=1
    )
    max_hours_per_week = forms.DecimalField(
        label="Maximum hours a week", min_value=0, max_value=60, max_digits=4, decimal_places=1
    )
    starts_on = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Empty: from the start of the episode",
    )
    ends_on = forms.DateField(
        label="Until",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Empty: until someone changes it",
    )
    reason = forms.CharField(
        max_length=200,
        help_text="The rule or decision behind these hours, e.g. “Payer authorises 6 hours "
        "for the step-down week”. Say it without clinical detail.",
    )


class NoticeForm(forms.Form):
    """A participant's "I'll be late" / "I can't come" (the action checks the values)."""

    kind = forms.CharField(max_length=10)
    minutes = forms.IntegerField(required=False)
    reason = forms.CharField(required=False, max_length=2000)
