"""Episode changes between admission and discharge: hold and resume, change of track, and a
step up or down to another program of the organization (docs/intake-and-discharge.md)."""
