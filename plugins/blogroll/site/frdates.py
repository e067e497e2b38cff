"""French dates through Babel (no OS locale needed)."""

from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache

from babel.dates import format_date, format_datetime, format_timedelta

PARIS = "Europe/Paris"


@lru_cache(maxsize=4096)
def long_date(d: datetime) -> str:
    """« 3 mars 2025 »"""
    return format_date(d.astimezone(timezone.utc).date(), format="d MMMM y", locale="fr_FR")


def date_time(d: datetime) -> str:
    """« 3 mars 2025 à 14:05 » in Paris time."""
    return format_datetime(d, format="d MMMM y 'à' HH:mm", tzinfo=PARIS, locale="fr_FR")


def relative(d: datetime, now: datetime) -> str:
    """« il y a 2 jours »"""
    return format_timedelta(d - now, add_direction=True, locale="fr_FR", threshold=1.1)
