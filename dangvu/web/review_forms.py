"""Forms of the annual review: the member's self-review and the unit's sheet (facts, points, proposals and
decisions for every member on one page). They parse what was typed and keep it; the services decide the rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from dangvu.assessment import services as svc
from dangvu.assessment.sheet import SheetRow
from dangvu.audit.services import Actor
from dangvu.domain.assessment.levels import GRADE_LABELS, SHORT, Grade, Stage, level_label
from dangvu.domain.assessment.regimes import Criterion, Regime
from dangvu.domain.errors import RuleError
from dangvu.domain.vietnamese import fmt_decimal

BLANK = ("", "— Chọn —")


def level_choices(levels: tuple[str, ...]) -> list[tuple[str, str]]:
    return [BLANK] + [(lv, level_label(lv)) for lv in levels]


def grade_choices() -> list[tuple[str, str]]:
    return [BLANK] + [(g.value, GRADE_LABELS[g]) for g in Grade]


def options(choices: list[tuple[str, str]], chosen: str) -> SafeString:
    """<option>s with the chosen one selected, built once in Python: a district's sheet has thousands of them and
    the template language is slow at it."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((v, mark_safe(" selected") if v == chosen else "", label) for v, label in choices),
    )


def parse_number(text: str, what: str) -> Decimal | None:
    """'27,5', '27.5', '100%' → Decimal; '' → None."""
    t = (text or "").strip().replace("%", "").replace(" ", "").replace(",", ".")
    if not t:
        return None
    try:
        value = Decimal(t)
    except InvalidOperation as e:
        raise RuleError(f"{what}: '{text}' không phải là số.") from e
    if not value.is_finite():
        raise RuleError(f"{what}: '{text}' không phải là số.")
    return value


def shown_number(value: Any, places: int = 1) -> str:
    """A number as the forms show it: '100', '33,5'."""
    if value is None or value == "":
        return ""
    d = Decimal(str(value))
    return fmt_decimal(d, 0 if d == d.to_integral_value() else places)


def percent_shown(share: Decimal | None) -> str:
    return "" if share is None else shown_number(share * 100)


# ---------------------------------------------------------------- self-review


class SelfReviewForm(forms.Form):
    """The member's own assessment: points per criterion group (QĐ 366) or a grade per criterion, the level
    they propose for themselves (never preselected), and their self-criticism."""

    def __init__(self, regime: Regime, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.regime = regime
        for c in regime.member_criteria:
            if c.max_points is not None:
                self.fields[f"pt_{c.key}"] = forms.CharField(
                    label=f"{c.label} (tối đa {shown_number(c.max_points)} điểm)",
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 5}),
                )
            else:
                self.fields[f"gr_{c.key}"] = forms.ChoiceField(label=c.label, choices=grade_choices())
        self.fields["level"] = forms.ChoiceField(label="Tự xếp loại", choices=level_choices(regime.member_levels))
        self.fields["comment"] = forms.CharField(
            label="Bản tự kiểm điểm (tóm tắt)", widget=forms.Textarea(attrs={"rows": 5}), required=False
        )
        self.points: dict[str, Decimal | None] = {}
        self.grades: dict[str, str] = {}

    @staticmethod
    def initial_from(rating: Any) -> dict[str, Any]:
        """What the member sent last, to correct and send again."""
        if rating is None:
            return {}
        out: dict[str, Any] = {"level": rating.level, "comment": rating.comment}
        out.update({f"pt_{k}": shown_number(v) for k, v in (rating.points or {}).items()})
        out.update({f"gr_{k}": v for k, v in (rating.grades or {}).items()})
        return out

    def criteria_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith(("pt_", "gr_"))]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for c in self.regime.member_criteria:
            if c.max_points is not None and f"pt_{c.key}" in data:
                try:
                    value = parse_number(data[f"pt_{c.key}"], c.label)
                except RuleError as e:
                    self.add_error(f"pt_{c.key}", e.message)
                    continue
                if value is not None and not Decimal(0) <= value <= c.max_points:
                    self.add_error(f"pt_{c.key}", f"Từ 0 đến {shown_number(c.max_points)} điểm.")
                self.points[c.key] = value
            elif data.get(f"gr_{c.key}"):
                self.grades[c.key] = data[f"gr_{c.key}"]
        return data


# ---------------------------------------------------------------- the unit's sheet


@dataclass
class Cell:
    """One criterion's input on a row: its name on the form, its label and what it shows."""

    criterion: Criterion
    name: str
    value: str

    @property
    def shown(self) -> str:
        if self.criterion.max_points is not None:
            return self.value
        return GRADE_LABELS.get(self.value, self.value)  # type: ignore[call-overload]


@dataclass
class Entry:
    """One member's row as the page shows it: what is recorded, or what was typed when the row was refused."""

    row: SheetRow
    editable: bool  # facts, points, proposal (until the decision)
    decidable: bool = False  # the committee's decision (while the cycle is open)
    tasks_completed: str = ""
    tasks_exceeded: str = ""
    sick_leave: str = ""
    state_rating: str = ""
    cells: list[Cell] = field(default_factory=list)
    proposal: str = ""
    comment: str = ""
    decision: str = ""
    exemplary: bool = False
    reason: str = ""
    errors: list[str] = field(default_factory=list)

    levels: list[tuple[str, str]] = field(default_factory=list)  # the regime's levels, for the selects
    states: list[tuple[str, str]] = field(default_factory=list)  # the state ratings

    @property
    def pk(self) -> int:
        return self.row.member.pk

    @property
    def proposal_options(self) -> SafeString:
        return options(self.levels, self.proposal)

    @property
    def decision_options(self) -> SafeString:
        return options(self.levels, self.decision)

    @property
    def state_options(self) -> SafeString:
        return options(self.states, self.state_rating)

    @property
    def scored(self) -> bool:
        return any(c.criterion.max_points is not None for c in self.cells)

    @property
    def total(self) -> str:
        """The sum of the points typed, as the row shows it beside them."""
        try:
            values = [parse_number(c.value, "") for c in self.cells]
        except RuleError:
            return ""
        present = [v for v in values if v is not None]
        if not values or len(present) < len(values):
            return ""
        return shown_number(sum(present, Decimal(0)))


@dataclass
class OrgEntry:
    row: Any  # reads.OrgReviewRow
    facts: Any = None  # OrgYearFacts
    tasks_completed: str = ""
    tasks_exceeded: str = ""
    level: str = ""
    exemplary: bool = False
    error: str = ""

    @property
    def editable(self) -> bool:
        return self.row.result is None or not (self.row.result.level or self.row.result.not_rated)

    @property
    def pk(self) -> int:
        return int(self.row.version.organization_id)


@dataclass
class SaveSummary:
    facts: int = 0
    opinions: int = 0
    decisions: int = 0
    refused: int = 0

    def message(self) -> str:
        parts = []
        if self.facts:
            parts.append(f"số liệu của {self.facts} đảng viên, tổ chức")
        if self.opinions:
            parts.append(f"điểm hoặc đề xuất của {self.opinions} đảng viên")
        if self.decisions:
            parts.append(f"{self.decisions} quyết định xếp loại")
        done = "Đã ghi " + ", ".join(parts) + "." if parts else "Không có thay đổi nào để ghi."
        if self.refused:
            done += f" {self.refused} dòng chưa ghi được: lý do ghi ngay bên cạnh, những gì đã nhập vẫn giữ nguyên."
        return done


class UnitSheet:
    """The unit's review sheet. `entries` show the recorded values, or, for the rows named in `keep`, what was
    posted. `save` records what changed — facts, points and proposals, decisions — row by row: a refused row
    keeps what was typed and says why; the other rows are saved."""

    def __init__(
        self,
        *,
        regime: Regime,
        rows: list[SheetRow],
        org_rows: list[Any],
        propose: bool,
        decide: bool,
        data: Any = None,
        keep: set[int] | None = None,
        keep_orgs: set[int] | None = None,
        org_facts: dict[int, Any] | None = None,
    ) -> None:
        self.regime, self.propose, self.decide = regime, propose, decide
        self.org_facts = org_facts or {}
        self.data = data
        self.levels = level_choices(regime.member_levels)
        self.states = [("", "Không phải CBCCVC")] + [(lv, SHORT[lv]) for lv in regime.member_levels]
        self.entries = [
            self._entry(r, data if data is not None and (keep is None or r.member.pk in keep) else None) for r in rows
        ]
        self.org_entries = [
            self._org_entry(
                o, data if data is not None and (keep_orgs is None or o.version.organization_id in keep_orgs) else None
            )
            for o in org_rows
        ]

    # -- what the page shows

    def _entry(self, r: SheetRow, data: Any) -> Entry:
        """Facts, points and the proposal can be changed until the decision; the decision itself while the cycle
        is open (decide_many replaces it). A field the page did not send keeps what is recorded."""
        editable = (self.propose or self.decide) and not r.decided and r.outcome.not_rated is None
        e = Entry(r, editable, self.decide and r.outcome.not_rated is None, levels=self.levels, states=self.states)
        f, scored, res, mid = r.facts, r.scored, r.result, r.member.pk
        e.tasks_completed = percent_shown(f.tasks_completed if f else None)
        e.tasks_exceeded = percent_shown(f.tasks_exceeded if f else None)
        e.sick_leave = str(f.sick_leave_months) if f and f.sick_leave_months else ""
        e.state_rating = f.state_rating if f else ""
        recorded = (scored.points or scored.grades) if scored else {}
        e.cells = [
            Cell(
                c,
                self._cell_name(c, mid),
                shown_number(recorded.get(c.key)) if c.max_points else str(recorded.get(c.key, "")),
            )
            for c in self.regime.member_criteria
        ]
        e.proposal = r.proposal.level if r.proposal else ""
        e.comment = r.proposal.comment if r.proposal else ""
        e.decision = res.level if res else ""
        e.exemplary = bool(res and res.exemplary)
        e.reason = res.override_reason if res else ""
        if data is None:
            return e
        if editable:
            e.tasks_completed = data.get(f"tc-{mid}", e.tasks_completed).strip()
            e.tasks_exceeded = data.get(f"te-{mid}", e.tasks_exceeded).strip()
            e.sick_leave = data.get(f"sl-{mid}", e.sick_leave).strip()
            e.state_rating = data.get(f"sr-{mid}", e.state_rating)
            e.cells = [Cell(c.criterion, c.name, data.get(c.name, c.value).strip()) for c in e.cells]
            e.proposal = data.get(f"p-{mid}", e.proposal)
            e.comment = data.get(f"c-{mid}", e.comment)
        if e.decidable and f"d-{mid}" in data:
            e.decision = data.get(f"d-{mid}", "")
            e.exemplary = data.get(f"x-{mid}") == "on"
            e.reason = data.get(f"r-{mid}", "").strip()
        return e

    @staticmethod
    def _cell_name(c: Criterion, mid: int) -> str:
        return f"{'pt' if c.max_points is not None else 'gr'}-{c.key}-{mid}"

    def _org_entry(self, o: Any, data: Any) -> OrgEntry:
        oid = o.version.organization_id
        f = self.org_facts.get(oid)
        e = OrgEntry(o, f)
        e.tasks_completed = percent_shown(f.tasks_completed if f else None)
        e.tasks_exceeded = percent_shown(f.tasks_exceeded if f else None)
        if data is None:
            e.level = o.result.level if o.result else ""
            e.exemplary = bool(o.result and o.result.exemplary)
        else:
            e.level, e.exemplary = data.get(f"o-{oid}", ""), data.get(f"ox-{oid}") == "on"
            e.tasks_completed = data.get(f"otc-{oid}", e.tasks_completed).strip()
            e.tasks_exceeded = data.get(f"ote-{oid}", e.tasks_exceeded).strip()
        return e

    def _save_org_facts(self, o: OrgEntry, cycle: Any, actor: Actor, s: SaveSummary) -> None:
        try:
            done = parse_number(o.tasks_completed, "Tỷ lệ hoàn thành nhiệm vụ")
            over = parse_number(o.tasks_exceeded, "Tỷ lệ nhiệm vụ vượt mức")
        except RuleError as err:
            o.error = err.message
            return
        done = None if done is None else done / 100
        over = None if over is None else over / 100
        f = o.facts
        if (done, over) == ((f.tasks_completed, f.tasks_exceeded) if f else (None, None)):
            return
        try:
            svc.org_year_facts_record(
                cycle=cycle, organization_id=o.pk, tasks_completed=done, tasks_exceeded=over, actor=actor
            )
        except RuleError as err:
            o.error = err.message
        else:
            s.facts += 1

    def pending(self) -> dict[int, tuple[str, str]]:
        """The members' levels chosen on the page (for the quota meter)."""
        return {e.pk: (e.decision, e.reason) for e in self.entries if e.decidable and e.decision}

    # -- saving

    def save(self, *, cycle: Any, actor: Actor, accept: bool = False) -> SaveSummary:
        """Facts, then points and proposals, then decisions (the rules read the facts and points when they check
        a decision). With `accept`, a row with no level chosen takes the branch's proposal as the decision."""
        s = SaveSummary()
        for e in self.entries:
            if not e.editable:
                continue
            self._save_facts(e, cycle, actor, s)
            if not e.errors:
                self._save_opinion(e, cycle, actor, s)
        decisions: list[svc.Decision] = []
        owners: list[Entry | OrgEntry] = []
        if self.decide:
            for e in self.entries:
                if not e.decidable or e.errors:
                    continue
                if accept and not e.decision and e.row.proposal and e.row.proposal.level:
                    e.decision = e.row.proposal.level
                res = e.row.result
                if e.decision and (
                    res is None
                    or (res.level, res.exemplary, res.override_reason) != (e.decision, e.exemplary, e.reason)
                ):
                    decisions.append(
                        svc.Decision("m", e.pk, e.decision, exemplary=e.exemplary, override_reason=e.reason)
                    )
                    owners.append(e)
            for o in self.org_entries:
                if o.editable:
                    self._save_org_facts(o, cycle, actor, s)
                res = o.row.result
                if o.error:
                    continue
                if o.level and (res is None or (res.level, res.exemplary) != (o.level, o.exemplary)):
                    decisions.append(svc.Decision("o", o.pk, o.level, exemplary=o.exemplary))
                    owners.append(o)
        if decisions:
            report = svc.decisions_save(cycle=cycle, decisions=decisions, actor=actor)
            s.decisions = len(report.saved)
            for i, msg in report.refused:
                owner = owners[i]
                if isinstance(owner, Entry):
                    owner.errors.append(msg)
                else:
                    owner.error = msg
        s.refused = sum(1 for e in self.entries if e.errors) + sum(1 for o in self.org_entries if o.error)
        return s

    def with_errors_of(self, other: UnitSheet) -> UnitSheet:
        """This sheet, read again after `other` was saved, with other's refused rows as they were typed (a level
        the bulk acceptance filled in included) and their reasons."""
        refused = {e.pk: e for e in other.entries if e.errors}
        for e in self.entries:
            old = refused.get(e.pk)
            if old is not None:
                for name in (
                    "tasks_completed",
                    "tasks_exceeded",
                    "sick_leave",
                    "state_rating",
                    "cells",
                    "proposal",
                    "comment",
                    "decision",
                    "exemplary",
                    "reason",
                    "errors",
                ):
                    setattr(e, name, getattr(old, name))
        org_errors = {o.pk: o for o in other.org_entries if o.error}
        for o in self.org_entries:
            if o.pk in org_errors:
                o.level, o.exemplary, o.error = (
                    org_errors[o.pk].level,
                    org_errors[o.pk].exemplary,
                    org_errors[o.pk].error,
                )
        return self

    def refused_members(self) -> set[int]:
        return {e.pk for e in self.entries if e.errors}

    def refused_orgs(self) -> set[int]:
        return {o.pk for o in self.org_entries if o.error}

    def _save_facts(self, e: Entry, cycle: Any, actor: Actor, s: SaveSummary) -> None:
        try:
            done = parse_number(e.tasks_completed, "Tỷ lệ hoàn thành nhiệm vụ")
            over = parse_number(e.tasks_exceeded, "Tỷ lệ nhiệm vụ vượt mức")
            sick = parse_number(e.sick_leave, "Số tháng nghỉ ốm")
        except RuleError as err:
            e.errors.append(err.message)
            return
        if sick is not None and sick != sick.to_integral_value():
            e.errors.append("Số tháng nghỉ ốm: ghi số nguyên.")
            return
        facts = svc.YearFacts(
            tasks_completed=None if done is None else done / 100,
            tasks_exceeded=None if over is None else over / 100,
            sick_leave_months=int(sick or 0),
            civil_servant=bool(e.state_rating),
            state_rating=e.state_rating,
        )
        f = e.row.facts
        recorded = (
            svc.YearFacts(
                tasks_completed=f.tasks_completed,
                tasks_exceeded=f.tasks_exceeded,
                sick_leave_months=f.sick_leave_months,
                civil_servant=bool(f.state_rating),
                state_rating=f.state_rating,
            )
            if f
            else svc.YearFacts()
        )
        if facts == recorded:
            return
        try:
            svc.year_facts_record(cycle=cycle, member_id=e.pk, facts=facts, actor=actor)
        except RuleError as err:
            e.errors.append(err.message)
        else:
            s.facts += 1

    def _save_opinion(self, e: Entry, cycle: Any, actor: Actor, s: SaveSummary) -> None:
        points: dict[str, Decimal | None] = {}
        grades: dict[str, str] = {}
        try:
            for c in e.cells:
                if c.criterion.max_points is not None:
                    points[c.criterion.key] = parse_number(c.value, c.criterion.label)
                elif c.value:
                    grades[c.criterion.key] = c.value
        except RuleError as err:
            e.errors.append(err.message)
            return
        scored = e.row.scored
        before_points = {k: Decimal(v) for k, v in (scored.points if scored else {}).items()}
        before_grades = dict(scored.grades) if scored else {}
        typed_points = {k: v for k, v in points.items() if v is not None}
        points_changed = (typed_points != before_points) or (grades != before_grades)
        proposal_changed = self.propose and e.proposal != (e.row.proposal.level if e.row.proposal else "")
        comment_changed = self.propose and e.comment != (e.row.proposal.comment if e.row.proposal else "")
        if not (points_changed or proposal_changed or comment_changed):
            return
        # The branch's points go with its proposal; the committee's own check is the review stage (QĐ 366 Art.
        # 12.1, step 2).
        stage = Stage.PROPOSAL if self.propose and not self.decide else Stage.REVIEW
        if proposal_changed or comment_changed:
            stage = Stage.PROPOSAL
        try:
            svc.rating_record(
                cycle=cycle,
                stage=stage,
                member_id=e.pk,
                level=e.proposal if stage == Stage.PROPOSAL else "",
                points=points if typed_points else None,
                grades=grades or None,
                comment=e.comment if stage == Stage.PROPOSAL else "",
                actor=actor,
            )
        except RuleError as err:
            e.errors.append(err.message)
        else:
            s.opinions += 1
