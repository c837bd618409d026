"""Lists ('Danh sách …'): members at the top level N years running, organizations exemplary N years running,
party badges proposed for the next occasion, members not rated and why."""

from __future__ import annotations

import datetime as dt

from dangvu.assessment.models import Result
from dangvu.assessment.stats import member_streaks, org_streaks
from dangvu.domain.assessment.levels import NOT_RATED_LABELS, SHORT
from dangvu.domain.errors import RuleError
from dangvu.domain.reports.model import Figure, Report, Table
from dangvu.domain.reports.periods import Kind
from dangvu.domain.reports.phrasing import capitalize, sentence, streak_sentence
from dangvu.domain.vietnamese import fmt_date, fmt_int, person_sort_key, sort_key
from dangvu.members.models import Member
from dangvu.orgs.models import OrgAncestry, Organization, OrgVersion, valid_on
from dangvu.work.alerts import badges_due

from .common import Ctx, new_report, section

LISTS = {
    "top-members": "Danh sách đảng viên hoàn thành xuất sắc nhiệm vụ {n} năm liền ({a} – {b})",
    "exemplary-orgs": "Danh sách tổ chức đảng đạt mức cao nhất, tiêu biểu {n} năm liền ({a} – {b})",
    "badges": "Danh sách đảng viên đề nghị tặng Huy hiệu Đảng dịp {d}",
    "not-rated": "Danh sách đảng viên không xếp loại chất lượng năm {b} và lý do",
}


def build_list(ctx: Ctx, *, name: str, years: int) -> Report:
    if name not in LISTS:
        raise RuleError(f"Không có danh sách '{name}' (chọn: {', '.join(LISTS)}).", field="list")
    year = ctx.period.last_year
    from dangvu.domain.badges import next_occasion

    occasion = next_occasion(ctx.issued_on)
    title = LISTS[name].format(n=years, a=year - years + 1, b=year, d=fmt_date(occasion))
    rep = new_report(ctx, Kind.LIST, title, f"danh-sach-{name}-{year}")
    rep.doc_type_title = "DANH SÁCH"
    rep.subject = capitalize(title.removeprefix("Danh sách "))  # "DANH SÁCH" is already the document type
    on = dt.date(year, 12, 31)
    s = section("")
    if name == "top-members":
        ids = member_streaks(ctx.root, year, years)
        t = member_table(ids, year, years, on)
        s.para(
            sentence(f"{ctx.committee} có {streak_sentence(len(ids), years, year)}")
            if ids
            else f"Không có đảng viên hoàn thành xuất sắc nhiệm vụ {years} năm liền ({year - years + 1} – {year})."
        )
        rep.add(Figure("list.count", title, len(ids), "đảng viên", printed=fmt_int(len(ids))))
    elif name == "exemplary-orgs":
        ids = org_streaks(ctx.root, year, years, exemplary=True)
        t = org_table(ids, year, years, on)
        s.para(
            sentence(
                f"Có {fmt_int(len(ids))} tổ chức đảng đạt mức cao nhất, tiêu biểu {years} năm liền "
                f"({year - years + 1} – {year})"
            )
        )
        rep.add(Figure("list.count", title, len(ids), "tổ chức", printed=fmt_int(len(ids))))
    elif name == "badges":
        alerts = sorted(badges_due(ctx.root, ctx.issued_on), key=lambda a: person_sort_key(a.subject))
        t = Table(
            "list",
            title,
            ["STT", "Họ và tên", "Dịp trao", "Nội dung", "Căn cứ"],
            [[i + 1, a.subject, fmt_date(a.due_on), a.message, a.source] for i, a in enumerate(alerts)],
        )
        s.para(sentence(f"Đề nghị tặng Huy hiệu Đảng cho {fmt_int(len(alerts))} đồng chí dịp {fmt_date(occasion)}"))
        rep.add(Figure("list.count", title, len(alerts), "đảng viên", printed=fmt_int(len(alerts))))
    else:
        t = not_rated_table(ctx.root, year, on)
        s.para(sentence(f"Năm {year} có {fmt_int(len(t.rows))} đảng viên không xếp loại chất lượng"))
        rep.add(Figure("list.count", title, len(t.rows), "đảng viên", printed=fmt_int(len(t.rows))))
    t.title = title
    s.table(rep.add_table(t))
    rep.sections.append(s)
    return rep


def _units(on: dt.date) -> dict[int, str]:
    return dict(OrgVersion.objects.filter(valid_on(on)).values_list("organization_id", "name"))


def member_table(ids: list[int], year: int, years: int, on: dt.date) -> Table:
    rows = list(
        Result.objects.filter(member_id__in=ids, year__range=(year - years + 1, year)).values_list(
            "member_id", "year", "level", "unit_id"
        )
    )
    by: dict[int, list[tuple[int, str, int]]] = {}
    for mid, y, lv, unit in rows:
        by.setdefault(mid, []).append((y, lv, unit))
    names = _units(on)
    members = sorted(Member.objects.filter(pk__in=ids), key=lambda m: person_sort_key(m.full_name))
    out = []
    for i, m in enumerate(members):
        hist = sorted(by.get(m.pk, []))
        unit_name = names.get(hist[-1][2], "") if hist else ""
        out.append(
            [
                i + 1,
                m.full_name,
                m.code,
                fmt_date(m.birth_date),
                unit_name,
                ", ".join(f"{y}: {SHORT[lv]}" for y, lv, _u in hist),
            ]
        )
    return Table("list", "", ["STT", "Họ và tên", "Mã đảng viên", "Ngày sinh", "Chi bộ", "Kết quả các năm"], out)


def org_table(ids: list[int], year: int, years: int, on: dt.date) -> Table:
    rows = list(
        Result.objects.filter(organization_id__in=ids, year__range=(year - years + 1, year)).values_list(
            "organization_id", "year", "level", "exemplary"
        )
    )
    by: dict[int, list[tuple[int, str, bool]]] = {}
    for oid, y, lv, ex in rows:
        by.setdefault(oid, []).append((y, lv, ex))
    names = _units(on)
    orgs = sorted(Organization.objects.filter(pk__in=ids), key=lambda o: sort_key(names.get(o.pk, o.code)))
    out = [
        [
            i + 1,
            names.get(o.pk, o.code),
            o.code,
            ", ".join(f"{y}: {SHORT[lv]}{' tiêu biểu' if ex else ''}" for y, lv, ex in sorted(by.get(o.pk, []))),
        ]
        for i, o in enumerate(orgs)
    ]
    return Table("list", "", ["STT", "Tổ chức đảng", "Mã", "Kết quả các năm"], out)


def not_rated_table(root: Organization, year: int, on: dt.date) -> Table:
    scope = OrgAncestry.objects.on(on).filter(ancestor=root).values("organization_id")
    rows = list(
        Result.objects.filter(year=year, member__isnull=False, unit_id__in=scope)
        .exclude(not_rated="")
        .select_related("member")
        .values_list("member__full_name", "member__code", "unit_id", "not_rated")
    )
    names = _units(on)
    rows.sort(key=lambda r: person_sort_key(r[0]))
    return Table(
        "list",
        "",
        ["STT", "Họ và tên", "Mã đảng viên", "Chi bộ", "Lý do không xếp loại"],
        [[i + 1, n, c, names.get(u, ""), NOT_RATED_LABELS[r]] for i, (n, c, u, r) in enumerate(rows)],
    )
