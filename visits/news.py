"""A short news post about a trip, in the style of the department's own posts (the source report).

Built only from the recorded data: who went (by name when recorded, else by position), where and when,
the meetings of the itinerary, what each center does well (its report's strengths and figures), what the
team recommended, and which offices are thanked. Only reports that were submitted or accepted are used.
Thai by default: the post is published in Thai; pass lang="en" for an English draft.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.thai import ENGLISH_MONTHS, THAI_MONTHS, format_date_be, to_be_year

from .models import SHARED_STATUSES, CenterReport, ItineraryStop, Trip, TripMember


def date_range_text(start: date, end: date, *, lang: str = "th") -> str:
    """24-25 มีนาคม 2564; 30 มีนาคม - 2 เมษายน 2564; 24 มีนาคม 2564 for a single day."""
    if start == end:
        return format_date_be(start, lang=lang)
    months = ENGLISH_MONTHS if lang.startswith("en") else THAI_MONTHS
    suffix = " BE" if lang.startswith("en") else ""
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}-{end.day} {months[end.month - 1]} {to_be_year(end.year)}{suffix}"
    if start.year == end.year:
        first = f"{start.day} {months[start.month - 1]}"
        return f"{first} - {end.day} {months[end.month - 1]} {to_be_year(end.year)}{suffix}"
    return f"{format_date_be(start, lang=lang)} - {format_date_be(end, lang=lang)}"


def _join(items: list[str]) -> str:
    """A, B และC (the Thai style of the source report) / A, B and C."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": " ".join(items[:-1]), "last": items[-1]}


def team_text(members: list[TripMember]) -> str:
    """Named members by name and position; members recorded by position only are counted by position."""
    named = [
        f"{member.display_name} {member.display_position}".strip()
        for member in members
        if member.display_name
    ]
    unnamed = Counter(
        (member.display_position, member.office) for member in members if not member.display_name
    )
    groups = []
    for (position, office), count in unnamed.items():
        who = " ".join(part for part in (position, office) if part)
        groups.append(ngettext("%(who)s", "%(who)s, %(count)s people", count) % {"who": who, "count": count})
    people = named + groups
    if not people:
        return _("the monitoring team")
    if len(people) == 1:
        return people[0]
    return _("%(first)s together with %(others)s") % {"first": people[0], "others": _join(people[1:])}


def _center_place(report: CenterReport) -> str:
    village = report.center.village
    subdistrict = village.subdistrict
    district = subdistrict.district
    return _(
        "%(center)s, village no. %(moo)s, %(subdistrict)s subdistrict, %(district)s district, "
        "%(province)s province"
    ) % {
        "center": report.center.name,
        "moo": village.moo,
        "subdistrict": subdistrict.name,
        "district": district.name,
        "province": district.province.name,
    }


def _figures_text(report: CenterReport) -> str:
    parts = []
    if report.snapshot_households_enrolled is not None:
        parts.append(
            _("Today %(count)s households take part in debt management under 1 household 1 contract.")
            % {"count": report.snapshot_households_enrolled}
        )
    if report.snapshot_households_debt_reduced is not None:
        parts.append(
            _("%(count)s households have reduced their debt.")
            % {"count": report.snapshot_households_debt_reduced}
        )
    if report.snapshot_households_debt_free is not None:
        parts.append(
            _("%(count)s households are free of debt.") % {"count": report.snapshot_households_debt_free}
        )
    return " ".join(parts)


def _sentence(text: str) -> str:
    return " ".join(text.split())


def _center_paragraph(number: int, report: CenterReport) -> str:
    parts = [
        _("%(number)s. Visited and followed up the work of %(place)s, founded in %(year)s.")
        % {"number": number, "place": _center_place(report), "year": report.center.founded_year}
    ]
    if report.strengths.strip():
        parts.append(_sentence(report.strengths))
    figures = _figures_text(report)
    if figures:
        parts.append(figures)
    recommendations = [_sentence(item.text) for item in report.recommendations.all()]
    if recommendations:
        parts.append(
            _("The monitoring team recommended that %(recommendations)s.")
            % {"recommendations": _join(recommendations).rstrip(".")}
        )
    return " ".join(parts)


def _meeting_line(stop: ItineraryStop, *, several_days: bool) -> str:
    what = _sentence(stop.description)
    morning = stop.time is not None and stop.time.hour < 12
    if several_days:
        day = format_date_be(stop.date)
        if stop.time is None:
            return _("On %(date)s: %(what)s") % {"date": day, "what": what}
        if morning:
            return _("On the morning of %(date)s: %(what)s") % {"date": day, "what": what}
        return _("On the afternoon of %(date)s: %(what)s") % {"date": day, "what": what}
    if stop.time is None:
        return what
    if morning:
        return _("In the morning: %(what)s") % {"what": what}
    return _("In the afternoon: %(what)s") % {"what": what}


def _meetings(trip: Trip) -> list[str]:
    """The itinerary stops that are not center visits (meetings with offices), with their part of the day."""
    several_days = trip.start_date != trip.end_date
    return [_meeting_line(stop, several_days=several_days) for stop in trip.stops.all() if not stop.center_id]


def news_reports(trip: Trip, user: Any = None):
    """The reports a news post may use: submitted or accepted (and visible to `user` when given), in the
    order of the visits."""
    reports = CenterReport.objects.filter(trip=trip)
    if user is not None:
        reports = reports.visible_to(user)
    return (
        reports.filter(status__in=SHARED_STATUSES)
        .select_related("center__village__subdistrict__district__province")
        .prefetch_related("recommendations")
        .order_by("visit_date", "pk")
    )


def news_post(trip: Trip, *, lang: str = "th", user: Any = None) -> str:
    """The post in `lang`; with `user`, only from the reports that user may see."""
    with translation.override(lang):
        members = list(trip.members.select_related("user"))
        lines = [
            _sentence(trip.title),
            "",
            _(
                "During %(dates)s, %(team)s visited %(province)s province to follow up the work of community "
                "fund management centers."
            )
            % {
                "dates": date_range_text(trip.start_date, trip.end_date, lang=lang),
                "team": team_text(members),
                "province": trip.province.name,
            },
        ]
        lines.extend(_meetings(trip))
        for number, report in enumerate(news_reports(trip, user), start=1):
            lines.append(_center_paragraph(number, report))
        offices = trip.helping_office_list
        if offices:
            lines.append(
                _(
                    "We thank %(offices)s for coordinating the visits, providing information and their good "
                    "cooperation, and the committees of the centers for their welcome and support."
                )
                % {"offices": " ".join(offices)}
            )
        return "\n".join(lines).strip() + "\n"
