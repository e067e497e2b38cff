"""Dates a reader sees are the day in Paris (site/model/frdates.py), whatever the instant's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.site.model import activity
from pelican.plugins.blogroll.site.model.frdates import date_range, date_time, days_ago, long_date, paris_day

PARIS = ZoneInfo("Europe/Paris")
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]


def test_half_past_midnight_in_paris_is_already_the_next_day():
    # 00:30 in Paris on 8 December is 23:30 UTC on the 7th (winter: UTC+1).
    post = datetime(2026, 12, 7, 23, 30, tzinfo=UTC)
    assert long_date(post) == "8 décembre 2026"
    assert date_time(post) == "8 décembre 2026 à 00:30"
    # Summer (UTC+2): 00:30 in Paris on 15 July is 22:30 UTC on the 14th.
    assert long_date(datetime(2026, 7, 14, 22, 30, tzinfo=UTC)) == "15 juillet 2026"
    assert long_date(datetime(2026, 7, 14, 21, 59, tzinfo=UTC)) == "14 juillet 2026"
    # The first of the month is « 1er ».
    assert long_date(datetime(2026, 11, 30, 23, 30, tzinfo=UTC)) == "1er décembre 2026"


@settings(max_examples=300)
@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)))
def test_every_instant_shows_its_paris_day(instant):
    day = instant.astimezone(PARIS).date()
    first = "1er" if day.day == 1 else str(day.day)
    assert long_date(instant) == f"{first} {MONTHS[day.month - 1]} {day.year}"
    assert paris_day(instant) == day
    # The same instant written in another zone shows the same day.
    assert long_date(instant.astimezone(ZoneInfo("America/Los_Angeles"))) == long_date(instant)



@settings(max_examples=400)
@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1),
                    timezones=st.one_of(st.none(), st.just(UTC), st.sampled_from(
                        [PARIS, ZoneInfo("America/Los_Angeles"), ZoneInfo("Asia/Kathmandu")]))))
def test_a_date_and_time_is_babels_own_label_of_the_paris_minute(instant):
    """date_time caches by the minute it shows: its label is Babel's for the instant itself, to the
    minute, with the same « 1er » (a naive instant is UTC), whatever the zone and the seconds."""
    from babel.dates import format_datetime

    aware = instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)
    text = format_datetime(aware, format="d MMMM y 'à' HH:mm", tzinfo=PARIS, locale="fr_FR")
    expected = "1er" + text[1:] if aware.astimezone(PARIS).day == 1 else text
    assert date_time(instant) == expected
    assert date_time(instant) == expected  # from the cache

def test_days_ago_counts_paris_days():
    now = datetime(2026, 12, 8, 8, 0, tzinfo=UTC)
    assert days_ago(datetime(2026, 12, 7, 23, 30, tzinfo=UTC), now) == "aujourd'hui"  # 00:30 on the 8th
    assert days_ago(datetime(2026, 12, 7, 22, 30, tzinfo=UTC), now) == "hier"  # 23:30 on the 7th


def test_date_ranges_as_a_reader_says_them():
    def at(y, m, d):
        return datetime(y, m, d, 12, tzinfo=UTC)
    assert date_range(at(2025, 3, 12), at(2025, 3, 3)) == "du 3 au 12 mars 2025"
    assert date_range(at(2025, 3, 3), at(2025, 2, 28)) == "du 28 février au 3 mars 2025"
    assert date_range(at(2026, 1, 2), at(2025, 12, 30)) == "du 30 décembre 2025 au 2 janvier 2026"
    assert date_range(at(2025, 3, 3), at(2025, 3, 3)) == "le 3 mars 2025"
    assert date_range(at(2025, 3, 1), at(2025, 2, 1)) == "du 1er février au 1er mars 2025"
    # Paris days: 23:30 UTC on 31 December 2025 is already 2026 there.
    assert date_range(datetime(2025, 12, 31, 23, 30, tzinfo=UTC), at(2025, 12, 31)) == \
        "du 31 décembre 2025 au 1er janvier 2026"


def test_activity_months_are_paris_months():
    now = datetime(2026, 12, 8, 8, 0, tzinfo=UTC)
    # 23:30 UTC on 30 November is 00:30 on 1 December in Paris: a December post.
    act = activity.activity([datetime(2026, 11, 30, 23, 30, tzinfo=UTC)], now)
    assert dict(act.months)["déc. 2026"] == 1 and dict(act.months)["nov. 2026"] == 0
    assert act.months[-1][0] == "déc. 2026" and len(act.months) == 12
    assert paris_day(now - timedelta(hours=9)) == date(2026, 12, 8)  # 23:00 UTC: midnight in Paris
    assert paris_day(now - timedelta(hours=9, minutes=1)) == date(2026, 12, 7)
