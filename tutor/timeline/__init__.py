"""The timeline: dated events of both sources, in both calendars (see `tutor.timeline.events` for the decisions)."""
