"""The ratings sheet ('Xếp loại') of the exchange format: parse → validate → apply in one transaction.

Columns: Năm | Mã cấp ủy quyết định | Loại đối tượng | Mã đối tượng | Bước | Mức | Tiêu biểu | Tổng điểm |
Tiêu chí | Nhận xét | Lý do vượt hạn mức | Ngày xếp loại. Documented in docs/import-format.md.

A sheet is written the way an office writes it: rows in any order, one year's decisions of every committee of a
province together. It is applied from the bottom of the tree up (assessment_rules §7 [I, implied by the criteria]:
members, then branches, partial committees, grassroots organizations, then the committees above): the cycles are
opened first, then each committee's decisions are applied, the deepest committees first, so a committee's
decision on a unit sees the results its sub-committees decided in the same sheet. All in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from python_calamine import CalamineWorkbook

from dangvu.audit.services import Actor, audit
from dangvu.domain.assessment.levels import (
    GRADE_LABELS,
    NEW_LABELS,
    OLD_MEMBER_LABELS,
    OLD_ORG_LABELS,
    SHORT,
    STAGE_LABELS,
    Grade,
    Stage,
)
from dangvu.domain.errors import RuleError
from dangvu.domain.vietnamese import fmt_date, fold, nfc, parse_date
from dangvu.imports import limits
from dangvu.members.models import Member
from dangvu.orgs.models import OrgAncestry, Organization

from .facts import build_roster, cycle_regime
from .models import AssessmentCycle, Rating
from .services import Decision, DecisionErrors, cycle_open, decide_many
from .subjects import out_of_scope, subject_names

SHEET = "Xếp loại"
CSV_NAME = "xep_loai.csv"
COLUMNS = [
    "Năm",
    "Mã cấp ủy quyết định",
    "Loại đối tượng",
    "Mã đối tượng",
    "Bước",
    "Mức",
    "Tiêu biểu",
    "Tổng điểm",
    "Tiêu chí",
    "Nhận xét",
    "Lý do vượt hạn mức",
    "Ngày xếp loại",
]


def _lookup(*tables: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for table in tables:
        for code, label in table.items():
            out[fold(label)] = code
            out[fold(code)] = code
    return out


LEVELS = _lookup(NEW_LABELS, OLD_ORG_LABELS, OLD_MEMBER_LABELS, SHORT)
STAGES = _lookup(STAGE_LABELS, {"decision": "Quyết định"})
GRADES = _lookup(GRADE_LABELS)
YES = {"x", "co", "1", "true", "tieu bieu"}


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    decisions: int = 0
    ratings: int = 0
    cycles_opened: int = 0


MEMBER_KINDS = {"dang vien"}
ORG_KINDS = {"to chuc", "chi bo", "dang bo", "to chuc dang"}
# Codes looked up per statement (well under SQLite's 32,766 parameters).
CODE_BATCH = 5000


def read_rows(path: str | Path) -> tuple[str, list[list[Any]]]:
    """(file label, rows including the header) from an .xlsx workbook, a .csv file or a directory."""
    p = Path(path)
    if p.is_dir():
        p = p / CSV_NAME
    # The same bounds as the exchange format's reader (dangvu.imports.limits), checked before parsing.
    try:
        if p.suffix.lower() == ".xlsx":
            limits.check_xlsx(p, p.name)
            try:
                wb = CalamineWorkbook.from_path(str(p))
            except Exception:  # calamine's own errors (English) for damaged parts
                raise RuleError(
                    f"Tệp {p.name}: tệp Excel bị hỏng, không đọc được; hãy mở bằng Excel và lưu lại."
                ) from None
            if SHEET not in wb.sheet_names:
                raise RuleError(f"{p.name}: không có sheet '{SHEET}'.")
            return f"{p.name}, sheet '{SHEET}'", list(wb.get_sheet_by_name(SHEET).iter_rows())
        limits.check_csv(p, p.name)
        return p.name, limits.read_csv(p, p.name, "")
    except limits.TooLarge as e:
        raise RuleError(str(e.problem)) from None


def _text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, dt.datetime):
        v = v.date()
    if isinstance(v, dt.date):
        return fmt_date(v)
    return nfc(str(v)).strip() if v is not None else ""


def _codes(model: Any, codes: set[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    ordered = sorted(codes)
    for i in range(0, len(ordered), CODE_BATCH):
        out.update(model.objects.filter(code__in=ordered[i : i + CODE_BATCH]).values_list("code", "pk"))
    return out


@dataclass
class Row:
    n: int  # the row's number in the sheet
    kind: str  # "m" | "o"
    sid: int
    stage: str
    level: str
    score: Decimal | None
    grades: dict[str, str]
    exemplary: bool
    comment: str
    override: str


@dataclass
class Group:
    """One committee's rows for one year: the cycle they belong to."""

    year: int
    committee: str
    rows: list[Row] = field(default_factory=list)
    rated_on: dt.date | None = None
    rated_on_row: int = 0
    cycle: AssessmentCycle | None = None
    depth: int = 0


def import_ratings(path: str | Path, *, actor: Actor, rated_on: dt.date | None = None) -> Report:
    """Import a ratings sheet, all or nothing. `rated_on` is the rating day of the cycles the sheet opens (the
    column 'Ngày xếp loại' overrides it per committee); without either, the cycle's default (15/12 [I])."""
    report = Report()
    try:
        label, rows = read_rows(path)
    except (OSError, RuleError) as e:
        report.errors.append(str(e))
        return report
    if not rows:
        report.errors.append(f"{label}: tệp rỗng.")
        return report
    groups = _parse(label, rows, report, rated_on)
    if report.errors:
        return report
    try:
        with transaction.atomic():
            _apply(label, groups, report, actor)
            if report.errors:
                raise _Rollback
            audit(
                actor=actor,
                action="ratings_import",
                object_type="file",
                object_id=Path(path).name,
                after={"decisions": report.decisions, "ratings": report.ratings, "cycles": report.cycles_opened},
            )
    except _Rollback:
        report.decisions = report.ratings = report.cycles_opened = 0
    return report


def _parse(label: str, rows: list[list[Any]], report: Report, rated_on: dt.date | None) -> list[Group]:
    header = [fold(_text(h)) for h in rows[0]]
    idx = {c: header.index(fold(c)) for c in COLUMNS if fold(c) in header}
    missing = [c for c in COLUMNS[:6] if c not in idx]
    if missing:
        report.errors.append(f"{label}: thiếu cột {', '.join(missing)}.")
        return []

    def err(row_no: int, col: str, msg: str) -> None:
        report.errors.append(f"{label}, dòng {row_no}, cột '{col}': {msg}")

    cells = [
        (n, {c: _text(raw[i]) if i < len(raw) else "" for c, i in idx.items()})
        for n, raw in enumerate(rows[1:], start=2)
    ]
    cells = [(n, cell) for n, cell in cells if any(cell.values())]
    kinds = {n: fold(cell["Loại đối tượng"]) for n, cell in cells}
    members = _codes(Member, {c["Mã đối tượng"] for n, c in cells if kinds[n] in MEMBER_KINDS})
    orgs = _codes(Organization, {c["Mã đối tượng"] for n, c in cells} | {c["Mã cấp ủy quyết định"] for _, c in cells})
    groups: dict[tuple[int, str], Group] = {}
    for n, cell in cells:
        try:
            year = int(cell["Năm"])
        except ValueError:
            err(n, "Năm", f"'{cell['Năm']}' không phải năm.")
            continue
        if kinds[n] in MEMBER_KINDS:
            kind = "m"
        elif kinds[n] in ORG_KINDS:
            kind = "o"
        else:
            err(n, "Loại đối tượng", f"'{cell['Loại đối tượng']}' không hợp lệ (ghi 'Đảng viên' hoặc 'Tổ chức').")
            continue
        code = cell["Mã đối tượng"]
        sid = (members if kind == "m" else orgs).get(code)
        if sid is None:
            err(n, "Mã đối tượng", f"không có {'đảng viên' if kind == 'm' else 'tổ chức'} mã '{code}'.")
            continue
        stage = STAGES.get(fold(cell["Bước"]))
        if stage is None:
            err(n, "Bước", f"'{cell['Bước']}' không hợp lệ ({', '.join(STAGE_LABELS.values())}).")
            continue
        level = LEVELS.get(fold(cell["Mức"]), "") if cell["Mức"] else ""
        if cell["Mức"] and not level:
            err(n, "Mức", f"'{cell['Mức']}' không phải mức xếp loại.")
            continue
        if stage == Stage.DECISION and not level:
            err(n, "Mức", "bước 'Quyết định' cần một mức xếp loại.")
            continue
        score = None
        if cell.get("Tổng điểm"):
            try:
                score = Decimal(cell["Tổng điểm"].replace(",", "."))
            except InvalidOperation:
                err(n, "Tổng điểm", f"'{cell['Tổng điểm']}' không phải số.")
                continue
        grades: dict[str, str] = {}
        bad_grade = False
        for part in filter(None, (x.strip() for x in cell.get("Tiêu chí", "").split(";"))):
            k, _, v = part.partition("=")
            grade = GRADES.get(fold(v))
            if not k.strip() or grade is None:
                err(n, "Tiêu chí", f"'{part}': dùng dạng 'tên tiêu chí=Xuất sắc|Tốt|Trung bình|Kém'.")
                bad_grade = True
                break
            grades[k.strip()] = Grade(grade)
        if bad_grade:
            continue
        committee = cell["Mã cấp ủy quyết định"]
        if committee not in orgs:
            err(n, "Mã cấp ủy quyết định", f"không có tổ chức mã '{committee}'.")
            continue
        day = None
        if cell.get("Ngày xếp loại"):
            try:
                day = parse_date(cell["Ngày xếp loại"])
            except ValueError:
                err(n, "Ngày xếp loại", f"'{cell['Ngày xếp loại']}' không phải ngày (dd/mm/yyyy).")
                continue
            if day.year != year:
                err(n, "Ngày xếp loại", f"ngày {fmt_date(day)} không thuộc năm đánh giá {year}.")
                continue
        g = groups.setdefault((year, committee), Group(year, committee))
        if day is not None:
            if g.rated_on is not None and g.rated_on != day:
                err(
                    n,
                    "Ngày xếp loại",
                    f"ngày {fmt_date(day)} khác ngày {fmt_date(g.rated_on)} đã ghi ở dòng {g.rated_on_row} cho đợt "
                    f"đánh giá năm {year} của cấp ủy mã '{committee}'.",
                )
                continue
            if g.rated_on is None:
                g.rated_on, g.rated_on_row = day, n
        g.rows.append(
            Row(
                n,
                kind,
                sid,
                stage,
                level,
                score,
                grades,
                fold(cell.get("Tiêu biểu", "")) in YES,
                cell.get("Nhận xét", ""),
                cell.get("Lý do vượt hạn mức", ""),
            )
        )
    for g in groups.values():
        if g.rated_on is None and rated_on is not None:
            if rated_on.year != g.year:
                report.errors.append(
                    f"{label}: ngày xếp loại {fmt_date(rated_on)} không thuộc năm đánh giá {g.year} (cấp ủy mã "
                    f"'{g.committee}')."
                )
            g.rated_on = rated_on
    return list(groups.values())


def _apply(label: str, groups: list[Group], report: Report, actor: Actor) -> None:
    found: list[tuple[int, str]] = []  # refusals of the current step, listed in the order of the rows

    def err(row_no: int, col: str, msg: str) -> None:
        found.append((row_no, f"{label}, dòng {row_no}, cột '{col}': {msg}"))

    def flush() -> None:
        report.errors.extend(text for _, text in sorted(found))
        found.clear()

    # 1. The cycles: the existing ones (on their own rating day), then those the sheet opens. Every cycle is open
    #    before any decision, so each roster leaves out what a nested committee of the sheet decides.
    for g in groups:
        g.cycle = AssessmentCycle.objects.filter(year=g.year, committee__code=g.committee).first()
        if g.cycle is not None and g.rated_on is not None and g.cycle.rated_on != g.rated_on:
            err(
                g.rated_on_row or g.rows[0].n,
                "Ngày xếp loại",
                f"đợt đánh giá năm {g.year} của {g.committee} – {g.cycle.committee_name} đã mở với ngày xếp loại "
                f"{fmt_date(g.cycle.rated_on)}, khác ngày {fmt_date(g.rated_on)} của tệp.",
            )
    flush()
    if report.errors:
        return
    for g in sorted(groups, key=lambda g: (g.year, g.committee)):
        if g.cycle is None:
            try:
                g.cycle = cycle_open(
                    committee=Organization.objects.get(code=g.committee),
                    year=g.year,
                    actor=actor,
                    rated_on=g.rated_on,
                )
                report.cycles_opened += 1
            except RuleError as e:
                err(g.rows[0].n, "Mã cấp ủy quyết định", e.message)
    flush()
    if report.errors:
        return
    # 2. Depth of each committee in the tree on its rating day: the deepest decide first.
    by_day: dict[dt.date, list[Group]] = defaultdict(list)
    for g in groups:
        assert g.cycle is not None
        by_day[g.cycle.rated_on].append(g)
    for day, gs in by_day.items():
        depth = dict(
            OrgAncestry.objects.on(day)
            .filter(organization_id__in=[g.cycle.committee_id for g in gs if g.cycle])
            .values("organization_id")
            .annotate(d=Max("depth"))
            .values_list("organization_id", "d")
        )
        for g in gs:
            assert g.cycle is not None
            g.depth = depth.get(g.cycle.committee_id, 0)
    tiers: dict[tuple[int, int], list[Group]] = defaultdict(list)
    for g in groups:
        tiers[(g.year, -g.depth)].append(g)
    # 3. Tier by tier. A tier with refusals stops the import there: the committees above would only repeat that
    #    their sub-units have no decision.
    for key in sorted(tiers):
        for g in sorted(tiers[key], key=lambda g: g.committee):
            _apply_group(g, report, err, actor)
        flush()
        if report.errors:
            above = sum(len(tiers[k]) for k in tiers if k > key)
            if above:
                report.errors.append(
                    f"{label}: chưa kiểm tra quyết định của {above} cấp ủy cấp trên vì các lỗi trên; sửa các dòng "
                    "lỗi rồi nhập lại cả tệp."
                )
            return


def _apply_group(g: Group, report: Report, err: Any, actor: Actor) -> None:
    cycle = g.cycle
    assert cycle is not None
    # The roster only checks the stages' opinions; decide_many builds its own under the cycle's lock.
    roster = build_roster(cycle) if any(r.stage != Stage.DECISION for r in g.rows) else None
    regime = cycle_regime(cycle)
    opinions: list[Rating] = []
    decisions: list[tuple[int, Decision]] = []
    names: dict[tuple[str, int], str] | None = None
    bad: list[tuple[Row, str, str]] = []
    for r in g.rows:
        if r.stage == Stage.DECISION:
            decisions.append(
                (r.n, Decision(r.kind, r.sid, r.level, r.exemplary, r.override, r.comment, r.grades, r.score))
            )
            continue
        # A stage's opinion: the subject must be this cycle's, the level on the regime's scale.
        assert roster is not None
        inside = r.sid in roster.member_unit if r.kind == "m" else r.sid in roster.orgs
        if not inside:
            bad.append((r, "Mã đối tượng", out_of_scope(roster, r.kind, r.sid)))
            continue
        scale = regime.member_levels if r.kind == "m" else regime.org_levels
        if r.level and r.level not in scale:
            bad.append((r, "Mức", f"mức '{SHORT.get(r.level, r.level)}' không thuộc thang xếp loại năm {g.year}."))
            continue
        opinions.append(
            Rating(
                cycle=cycle,
                stage=r.stage,
                level=r.level,
                grades=r.grades,
                score=r.score,
                comment=r.comment,
                actor_label=actor.label,
                **({"member_id": r.sid} if r.kind == "m" else {"organization_id": r.sid}),
            )
        )
    if bad:
        names = subject_names([(r.kind, r.sid) for r, _, _ in bad], cycle.rated_on)
        for r, col, msg in bad:
            err(r.n, col, f"{names[(r.kind, r.sid)]}: {msg}")
        return
    Rating.objects.bulk_create(opinions, batch_size=2000)
    report.ratings += len(opinions)
    if not decisions:
        return
    try:
        decide_many(cycle=cycle, actor=actor, decisions=[d for _, d in decisions])
    except DecisionErrors as e:
        for i, msg in e.errors:
            err(decisions[i][0], "Mã đối tượng" if i in e.outside else "Mức", msg)
        return
    except RuleError as e:  # the cycle itself (closed): named by its committee
        err(decisions[0][0], "Mã cấp ủy quyết định", f"{g.committee} – {cycle.committee_name}: {e.message}")
        return
    report.decisions += len(decisions)


class _Rollback(Exception):
    pass
