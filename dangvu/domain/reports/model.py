"""What a builder returns: plain data a renderer lays out (STYLE §9). Every figure keeps its numerator and
denominator; comparisons and trends are data too; sentences are already written in Vietnamese."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .header import Header
from .periods import Period

Number = int | Fraction | Decimal
TREND_LABELS = {
    "review.grassroots.good_or_better": "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên",
    "review.members.good_or_better": "Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên",
    "admissions": "Kết nạp đảng viên mới",
}


def as_float(x: Number | None) -> float | int | None:
    if x is None or isinstance(x, int):
        return x
    return float(x)


@dataclass
class Figure:
    """One figure of the report: '23/56 tổ chức cơ sở đảng …', 'kết nạp 209 đảng viên (đạt 116% kế hoạch)'."""

    code: str
    label: str
    value: Number
    unit: str = ""
    numerator: int | None = None
    denominator: int | None = None
    printed: str = ""  # the value as the report prints it: "41,07%", "78/333", "1.382"
    sentence: str = ""
    year: int | None = None
    previous: Number | None = None  # the same figure for the previous period
    change: str = ""  # "tăng 3,2 điểm phần trăm so với năm 2015"
    plan: Number | None = None
    achievement: Fraction | None = None
    target: str = ""  # "≥ 95%"
    status: str = ""  # met | exceeded | missed

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "value": as_float(self.value),
            "unit": self.unit,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "printed": self.printed,
            "sentence": self.sentence,
            "year": self.year,
            "previous": as_float(self.previous),
            "change": self.change,
            "plan": as_float(self.plan),
            "achievement": as_float(self.achievement),
            "target": self.target,
            "status": self.status,
        }


@dataclass
class Table:
    """A statistical table: numbers stay numbers (the XLSX keeps them as such; the DOCX prints them)."""

    code: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    percent_columns: frozenset[int] = frozenset()  # columns holding shares (0..1)
    note: str = ""


@dataclass
class Chart:
    """A chart spec: categories on x, one bar series per entry (stacked or grouped)."""

    code: str
    title: str
    categories: list[str]
    series: dict[str, list[float]]
    y_label: str = ""
    stacked: bool = False
    percent: bool = False


@dataclass
class Paragraph:
    """kind "para": a finding the records support; kind "draft": the committee's own judgement (causes, lessons,
    tasks) offered as a draft to edit, never stated as a finding: renderers mark it visibly (highlighted in the
    DOCX)."""

    text: str
    bold: bool = False
    kind: str = "para"

    @property
    def is_draft(self) -> bool:
        return self.kind == "draft"


@dataclass
class TableRef:
    table: Table
    kind: str = "table"


@dataclass
class ChartRef:
    chart: Chart
    kind: str = "chart"


Block = Paragraph | TableRef | ChartRef


@dataclass
class Section:
    heading: str
    blocks: list[Block] = field(default_factory=list)
    level: int = 1  # 1: "I. …", 2: "1. …"

    def para(self, text: str, *, bold: bool = False) -> None:
        if text:
            self.blocks.append(Paragraph(text, bold))

    def draft(self, text: str) -> None:
        """A paragraph for the committee to edit (causes, lessons, tasks): see Paragraph."""
        if text:
            self.blocks.append(Paragraph(text, kind="draft"))

    def table(self, t: Table) -> None:
        self.blocks.append(TableRef(t))

    def chart(self, c: Chart) -> None:
        self.blocks.append(ChartRef(c))


@dataclass
class Report:
    kind: str
    title: str  # "BÁO CÁO" is the type; the title is the subject line
    subject: str
    period: Period
    header: Header
    root_code: str
    root_name: str
    intro: str = ""
    sections: list[Section] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    trends: dict[str, list[tuple[int, float | int | None]]] = field(default_factory=dict)
    trend_labels: dict[str, str] = field(default_factory=lambda: dict(TREND_LABELS))
    doc_type_title: str = "BÁO CÁO"
    file_stem: str = "bao-cao"

    def figure(self, code: str) -> Figure:
        return next(f for f in self.figures if f.code == code)

    def add(self, f: Figure) -> Figure:
        self.figures.append(f)
        return f

    def add_table(self, t: Table) -> Table:
        self.tables.append(t)
        return t

    def add_chart(self, c: Chart) -> Chart:
        self.charts.append(c)
        return c

    def sentences(self) -> list[str]:
        out = []
        for s in self.sections:
            out += [b.text for b in s.blocks if isinstance(b, Paragraph)]
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "subject": self.subject,
            "root": self.root_code,
            "period": {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
            "figures": [f.as_json() for f in self.figures],
            "trends": {k: [[y, v] for y, v in rows] for k, rows in self.trends.items()},
            "sections": [
                {"heading": s.heading, "sentences": [getattr(b, "text", "") for b in s.blocks]} for s in self.sections
            ],
        }
