"""A short news post about a trip, in the form of the department's own posts (the source report).

Built only from the recorded data, paragraph by paragraph as in the source report:
- the heading (the trip's title);
- when and who: the leader first, then the others grouped by position (the position written once per group)
  with their office, and the province;
- the meetings of the itinerary (stops without a center), naming the people met whose role they mention;
- one paragraph per center: its place and founding year, its recognitions, the findings (core funds,
  committee), the households under 1 household 1 contract, the results, the technique, savings,
  occupational groups, the strengths, and what the team recommended;
- the thanks to the offices that helped, naming who led a district office's team, and the others met.

The post of a trip is one text, whoever opens it: it is written from every submitted or accepted report of
the trip (the page is open only to those who may see the trip). Thai by default: pass lang="en" for an
English draft.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from centers.models import Recognition
from core.thai import ENGLISH_MONTHS, THAI_MONTHS, fiscal_year, format_date_be, to_be_year

from .models import SHARED_STATUSES, CenterReport, ItineraryStop, ReportPhoto, Trip, TripMember


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


def _join(items: Iterable[str]) -> str:
    """A, B และC (the Thai style of the source report) / A, B and C."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": " ".join(items[:-1]), "last": items[-1]}


def _sentence(text: str) -> str:
    return " ".join(text.split())


# --- the team --------------------------------------------------------------------------------------------


@dataclass
class _Group:
    position: str
    office: str
    names: list[str] = field(default_factory=list)
    unnamed: int = 0

    def text(self, *, with_office: bool) -> str:
        who = " ".join(part for part in (self.position, self.office if with_office else "") if part)
        if self.names:
            return f"{_join(self.names)} {who}".strip()
        return ngettext("%(who)s", "%(who)s, %(count)s people", self.unnamed) % {
            "who": who,
            "count": self.unnamed,
        }


def _team_groups(members: list[TripMember]) -> list[_Group]:
    """The leader first (alone when named), then the others grouped by position and office in the team's
    order (named members and members recorded by position only in separate groups)."""
    leader = Trip.leader_of(members)
    groups: list[_Group] = []
    if leader is not None and leader.display_name:
        groups.append(_Group(leader.display_position, leader.office, names=[leader.display_name]))
    ordered = ([leader] if leader is not None else []) + [
        member for member in members if member is not leader
    ]
    others: dict[tuple[str, str, bool], _Group] = {}
    for member in ordered:
        named = bool(member.display_name)
        if named and member is leader:
            continue
        key = (member.display_position, member.office, named)
        if key not in others:
            others[key] = _Group(member.display_position, member.office)
            groups.append(others[key])
        if named:
            others[key].names.append(member.display_name)
        else:
            others[key].unnamed += 1
    return groups


def team_text(members: list[TripMember]) -> str:
    """น.ส.ก นักวิชาการ… พร้อมด้วย น.ส.ข และน.ส.ค นักวิชาการ… สำนัก…: the leader first, each position written
    once per group; an office shared by the whole team is written once, at the end."""
    groups = _team_groups(members)
    if not groups:
        return _("the monitoring team")
    offices = {group.office for group in groups}
    shared = len(offices) == 1
    texts = [
        group.text(with_office=not shared or number == len(groups) - 1) for number, group in enumerate(groups)
    ]
    if len(texts) == 1:
        return texts[0]
    return _("%(first)s together with %(others)s") % {"first": texts[0], "others": _join(texts[1:])}


# --- the people met --------------------------------------------------------------------------------------

DASHES = re.compile(r"\s+[–—-]\s+")


def _name_and_role(line: str) -> list[tuple[str, str]]:
    """The ways to read a "people met" line as (name, role), the longest role first: "สมศรี ใจดี – ประธาน"
    is read at its dash; "นายก ข พัฒนาการจังหวัด…" as every split between words ("", the line) included."""
    parts = DASHES.split(line, maxsplit=1)
    if len(parts) == 2:
        return [(parts[0], parts[1]), ("", line)]
    words = line.split()
    return [(" ".join(words[:cut]), " ".join(words[cut:])) for cut in range(len(words))]


class _PeopleMet:
    """The trip's "people met", each named once: in a meeting whose description mentions their role, as the
    leader of a district office's team, or else among those thanked."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.used: set[int] = set()

    def name_in(self, text: str) -> str:
        """`text` with the people whose role it mentions named before their role."""
        for number, line in enumerate(self.lines):
            if number in self.used:
                continue
            for name, role in _name_and_role(line):
                if role and role in text:
                    self.used.add(number)
                    if name:
                        start = text.index(role)
                        space = "" if start == 0 or text[start - 1] == " " else " "
                        text = f"{text[:start]}{space}{name} {text[start:]}"
                    break
        return text

    def holding(self, role: str) -> str:
        """The line of the person met who holds `role` (name and role), or ""."""
        for number, line in enumerate(self.lines):
            if number not in self.used and any(found == role for _name, found in _name_and_role(line)):
                self.used.add(number)
                return line
        return ""

    def rest(self) -> list[str]:
        return [line for number, line in enumerate(self.lines) if number not in self.used]


# --- the meetings ----------------------------------------------------------------------------------------


def _meeting_line(stop: ItineraryStop, what: str, *, first_day: date) -> str:
    morning = stop.time is not None and stop.time.hour < 12
    if stop.date != first_day:  # the first day is the start of the dates above, as in the source report
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


def _meetings(trip: Trip, people: _PeopleMet) -> list[str]:
    """The itinerary stops that are not center visits (meetings with offices), with their part of the day
    and the names of the people met there."""
    return [
        _meeting_line(stop, people.name_in(_sentence(stop.description)), first_day=trip.start_date)
        for stop in trip.stops.all()
        if not stop.center_id
    ]


# --- the centers -----------------------------------------------------------------------------------------

TECHNIQUE_LABEL = re.compile(r"^\s*(?:โดยใช้)?(?:เทคนิค|technique)\s*[:：]\s*", re.IGNORECASE)
TECHNIQUE_WORD = re.compile(r"^(?:โดยใช้)?เทคนิค\s*")
# "ควร" (should) typed after the subject of a recommendation: "แนะนำให้…" already carries the modal
MODAL = re.compile(r"(?<!สม)ควร(?:จะ)?(?!ค่า)\s*")


def _strength_lines(report: CenterReport) -> tuple[list[str], list[str]]:
    """The strengths, line by line, and the techniques (lines labelled "เทคนิค:"), each a sentence."""
    strengths, techniques = [], []
    for line in report.strengths.splitlines():
        if not line.strip():
            continue
        if TECHNIQUE_LABEL.match(line):
            technique = TECHNIQUE_WORD.sub("", TECHNIQUE_LABEL.sub("", line).strip())
            if technique:
                techniques.append(_sentence(technique))
        else:
            strengths.append(_sentence(line))
    return strengths, techniques


def recommendation_text(text: str) -> str:
    """A recommendation as it follows "the team recommended that": without a modal of its own."""
    return MODAL.sub("", _sentence(text), count=1).rstrip(".")


RECOGNITION_NAMES = {
    Recognition.Level.PROVINCE_OUTSTANDING: lambda: _("an outstanding center of the province"),
    Recognition.Level.DEPARTMENT_MODEL: lambda: _("a model center of the department"),
}


def _recognitions_text(report: CenterReport) -> str:
    """The center's recognitions up to the fiscal year of the visit: those it won, then those under way."""
    visit_year = fiscal_year(report.visit_date)
    records = [record for record in report.center.recognitions.all() if record.fiscal_year <= visit_year]
    records.sort(key=lambda record: (record.stage != Recognition.Stage.SELECTED, record.fiscal_year))
    parts = []
    for record in records:
        values = {"what": RECOGNITION_NAMES[record.level](), "year": record.fiscal_year}
        if record.stage == Recognition.Stage.SELECTED:
            parts.append(_("and was selected as %(what)s of %(year)s") % values)
        else:
            parts.append(_("and is now in the selection for %(what)s of %(year)s") % values)
    return "".join(f" {part}" for part in parts)


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


def _figures_text(report: CenterReport) -> list[str]:
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
    return parts


def center_paragraph(number: int, report: CenterReport) -> str:
    """One center's paragraph, in the order of the source report's."""
    parts = [
        _("%(number)s. Visited and followed up the work of %(place)s, founded in %(year)s%(recognitions)s.")
        % {
            "number": number,
            "place": _center_place(report),
            "year": report.center.founded_year,
            "recognitions": _recognitions_text(report),
        }
    ]
    strengths, techniques = _strength_lines(report)
    if report.finding_funds.strip():
        parts.append(_sentence(report.finding_funds))
    if report.finding_committee.strip():
        parts.append(
            _("The team found that %(committee)s") % {"committee": _sentence(report.finding_committee)}
        )
    parts.extend(_figures_text(report))
    if report.finding_contracts.strip():
        parts.append(_sentence(report.finding_contracts))
    parts.extend(_("Technique used: %(technique)s.") % {"technique": item} for item in techniques)
    for text in (report.finding_savings, report.finding_occupations):
        if text.strip():
            parts.append(_sentence(text))
    parts.extend(strengths)
    recommendations = [recommendation_text(item.text) for item in report.recommendations.all()]
    if recommendations:
        parts.append(
            _("The monitoring team recommended that %(recommendations)s.")
            % {"recommendations": _join(recommendations)}
        )
    return " ".join(parts)


# --- the thanks ------------------------------------------------------------------------------------------

DISTRICT_OFFICE = re.compile(r"^สำนักงานพัฒนาชุมชนอำเภอ(?P<place>\S+)$")


def _office_with_leader(office: str, people: _PeopleMet) -> str:
    """A district office with who led its team ("… นำทีมโดย นาง… พัฒนาการอำเภอ…"), when that person is
    among the people met."""
    match = DISTRICT_OFFICE.match(office)
    if not match:
        return office
    head = people.holding(f"พัฒนาการอำเภอ{match['place']}")
    if not head:
        return office
    return _("%(office)s, led by %(head)s") % {"office": office, "head": head}


def _thanks(trip: Trip, people: _PeopleMet) -> str:
    offices = [_office_with_leader(office, people) for office in trip.helping_office_list]
    if not offices:
        return ""
    others = people.rest()
    values = {"offices": " ".join(offices), "others": " ".join(others)}
    if others:
        return (
            _(
                "We thank %(offices)s for coordinating the visits, providing information and their good "
                "cooperation, as well as %(others)s and the committees of the centers for their welcome and "
                "support."
            )
            % values
        )
    return (
        _(
            "We thank %(offices)s for coordinating the visits, providing information and their good "
            "cooperation, and the committees of the centers for their welcome and support."
        )
        % values
    )


# --- the post --------------------------------------------------------------------------------------------


def news_reports(trip: Trip):
    """The reports of the post: every submitted or accepted report of the trip, in the order of the visits."""
    recognitions = Prefetch("center__recognitions", queryset=Recognition.objects.order_by("fiscal_year"))
    return (
        CenterReport.objects.filter(trip=trip, status__in=SHARED_STATUSES)
        .select_related("center__village__subdistrict__district__province")
        .prefetch_related("recommendations", recognitions)
        .order_by("visit_date", "pk")
    )


def news_paragraphs(trip: Trip, *, lang: str = "th") -> list[str]:
    """The post's paragraphs in `lang`: the title, the team, the meetings, the centers, the thanks."""
    with translation.override(lang):
        members = list(trip.members.select_related("user"))
        people = _PeopleMet(trip.people_met_list)
        paragraphs = [
            _sentence(trip.title),
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
        paragraphs.extend(_meetings(trip, people))
        paragraphs.extend(
            center_paragraph(number, report) for number, report in enumerate(news_reports(trip), start=1)
        )
        thanks = _thanks(trip, people)
        if thanks:
            paragraphs.append(thanks)
        return paragraphs


def news_post(trip: Trip, *, lang: str = "th") -> str:
    """The post in `lang`: the heading, an empty line, then a paragraph a line."""
    title, *body = news_paragraphs(trip, lang=lang)
    return "\n".join([title, "", *body]).strip() + "\n"


def news_zip(text: str, photos: list[ReportPhoto]) -> tempfile.SpooledTemporaryFile:
    """The post as a zip, opened at its start: news.txt (the text, then each photo's file and caption) and
    the photos (their checked, re-encoded originals), numbered in the post's order."""
    archive = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 (the response closes it)
    lines = [text.rstrip(), ""]
    with zipfile.ZipFile(archive, "w") as bundle:
        for number, photo in enumerate(photos, start=1):
            suffix = photo.image.name[photo.image.name.rfind(".") :] if "." in photo.image.name else ""
            name = f"photos/{number:02d}{suffix}"
            try:
                with photo.image.open("rb") as source:
                    bundle.writestr(name, source.read(), compress_type=zipfile.ZIP_STORED)  # JPEG: no gain
            except FileNotFoundError:
                continue  # a file lost from MEDIA_ROOT: the rest still go
            lines.append(f"{name}: {photo.caption or photo.report.center.name}")
        bundle.writestr("news.txt", "\n".join(lines).strip() + "\n", compress_type=zipfile.ZIP_DEFLATED)
    archive.seek(0)
    return archive
