"""Dashboard pages from the nation down to one center, and their Excel export.

Access follows `core/scoping.py`: department staff and admins read every area; provincial staff their
province (they are sent there from the national page); district officers their district (sent there from
the national page and from their province's page). Any other area answers 404, like an unknown code.
Every figure comes from the summary tables (`dashboards/selectors.py`), in a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from centers.models import Center
from core.excel import Percent, Sheet, workbook_response
from core.figures import COUNTS, counts
from core.scoping import OfficeLevel, get_visible_or_404
from core.thai import (
    CE_YEAR_GUESS,
    ENGLISH_MONTHS_SHORT,
    THAI_MONTHS_SHORT,
    fiscal_year,
    format_date_be,
    format_date_be_numeric,
    thai_digits_to_arabic,
    to_be_year,
)
from geography.models import District, Province
from households.models import HouseholdStatus, may_see_personal_data

from .catalogue import FLOW, LABELS, NOW, PERCENT, RANKING_COLUMNS, SECTIONS, SECTORS, STOCK, show
from .models import NATION_CODE, Level
from .selectors import Dashboard, Period, dashboard_for

FIRST_FY = 2560  # the first fiscal year offered (the centers' debt work started in the 2560s BE)


# --- the area and who may see it --------------------------------------------------------------------------


@dataclass
class Area:
    level: str
    code: str
    name: str
    province: Province | None = None
    district: District | None = None
    center: Center | None = None

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)


def _scope(user: Any) -> str | None:
    """ "all", "province" or "district": how far the user reads; None for an account with no area."""
    if user.is_superuser or user.office_level == OfficeLevel.DEPARTMENT:
        return "all"
    if user.office_level == OfficeLevel.PROVINCE and user.province_id:
        return "province"
    if user.office_level == OfficeLevel.DISTRICT and user.district_id:
        return "district"
    return None


def _redirect_keeping_query(request: HttpRequest, url: str) -> HttpResponse:
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)


def _own_area_url(user: Any, scope: str | None, *, export: bool) -> str:
    suffix = "_export" if export else ""
    if scope == "province":
        return reverse(f"dashboards:province{suffix}", args=[user.province_id])
    if scope == "district":
        return reverse(f"dashboards:district{suffix}", args=[user.district_id])
    raise Http404


def _resolve(request: HttpRequest, level: str, key: Any, *, export: bool = False) -> Area | HttpResponse:
    """The area the user asked for, a redirect to their own area (a page above it), or 404."""
    user = request.user
    scope = _scope(user)
    if scope is None:
        raise Http404
    if level == Level.NATION:
        if scope != "all":
            return _redirect_keeping_query(request, _own_area_url(user, scope, export=export))
        return Area(level=level, code=NATION_CODE, name=_("Thailand"))
    if level == Level.PROVINCE:
        province = get_object_or_404(Province, code=key)
        if scope == "district" and user.district_id[:2] == province.code:  # codes nest by prefix
            return _redirect_keeping_query(request, _own_area_url(user, scope, export=export))
        if scope == "district" or (scope == "province" and user.province_id != province.code):
            raise Http404
        return Area(level=level, code=province.code, name=province.name, province=province)
    if level == Level.DISTRICT:
        district = get_object_or_404(District.objects.select_related("province"), code=key)
        if (scope == "province" and district.province_id != user.province_id) or (
            scope == "district" and district.code != user.district_id
        ):
            raise Http404
        return Area(
            level=level, code=district.code, name=district.name, province=district.province, district=district
        )
    center = get_visible_or_404(
        Center.objects.select_related("village__subdistrict__district__province"), user, pk=key
    )
    district = center.village.subdistrict.district
    return Area(
        level=Level.CENTER,
        code=str(center.pk),
        name=center.name,
        province=district.province,
        district=district,
        center=center,
    )


def print_office(area: Area, user: Any) -> str:
    """The office named under the department at the top of a printed dashboard: the user's own. Staff
    read only their province or district, so it is the area's province or district, already read."""
    scope = _scope(user)
    if scope == "province" and area.province is not None:
        return _("Provincial Community Development Office, %(province)s") % {"province": area.province.name}
    if scope == "district" and area.district is not None:
        return _("District Community Development Office, %(district)s") % {"district": area.district.name}
    return ""  # the department itself, named anyway


def breadcrumb(area: Area, user: Any, query: str = "") -> list[dict[str, Any]]:
    """Nation → province → district → center down to `area`; links only to pages the user may open.

    `query` ("?fy=…" or "") keeps the chosen fiscal year on the way up."""
    scope = _scope(user)
    crumbs = [
        {
            "label": _("Thailand"),
            "url": reverse("dashboards:home") if scope == "all" else None,
        }
    ]
    if area.province is not None:
        crumbs.append(
            {
                "label": area.province.name,
                "url": reverse("dashboards:province", args=[area.province.code])
                if scope in ("all", "province")
                else None,
            }
        )
    if area.district is not None:
        crumbs.append(
            {"label": area.district.name, "url": reverse("dashboards:district", args=[area.district.code])}
        )
    if area.center is not None:
        crumbs.append({"label": area.center.name, "url": reverse("dashboards:center", args=[area.center.pk])})
    crumbs[-1]["url"] = None  # the page itself
    for crumb in crumbs:
        if crumb["url"]:
            crumb["url"] += query
    return crumbs


# --- the fiscal year asked for ----------------------------------------------------------------------------


def parse_fiscal_year(raw: str | None, today: date) -> tuple[int | None, str | None]:
    """The fiscal year (BE) of `?fy=`, None for "all", and a message when the value was refused.

    A refused value gives the current fiscal year and says why (the page is shown, not an error).
    """
    current = fiscal_year(today)
    text = thai_digits_to_arabic((raw or "").strip())
    if not text:
        return current, None
    if text.lower() == "all":
        return None, None
    shown = text[:12]
    if not (text.isascii() and text.isdigit()):
        message = _("“%(value)s” is not a fiscal year: enter a Buddhist Era year such as %(example)s.") % {
            "value": shown,
            "example": current,
        }
        return current, message
    year = int(text)
    if year in CE_YEAR_GUESS and FIRST_FY <= to_be_year(year) <= current:
        message = _(
            "%(value)s looks like a Christian-era year: fiscal years are Buddhist Era years, such as %(be)s."
        ) % {"value": year, "be": to_be_year(year)}
        return current, message
    if not FIRST_FY <= year <= current:
        message = _("Fiscal year %(value)s is out of range: choose a year from %(first)s to %(last)s.") % {
            "value": shown,
            "first": FIRST_FY,
            "last": current,
        }
        return current, message
    return year, None


# --- the figures ------------------------------------------------------------------------------------------


def month_label(month: date) -> str:
    """ "ต.ค. 2568" ("Oct 2568" in English): a month with its BE year."""
    names = ENGLISH_MONTHS_SHORT if (get_language() or "th").startswith("en") else THAI_MONTHS_SHORT
    return f"{names[month.month - 1]} {to_be_year(month.year)}"


def period_labels(period: Period) -> dict[str, str]:
    """What the stock, flow and "today" figures of a period are about, in words."""
    today = format_date_be(period.today)
    flow = _("all time") if period.fy is None else _("fiscal year %(fy)s") % {"fy": period.fy}
    stock = (
        _("as of %(date)s") % {"date": today}
        if period.is_now
        else _("end of %(month)s") % {"month": month_label(period.stock_month)}
    )
    return {STOCK: stock, FLOW: flow, NOW: _("as of %(date)s") % {"date": today}}


def figure_links(area: Area, user: Any) -> dict[str, str]:
    """The list behind each figure, filtered to the area, where the user may open one."""
    centers = reverse("centers:center_list")
    households = reverse("debts:household_list")
    if area.level == Level.NATION:
        center_query: dict[str, Any] = {}
        household_query: dict[str, Any] = {}
    elif area.level == Level.PROVINCE:
        center_query = household_query = {"province": area.code}
    elif area.level == Level.DISTRICT:
        center_query = household_query = {"district": area.code}
    else:
        center_query = {"district": area.district.code}
        household_query = {"district": area.district.code, "center": area.center.pk}

    def url(base: str, query: dict[str, Any]) -> str:
        return f"{base}?{urlencode(query)}" if query else base

    if area.center is not None:
        center_list = reverse("centers:center_detail", args=[area.center.pk])
        active_centers = center_list
    else:
        center_list = url(centers, center_query)
        active_centers = url(centers, {**center_query, "status": "active"})
    household_list = url(households, household_query)
    links = {
        "centers_active": active_centers,
        "centers_recognised": center_list,
        "capital": center_list,
        "centers_not_visited": active_centers,
        "households_surveyed": url(households, {**household_query, "status": HouseholdStatus.SURVEYED}),
        "households_target": url(households, {**household_query, "status": HouseholdStatus.TARGET}),
        "households_enrolled": url(households, {**household_query, "status": HouseholdStatus.ENROLLED}),
        "households_debt_free": url(households, {**household_query, "status": HouseholdStatus.DEBT_FREE}),
        "households_debt_reduced": household_list,
        "debt_at_enrolment": household_list,
        "debt_now": household_list,
        "debt_reduced": household_list,
        "debt_reduced_pct": household_list,
        "informal_cleared": household_list,
        "visits": reverse("visits:report_list"),
        "recommendations_open": reverse("visits:recommendation_list"),
        "recommendations_overdue": url(reverse("visits:recommendation_list"), {"overdue": "on"}),
    }
    if may_see_personal_data(user):  # contract pages show names: district officers there, and admins
        if area.center is not None:
            contracts = reverse("contracts:arrears", args=[area.center.pk])
        else:
            contracts = url(reverse("contracts:contract_list"), {"status": "active"})
        for key in ("contracts_active", "contract_outstanding", "on_time", "overdue", "contracts_overdue",
                    "par30", "par30_pct"):  # fmt: skip
            links[key] = contracts
    return links


def _card_note(when: str, period: Period, labels: dict[str, str]) -> str:
    """The line under a figure on the page: the period of a flow; why a "today" figure of a past year is
    blank. Stocks say nothing: the page's subtitle gives their date once."""
    if when == FLOW:
        return labels[FLOW]
    if when == NOW and not period.is_now:
        return _("only for the current fiscal year")
    return ""


def figure_sections(board: Dashboard, links: dict[str, str]) -> list[dict[str, Any]]:
    labels = period_labels(board.period)
    figures = board.figures
    return [
        {
            "title": title,
            "figures": [
                {
                    "key": key,
                    "label": name,
                    "counts": counts(key),
                    "kind": kind,
                    "value": figures.get(key),
                    "display": show(figures.get(key), kind),
                    "note": labels[when],
                    "card_note": _card_note(when, board.period, labels),
                    "url": links.get(key),
                }
                for key, name, kind, when in figures_list
            ],
        }
        for title, figures_list in SECTIONS
    ]


def child_names(board: Dashboard) -> dict[str, str]:
    """The names of the areas one level down that have figures (one query)."""
    codes = [child["code"] for child in board.children]
    if not codes:
        return {}
    if board.child_level == Level.PROVINCE:
        return {p.code: p.name for p in Province.objects.filter(code__in=codes)}
    if board.child_level == Level.DISTRICT:
        return {d.code: d.name for d in District.objects.filter(code__in=codes)}
    ids = [int(code) for code in codes if code.isdigit()]
    return {str(pk): name for pk, name in Center.objects.filter(pk__in=ids).values_list("pk", "name")}


def child_url(level: str | None, code: str) -> str | None:
    if level == Level.CENTER:
        return reverse("dashboards:center", args=[int(code)]) if code.isdigit() else None
    if level is None:
        return None
    return reverse(f"dashboards:{level}", args=[code])


def fy_query(period: Period) -> str:
    """The query string that keeps a fiscal year other than the current one when moving between pages."""
    if period.fy is None:
        return "?fy=all"
    return "" if period.fy == period.current_fy else f"?fy={period.fy}"


# One row's figure cells of the ranking table, for `format_html`: the keys escaped once, the figures per row.
RANKING_CELLS = "".join(
    format_html('<td class="money" data-key="{}">', key) + "{}</td>" for key, _label, _kind in RANKING_COLUMNS
)


def ranking(board: Dashboard) -> list[dict[str, Any]]:
    """The ranking table's rows. Each row's figure cells come as one piece of HTML (`format_html`, which
    escapes as the template does): a district's 150 centers have some 1,700 cells, whose variable lookups
    in the template cost tens of milliseconds."""
    names = child_names(board)
    query = fy_query(board.period)
    rows = []
    for index, child in enumerate(board.children, start=1):
        figures = child["figures"]
        cells = [
            {"key": key, "value": figures.get(key), "display": show(figures.get(key), kind), "kind": kind}
            for key, _label, kind in RANKING_COLUMNS
        ]
        rows.append(
            {
                "rank": index,
                "code": child["code"],
                "name": names.get(child["code"], child["code"]),
                "url": (url + query) if (url := child_url(board.child_level, child["code"])) else None,
                "cells": cells,
                "cells_html": format_html(RANKING_CELLS, *(cell["display"] for cell in cells)),
            }
        )
    return rows


def chart_data(board: Dashboard, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """What the charts draw (Decimals travel as strings; Chart.js reads them as numbers)."""
    figures = board.figures
    statuses = [
        (HouseholdStatus.SURVEYED, "households_surveyed"),
        (HouseholdStatus.TARGET, "households_target"),
        (HouseholdStatus.ENROLLED, "households_enrolled"),
        (HouseholdStatus.DEBT_FREE, "households_debt_free"),
        (HouseholdStatus.WITHDRAWN, "households_withdrawn"),
    ]
    return {
        "months": {
            "labels": [month_label(entry["month"]) for entry in board.months],
            "series": [
                {"label": str(LABELS["debt_now"]), "data": [entry["debt_now"] for entry in board.months]},
                {"label": str(LABELS["savings"]), "data": [entry["savings"] for entry in board.months]},
            ],
        },
        "sectors": {
            "labels": [str(label) for _key, label in SECTORS],
            "series": [
                {
                    "label": _("At enrolment"),
                    "data": [figures[f"debt_at_enrolment_{key}"] for key, _label in SECTORS],
                },
                {
                    "label": str(LABELS["debt_now"]),
                    "data": [figures[f"debt_now_{key}"] for key, _label in SECTORS],
                },
                {
                    "label": str(LABELS["registry_balance"]),
                    "data": [figures[f"registry_{key}"] for key, _label in SECTORS],
                },
            ],
        },
        "statuses": {
            "labels": [str(status.label) for status, _key in statuses],
            "data": [figures[key] for _status, key in statuses],
        },
        "ranking": {
            "labels": [row["name"] for row in rows],
            "label": str(LABELS["debt_reduced_pct"]),
            "data": [
                next(cell["value"] for cell in row["cells"] if cell["key"] == "debt_reduced_pct") or 0
                for row in rows
            ],
        },
    }


def _fiscal_years(today: date) -> list[int]:
    return list(range(fiscal_year(today), FIRST_FY - 1, -1))


def _export_url(area: Area, fy: int | None) -> str:
    if area.level == Level.NATION:
        base = reverse("dashboards:nation_export")
    elif area.level == Level.CENTER:
        base = reverse("dashboards:center_export", args=[area.center.pk])
    else:
        base = reverse(f"dashboards:{area.level}_export", args=[area.code])
    return f"{base}?{urlencode({'fy': fy if fy is not None else 'all'})}"


def _load(request: HttpRequest, level: str, key: Any, *, export: bool = False):
    today = timezone.localdate()
    resolved = _resolve(request, level, key, export=export)
    if isinstance(resolved, HttpResponse):
        return resolved, None, None, None
    fy, fy_error = parse_fiscal_year(request.GET.get("fy"), today)
    board = dashboard_for(level=resolved.level, code=resolved.code, period=Period.of(fy, today))
    return resolved, board, fy, fy_error


def _page(request: HttpRequest, level: str, key: Any) -> HttpResponse:
    area, board, fy, fy_error = _load(request, level, key)
    if board is None:
        return area
    rows = ranking(board)
    context = {
        "area": area,
        "board": board,
        "fy": fy,
        "fy_error": fy_error,
        "fiscal_years": _fiscal_years(board.period.today),
        "breadcrumb": breadcrumb(area, request.user, fy_query(board.period)),
        "sections": figure_sections(board, figure_links(area, request.user)),
        "ranking": rows,
        "ranking_columns": RANKING_COLUMNS,
        "child_level_label": Level(board.child_level).label if board.child_level else "",
        "months": [{**entry, "label": month_label(entry["month"])} for entry in board.months],
        "sectors": [
            {
                "label": label,
                "at_enrolment": board.figures[f"debt_at_enrolment_{key}"],
                "now": board.figures[f"debt_now_{key}"],
                "registry": board.figures[f"registry_{key}"],
            }
            for key, label in SECTORS
        ],
        "figure_labels": LABELS,
        "figure_counts": COUNTS,
        "charts": chart_data(board, rows),
        "export_url": _export_url(area, fy),
        "labels": period_labels(board.period),
        "print_office": print_office(area, request.user),
        "printed_at": timezone.localtime(),
    }
    return render(request, "dashboards/dashboard.html", context)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return _page(request, Level.NATION, NATION_CODE)


@login_required
@require_GET
def province(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, Level.PROVINCE, code)


@login_required
@require_GET
def district(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, Level.DISTRICT, code)


@login_required
@require_GET
def center(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, Level.CENTER, pk)


# --- Excel ------------------------------------------------------------------------------------------------


def _export(request: HttpRequest, level: str, key: Any) -> HttpResponse:
    area, board, fy, fy_error = _load(request, level, key, export=True)
    if board is None:
        return area
    if fy_error:
        return render(request, "dashboards/bad_request.html", {"message": fy_error}, status=400)
    today = board.period.today
    labels = period_labels(board.period)
    period_name = labels[FLOW]
    about = [
        [_("Area"), area.name, ""],
        [_("Level"), area.level_label, ""],
        [_("Period"), period_name, ""],
        [_("Figures as of"), today, ""],
    ]
    figure_rows: list[list[Any]] = []
    for section in figure_sections(board, {}):
        for figure in section["figures"]:
            figure_rows.append(
                [
                    section["title"],
                    figure["label"],
                    _excel_value(figure["value"], figure["kind"]),
                    figure["note"],
                    figure["counts"],
                ]
            )
    sheets = [
        Sheet(
            title=_("Figures"),
            headers=[_("Topic"), _("Figure"), _("Value"), _("As of / period"), _("What this counts")],
            rows=[[about_row[0], "", about_row[1], about_row[2], ""] for about_row in about] + figure_rows,
        ),
        Sheet(
            title=_("Month by month"),
            headers=[_("Month (first day)"), baht(LABELS["debt_now"]), baht(LABELS["contract_outstanding"]),
                     baht(LABELS["savings"]), LABELS["households_enrolled"], LABELS["households_debt_free"],
                     _("Principal repaid in the month (baht)"), _("Deposited in the month (baht)"),
                     _("Visits in the month")],
            rows=[[entry["month"], entry["debt_now"], entry["contract_outstanding"], entry["savings"],
                   entry["households_enrolled"], entry["households_debt_free"], entry["repaid_principal"],
                   entry["saved"], entry["visits"]] for entry in board.months],
        ),
        Sheet(
            title=_("Debt by sector"),
            headers=[_("Creditor sector"), baht(LABELS["debt_at_enrolment"]), baht(LABELS["debt_now"]),
                     baht(LABELS["registry_balance"])],
            rows=[[label, board.figures[f"debt_at_enrolment_{key}"], board.figures[f"debt_now_{key}"],
                   board.figures[f"registry_{key}"]] for key, label in SECTORS],
        ),
    ]  # fmt: skip
    if board.child_level is not None:
        sheets.append(
            Sheet(
                title=_("Ranking"),
                headers=[_("Rank"), str(Level(board.child_level).label),
                         *[label for _key, label, _kind in RANKING_COLUMNS]],
                rows=[[row["rank"], row["name"],
                       *[_excel_value(cell["value"], cell["kind"]) for cell in row["cells"]]]
                      for row in ranking(board)],
            )
        )  # fmt: skip
    stamp = format_date_be_numeric(today).replace("/", "-")
    name = f"dashboard-{area.level}-{area.code}-{fy or 'all'}-{stamp}.xlsx"
    return workbook_response(filename=name, sheets=sheets, area=area.name, fiscal_year_be=fy or 0)


def baht(name: Any) -> str:
    """A column header of a money figure: its one name, in baht."""
    return _("%(figure)s (baht)") % {"figure": name}


def _excel_value(value: Any, kind: str) -> Any:
    if value is None:
        return ""
    return Percent(value) if kind == PERCENT else value


@login_required
@require_GET
def nation_export(request: HttpRequest) -> HttpResponse:
    return _export(request, Level.NATION, NATION_CODE)


@login_required
@require_GET
def province_export(request: HttpRequest, code: str) -> HttpResponse:
    return _export(request, Level.PROVINCE, code)


@login_required
@require_GET
def district_export(request: HttpRequest, code: str) -> HttpResponse:
    return _export(request, Level.DISTRICT, code)


@login_required
@require_GET
def center_export(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, Level.CENTER, pk)
