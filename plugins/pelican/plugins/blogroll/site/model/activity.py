"""Posting activity as static SVG: posts per week over the last 12 months. Pure.

Each chart is a strip of 52 weekly bars, drawn at build time (no script).
Weeks are rolling and end at the build time `now`, so the last bar is
"the last 7 days". Bars use `currentColor` so the theme's light and dark
colours apply. Every chart carries a <title> and a <desc> with the monthly
numbers (its text alternative), and `monthly()` gives the same numbers for a
visible table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from markupsafe import Markup, escape

from .frdates import long_date, paris_day

WEEKS = 52
MONTHS = 12
BAR = 6  # horizontal pitch of a weekly bar, in SVG units
HEIGHT = 32


@dataclass(frozen=True)
class Activity:
    weeks: tuple[int, ...]  # oldest first; the last is the 7 days ending at `now`
    months: tuple[tuple[str, int], ...]  # (« nov. 2026 », count), oldest first
    total: int
    busiest: int
    busiest_week: datetime | None  # start of the busiest (latest on ties) week

    @property
    def first_month(self) -> str:
        return self.months[0][0]

    @property
    def last_month(self) -> str:
        return self.months[-1][0]


def activity(dates: Iterable[datetime], now: datetime, weeks: int = WEEKS) -> Activity:
    counts = [0] * weeks
    month_keys = _month_keys(now)
    per_month = dict.fromkeys(month_keys, 0)
    for d in dates:
        age = now - d
        index = 0 if age < timedelta(0) else age // timedelta(days=7)  # future-dated posts: this week
        if index < weeks:
            counts[weeks - 1 - index] += 1
        day = paris_day(d)
        key = (day.year, day.month)
        if key in per_month:
            per_month[key] += 1
    busiest = max(counts, default=0)
    busiest_week = None
    if busiest:
        last = max(i for i, c in enumerate(counts) if c == busiest)
        busiest_week = now - timedelta(days=7 * (weeks - last))
    months = tuple((_month_label(y, m), per_month[(y, m)]) for y, m in month_keys)
    return Activity(tuple(counts), months, sum(counts), busiest, busiest_week)


def svg(act: Activity, *, label: str, ident: str, scale: int | None = None) -> Markup:
    """An inline SVG strip of `act.weeks`. `scale` is the count drawn full height
    (share it across charts meant to be compared); `ident` makes the ids unique."""
    top = max(scale or 0, act.busiest, 1)
    n = len(act.weeks)
    width = n * BAR
    bars = []
    for i, count in enumerate(act.weeks):
        if count:
            h = max(3.0, round(HEIGHT * count / top, 1))
            bars.append(f"M{i * BAR + 1} {HEIGHT}v-{_num(h)}h{BAR - 2}v{_num(h)}z")
    ident = escape(ident)
    title = escape(f"{label} : billets par semaine sur 12 mois")
    desc = escape(describe(act))
    path = f'<path class="bars" d="{"".join(bars)}"/>' if bars else ""
    return Markup(
        f'<svg class="activity" viewBox="0 0 {width} {HEIGHT + 1}" preserveAspectRatio="none" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d" focusable="false">'
        f'<title id="{ident}-t">{title}</title><desc id="{ident}-d">{desc}</desc>'
        f'<path class="axis" d="M0 {HEIGHT + 0.5}H{width}"/>{path}</svg>'
    )


def describe(act: Activity) -> str:
    """The chart in words: total, busiest week and the count of each month."""
    if not act.total:
        return "Aucun billet ces 12 derniers mois."
    s = "s" if act.total > 1 else ""
    text = f"{act.total} billet{s} en 52 semaines"
    if act.busiest_week is not None:
        b = "s" if act.busiest > 1 else ""
        text += f" ; au plus {act.busiest} billet{b} la semaine du {long_date(act.busiest_week)}"
    months = ", ".join(f"{m} : {c}" for m, c in act.months)
    return f"{text}. Par mois : {months}."


def _month_keys(now: datetime) -> list[tuple[int, int]]:
    today = paris_day(now)
    y, m = today.year, today.month
    keys = []
    for _ in range(MONTHS):
        keys.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return keys[::-1]


def _month_label(year: int, month: int) -> str:
    from babel.dates import format_date  # on first use (see frdates)

    return format_date(datetime(year, month, 1), format="MMM y", locale="fr_FR")


def _num(x: float) -> str:
    return f"{x:g}"


def shared_scale(acts: Sequence[Activity]) -> int:
    return max((a.busiest for a in acts), default=1) or 1
