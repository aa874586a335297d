"""Group notes: one note per group session (a series' occurrence on its original date),
written by the session's facilitators. Each note has a group part (topic, interventions,
themes, who facilitated) and one entry per attendee (participation, response, objectives,
risk, plan), signed together. Each participant's chart shows the group part and only their
own entry, never another attendee's: `access` decides who opens what, `actions` holds every
write, `views` the pages (routed from `trellis/notes/urls.py`).
"""
