"""The ratings sheet ('Xếp loại') of the exchange format: parse → validate → apply in one transaction.

Columns: Năm | Mã cấp ủy quyết định | Loại đối tượng | Mã đối tượng | Bước | Mức | Tiêu biểu | Tổng điểm |
Tiêu chí | Nhận xét | Lý do vượt hạn mức. Documented in docs/import-format.md.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
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
from dangvu.domain.vietnamese import fold, nfc
from dangvu.imports import limits
from dangvu.members.models import Member
from dangvu.orgs.models import Organization

from .models import AssessmentCycle, Rating
from .services import Decision, DecisionErrors, cycle_open, decide_many

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
    return nfc(str(v)) if v is not None else ""


def import_ratings(path: str | Path, *, actor: Actor) -> Report:
    report = Report()
    try:
        label, rows = read_rows(path)
    except (OSError, RuleError) as e:
        report.errors.append(str(e))
        return report
    if not rows:
        report.errors.append(f"{label}: tệp rỗng.")
        return report
    header = [fold(_text(h)) for h in rows[0]]
    idx = {c: header.index(fold(c)) for c in COLUMNS if fold(c) in header}
    missing = [c for c in COLUMNS[:6] if c not in idx]
    if missing:
        report.errors.append(f"{label}: thiếu cột {', '.join(missing)}.")
        return report

    def err(row_no: int, col: str, msg: str) -> None:
        report.errors.append(f"{label}, dòng {row_no}, cột '{col}': {msg}")

    parsed: dict[tuple[int, str], list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    members = dict(Member.objects.values_list("code", "pk"))
    orgs = dict(Organization.objects.values_list("code", "pk"))
    for n, raw in enumerate(rows[1:], start=2):
        cell = {c: _text(raw[i]) if i < len(raw) else "" for c, i in idx.items()}
        if not any(cell.values()):
            continue
        try:
            year = int(cell["Năm"])
        except ValueError:
            err(n, "Năm", f"'{cell['Năm']}' không phải năm.")
            continue
        kind = "m" if fold(cell["Loại đối tượng"]).startswith("dang vien") else "o"
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
        for part in filter(None, (x.strip() for x in cell.get("Tiêu chí", "").split(";"))):
            k, _, v = part.partition("=")
            g = GRADES.get(fold(v))
            if not k.strip() or g is None:
                err(n, "Tiêu chí", f"'{part}': dùng dạng 'tên tiêu chí=Xuất sắc|Tốt|Trung bình|Kém'.")
                break
            grades[k.strip()] = Grade(g)
        committee = cell["Mã cấp ủy quyết định"]
        if committee not in orgs:
            err(n, "Mã cấp ủy quyết định", f"không có tổ chức mã '{committee}'.")
            continue
        parsed[(year, committee)].append(
            (
                n,
                dict(
                    kind=kind,
                    sid=sid,
                    stage=stage,
                    level=level,
                    score=score,
                    grades=grades,
                    exemplary=fold(cell.get("Tiêu biểu", "")) in YES,
                    comment=cell.get("Nhận xét", ""),
                    override=cell.get("Lý do vượt hạn mức", ""),
                ),
            )
        )
    if report.errors:
        return report
    try:
        with transaction.atomic():
            for (year, committee), items in sorted(parsed.items()):
                cycle = AssessmentCycle.objects.filter(year=year, committee__code=committee).first() or cycle_open(
                    committee=Organization.objects.get(code=committee), year=year, actor=actor
                )
                opinions = [
                    Rating(
                        cycle=cycle,
                        stage=it["stage"],
                        level=it["level"],
                        grades=it["grades"],
                        score=it["score"],
                        comment=it["comment"],
                        actor_label=actor.label,
                        **({"member_id": it["sid"]} if it["kind"] == "m" else {"organization_id": it["sid"]}),
                    )
                    for _, it in items
                    if it["stage"] != Stage.DECISION
                ]
                Rating.objects.bulk_create(opinions, batch_size=2000)
                report.ratings += len(opinions)
                dec_rows = [(n, it) for n, it in items if it["stage"] == Stage.DECISION]
                try:
                    decide_many(
                        cycle=cycle,
                        actor=actor,
                        decisions=[
                            Decision(
                                it["kind"],
                                it["sid"],
                                it["level"],
                                it["exemplary"],
                                it["override"],
                                it["comment"],
                                it["grades"],
                                it["score"],
                            )
                            for _, it in dec_rows
                        ],
                    )
                except DecisionErrors as e:
                    for i, msg in e.errors:
                        err(dec_rows[i][0], "Mức", msg)
                except RuleError as e:
                    err(items[0][0], "Năm", e.message)
                report.decisions += len(dec_rows)
            if report.errors:
                raise _Rollback
            audit(
                actor=actor,
                action="ratings_import",
                object_type="file",
                object_id=Path(path).name,
                after={"decisions": report.decisions, "ratings": report.ratings},
            )
    except _Rollback:
        report.decisions = report.ratings = 0
    return report


class _Rollback(Exception):
    pass
