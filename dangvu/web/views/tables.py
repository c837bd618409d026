"""The basic statistics tables (biểu thống kê cơ bản): choose a unit, a date and a table; read the figures and each
unit's; open a cell's list (the records it counts, in scope, identifiers masked); download the XLSX (audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from dangvu.accounts.scope import get_org, home_org, require_reader, today, visible_orgs
from dangvu.domain.vietnamese import fmt_date, parse_date
from dangvu.members.queries import mask
from dangvu.orgs.models import OrgVersion
from dangvu.orgs.queries import names_on
from dangvu.tables.builder import all_tables, build, cell_records, root_unit, table_by_code
from dangvu.tables.definitions import DefinitionError, Table
from dangvu.tables.services import tables_export
from dangvu.tables.xlsx import period_line
from dangvu.web import reads
from dangvu.web.forms import date_field
from dangvu.web.pickers import OrgField, PickerForm

LISTED = 500  # a cell's list shows this many records at most (the count says how many there are)


def _year_end() -> dt.date:
    t = today()
    return t if (t.month, t.day) == (12, 31) else dt.date(t.year - 1, 12, 31)


class TablesForm(PickerForm):
    org = OrgField(label="Tổ chức")
    as_of = date_field("Có đến ngày")
    table = forms.ChoiceField(label="Biểu")

    def __init__(self, *args: Any, tables: list[Table], **kw: Any) -> None:
        super().__init__(*args, **kw)
        choices = [(t.code, f"{t.form} — {t.title}" if t.form else t.title) for t in tables]
        self.fields["table"].choices = choices  # type: ignore[attr-defined]


def _defaults(user: Any) -> tuple[str, dt.date]:
    """The unit and day the form opens on: the person's own unit on the last year-end; if that unit had ended by then
    (a district after the 2025 reform), its own last year-end; else where the person's tree of that day starts."""
    day = _year_end()
    home = home_org(user)
    if home is None:
        return "", day
    if visible_orgs(user, day).filter(pk=home.pk).exists():
        return home.code, day
    ended = OrgVersion.objects.filter(organization=home).aggregate(m=Max("valid_to"))["m"]  # the day after its last
    if ended is not None and ended <= day:
        last = ended - dt.timedelta(days=1)
        year_end = last if (last.month, last.day) == (12, 31) else dt.date(last.year - 1, 12, 31)
        if visible_orgs(user, year_end).filter(pk=home.pk).exists():
            return home.code, year_end
    tops = reads.tree_tops(visible_orgs(user, day), day)
    return (tops[0].code if tops else ""), day


def _chosen(request: HttpRequest) -> tuple[TablesForm, list[Table]]:
    try:
        tables = all_tables()
    except DefinitionError as e:  # the office's file has a mistake: said, with where it is
        raise Http404(str(e)) from e
    org, day = _defaults(request.user)
    initial = {"org": org, "as_of": fmt_date(day)}
    if tables:
        initial["table"] = tables[0].code
    data = request.GET if request.GET.get("org") else None
    on = _day(request.GET.get("as_of"))
    return TablesForm(data, initial=initial, tables=tables, user=request.user, on=on), tables


def _day(text: str | None) -> dt.date:
    try:
        return parse_date(text) if text else _year_end()
    except ValueError:
        return _year_end()


@login_required
def tables_page(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    form, tables = _chosen(request)
    ctx: dict[str, Any] = {"form": form, "tables": tables}
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        org = get_org(request.user, d["org"], on=d["as_of"])  # out of scope: 404
        table = next(t for t in tables if t.code == d["table"])
        (figures,) = build(org, d["as_of"], [table])
        ctx.update(figures=figures, period=period_line(figures), org=org, query=request.GET.urlencode())
    return render(request, "web/tables.html", ctx)


@login_required
def table_cell(request: HttpRequest) -> HttpResponse:
    """The records one cell counts: members (name, masked card number, unit) or organizations, in the person's scope
    (the unit asked for is in it, and the records are its subtree's)."""
    require_reader(request.user)
    on = _day(request.GET.get("as_of"))
    org = get_org(request.user, request.GET.get("org", ""), on=on)
    table = table_by_code(request.GET.get("table", ""))
    got = cell_records(org, on, table, request.GET.get("row", ""), request.GET.get("col", "")) if table else None
    if got is None:
        raise Http404("Không có ô này trong biểu.")
    units = names_on([(r.unit_id, got.on) for r in got.records[:LISTED]])
    rows = [
        (r, units.get((r.unit_id, got.on), ""), mask(r.card_number) if r.card_number else "")
        for r in got.records[:LISTED]
    ]
    return render(
        request,
        "web/tables_cell.html",
        {"got": got, "org": org, "root": root_unit(org, on), "rows": rows, "on": on, "back": request.GET.urlencode()},
    )


@login_required
@require_POST
def tables_download(request: HttpRequest) -> HttpResponse:
    """Every table for the unit and date as one XLSX workbook, in the forms' layout; audited."""
    require_reader(request.user)
    on = _day(request.GET.get("as_of"))
    org = get_org(request.user, request.GET.get("org", ""), on=on)
    data = tables_export(root=org, on=on, tables=all_tables(), actor=request.user, issuer=root_unit(org, on))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="bieu-thong-ke-{org.code}-{on.isoformat()}.xlsx"'
    return response
