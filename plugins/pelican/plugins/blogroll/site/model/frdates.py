"""French dates through Babel (no OS locale needed), on the Paris calendar.

Every date a reader sees is the day in Paris, not in UTC: a post published at 00:30 in
Paris on 8 December (23:30 UTC on the 7th) is « 8 décembre ». Machine-readable dates
(`<time datetime>`, Atom, JSON) keep their instants."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

# Babel (and its locale data) is imported on first use: a build where nothing changed renders
# no date and does not load it.

PARIS = "Europe/Paris"
PARIS_TZ = ZoneInfo(PARIS)


def paris_day(d: datetime) -> date:
    """The day `d` falls on in Paris (a naive datetime is taken as UTC, as the store gives)."""
    if d.tzinfo is None:
        d = d.replace(tzinfo=UTC)
    return d.astimezone(PARIS_TZ).date()


def long_date(d: datetime) -> str:
    """« 3 mars 2025 », « 1er mars 2025 », the day in Paris."""
    return long_day(paris_day(d))


@lru_cache(maxsize=16384)
def long_day(day: date) -> str:
    # Cached by day, not by instant: entries' instants are all different (Babel took a third
    # of building the view model of 25,000 entries), their days mostly are not.
    from babel.dates import format_date

    text = format_date(day, format="d MMMM y", locale="fr_FR")
    return "1er" + text[1:] if day.day == 1 else text


def date_range(newest: datetime, oldest: datetime) -> str:
    """The days between two instants, in Paris, as a reader says them: « le 3 mars 2025 »,
    « du 3 au 12 mars 2025 », « du 28 février au 3 mars 2025 », « du 30 décembre 2025 au
    2 janvier 2026 »."""
    first, last = sorted((paris_day(oldest), paris_day(newest)))
    if first == last:
        return f"le {long_day(first)}"
    end = long_day(last)
    start = long_day(first)
    if first.year == last.year:
        start = start.rsplit(" ", 1)[0]  # « 28 février »
        if first.month == last.month:
            start = start.split(" ", 1)[0]  # « 3 »
    return f"du {start} au {end}"


def date_time(d: datetime) -> str:
    """« 3 mars 2025 à 14:05 » in Paris time (a naive datetime is taken as UTC)."""
    if d.tzinfo is None:
        d = d.replace(tzinfo=UTC)
    return _minute_label(d.astimezone(PARIS_TZ).replace(second=0, microsecond=0))


@lru_cache(maxsize=16384)
def _minute_label(minute: datetime) -> str:
    # Cached by the minute it shows: /etat/ labels each feed's last 24 attempts (24,000 at
    # 1,000 feeds) and a run's attempts fall in a few minutes; Babel takes ~80 µs a label.
    from babel.dates import format_datetime

    text = format_datetime(minute, format="d MMMM y 'à' HH:mm", tzinfo=PARIS_TZ, locale="fr_FR")
    return "1er" + text[1:] if minute.day == 1 else text


def days_ago(d: datetime, now: datetime) -> str:
    """« aujourd'hui », « hier », « il y a 3 jours », « il y a 2 semaines », « il y a 4 mois »,
    counted in Paris days."""
    days = (paris_day(now) - paris_day(d)).days
    if days <= 0:
        return "aujourd'hui"
    if days == 1:
        return "hier"
    if days < 7:
        return f"il y a {days} jours"
    from babel.dates import format_timedelta

    return format_timedelta(d - now, granularity="day", add_direction=True, locale="fr_FR", threshold=1)
