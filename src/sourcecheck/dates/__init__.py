"""Dates in claims and sources: reading them, telling Old Style from New, checking them.

``parse.find_dates`` reads every date with offsets; ``calendars`` converts between the
Julian and Gregorian calendars (via ``convertdate``); ``check`` says what is wrong.
"""

from .calendars import ADOPTION, g2j, gregorian_to_julian, j2g, julian_to_gregorian, likely_calendar, offset_days
from .check import check_claim_dates, check_mention
from .declared import calendar_at, calendar_sections
from .parse import find_dates, range_end
from .timeline import Timeline, build_timeline, document_timeline, timeline_from_findings

__all__ = [
    "ADOPTION", "Timeline", "build_timeline", "calendar_at", "calendar_sections", "document_timeline",
    "range_end", "timeline_from_findings", "check_claim_dates", "check_mention", "find_dates", "g2j", "gregorian_to_julian",
    "j2g", "julian_to_gregorian", "likely_calendar", "offset_days",
]
