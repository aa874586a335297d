"""Practice between sessions: the skills library, worksheets, assignments, practice entries,
the daily diary card and the safety plan (docs/practice.md). Clinical layer."""
