from __future__ import annotations

from django import forms


class FollowUpForm(forms.Form):
    risk_assessment_done = forms.BooleanField(label="Risk assessment done", required=False)
    safety_plan_reviewed = forms.BooleanField(label="Safety plan reviewed", required=False)
    referred_higher_level = forms.BooleanField(
        label="Referred to a higher level of care", required=False
    )
    note = forms.CharField(
        label="Follow-up note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
