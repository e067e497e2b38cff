"""French dates through Babel (no OS locale needed)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache

# Babel (and its locale data) is imported on first use: a build where nothing changed renders
# no date and does not load it.

PARIS = "Europe/Paris"


def long_date(d: datetime) -> str:
    """« 3 mars 2025 »"""
    return _long_day(d.astimezone(UTC).date())


@lru_cache(maxsize=16384)
def _long_day(day: date) -> str:
    # Cached by day, not by instant: entries' instants are all different (Babel took a third
    # of building the view model of 25,000 entries), their days mostly are not.
    from babel.dates import format_date

    return format_date(day, format="d MMMM y", locale="fr_FR")


def date_time(d: datetime) -> str:
    """« 3 mars 2025 à 14:05 » in Paris time."""
    from babel.dates import format_datetime, get_timezone

    return format_datetime(d, format="d MMMM y 'à' HH:mm", tzinfo=get_timezone(PARIS), locale="fr_FR")


def days_ago(d: datetime, now: datetime) -> str:
    """« aujourd'hui », « hier », « il y a 3 jours », « il y a 2 semaines », « il y a 4 mois »"""
    days = (now.astimezone(UTC).date() - d.astimezone(UTC).date()).days
    if days <= 0:
        return "aujourd'hui"
    if days == 1:
        return "hier"
    if days < 7:
        return f"il y a {days} jours"
    from babel.dates import format_timedelta

    return format_timedelta(d - now, granularity="day", add_direction=True, locale="fr_FR", threshold=1)
