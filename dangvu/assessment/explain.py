"""Why a member or an organization got its result: every fact, cap, rule and clause, in Vietnamese."""

from __future__ import annotations

from dangvu.domain.assessment.levels import GRADE_LABELS, NOT_RATED_LABELS, SHORT, STAGE_LABELS
from dangvu.domain.assessment.quota import quota_verdict
from dangvu.domain.assessment.rules import (
    CRITERION_NAMES,
    DISCIPLINE_NAMES,
    Outcome,
    assess_member,
    assess_org,
    fmt_points,
)
from dangvu.domain.errors import RuleError
from dangvu.domain.vietnamese import fmt_date, fmt_datetime, fmt_percent
from dangvu.members.models import Member
from dangvu.orgs.models import OrgAncestry, Organization

from .facts import build_roster, cycle_regime, member_facts, org_facts
from .models import AssessmentCycle, Rating, Result
from .subjects import out_of_scope


def _form(form: str) -> str:
    return DISCIPLINE_NAMES.get(form, form)


def _cycle_for(year: int, unit_ids: list[int], *, above: bool = False) -> AssessmentCycle:
    """The year's cycle nearest the units: a member's grassroots branch's own cycle before the district's; with
    `above`, strictly above (an organization is rated by the committee over it, not by its own cycle)."""
    best: tuple[int, AssessmentCycle] | None = None
    for cycle in AssessmentCycle.objects.filter(year=year).select_related("committee"):
        depth = (
            OrgAncestry.objects.on(cycle.rated_on)
            .filter(ancestor=cycle.committee, organization_id__in=unit_ids, depth__gte=1 if above else 0)
            .order_by("depth")
            .values_list("depth", flat=True)
            .first()
        )
        if depth is not None and (best is None or depth < best[0]):
            best = (depth, cycle)
    if best is None:
        raise RuleError(f"Năm {year} chưa có đợt đánh giá nào bao gồm đối tượng này.", field="year")
    return best[1]


def _outcome_lines(out: Outcome) -> list[str]:
    lines = []
    if out.not_rated:
        lines.append(f"Kết luận của quy định: KHÔNG XẾP LOẠI ({NOT_RATED_LABELS[out.not_rated]}).")
    else:
        lines.append(f"Mức tối đa theo các điều kiện: {SHORT[out.cap] if out.cap else '—'}.")
        lines.append(
            f"Mức đề xuất theo tiêu chí/điểm: {SHORT[out.proposed] if out.proposed else '— (chưa có tiêu chí)'}."
        )
    lines += [f"  • {r}" for r in out.reasons]
    lines += [f"  ! {r}" for r in out.warnings]
    return lines


def _history(cycle: AssessmentCycle, result: Result | None, **subject: int) -> list[str]:
    lines = ["Các bước:"]
    for rt in Rating.objects.filter(cycle=cycle, **subject).order_by("at", "id"):
        extra = f", điểm {fmt_points(rt.score)}" if rt.score is not None else ""
        lines.append(
            f"  {STAGE_LABELS[rt.stage]}: {SHORT.get(rt.level, '—')}{extra} — {rt.actor_label}, "
            f"{fmt_datetime(rt.at)}" + (f" — {rt.comment}" if rt.comment else "")
        )
    if result is None:
        lines.append("Chưa có kết quả cuối cùng.")
    elif result.level:
        lines.append(
            f"Kết quả: {SHORT[result.level]}{' (tiêu biểu)' if result.exemplary else ''}, quyết định bởi "
            f"{result.decided_by}"
            + (f"; lý do vượt hạn mức: {result.override_reason}" if result.override_reason else "")
        )
    else:
        lines.append(f"Kết quả: không xếp loại ({NOT_RATED_LABELS[result.not_rated]}).")
    return lines


def explain_member(member: Member, year: int) -> list[str]:
    result = Result.objects.filter(member=member, year=year).select_related("cycle").first()
    cycle = result.cycle if result else _cycle_for(year, list(member.spans.values_list("organization_id", flat=True)))
    roster = build_roster(cycle, member_ids=[member.pk])
    if member.pk not in roster.member_unit:
        raise RuleError(
            f"Đảng viên {member.code} – {member.full_name}: {out_of_scope(roster, 'm', member.pk)}", field="member"
        )
    regime = cycle_regime(cycle)
    f = member_facts(roster)[member.pk]
    lines = [
        f"{member.full_name} ({member.code}) — năm {year}",
        f"Quy định áp dụng: {regime.title}",
        f"Ngày xếp loại: {fmt_date(cycle.rated_on)}; chi bộ: {roster.units[roster.member_unit[member.pk]].name}",
        "Dữ kiện:",
    ]
    lines.append(
        f"  Ngày kết nạp: {fmt_date(f.admitted_on) if f.admitted_on else '—'}; miễn sinh hoạt: "
        f"{'có' if f.exempt else 'không'}; đình chỉ: {'có' if f.suspended else 'không'}"
    )
    lines.append(
        f"  Kỷ luật trong năm: "
        f"{', '.join(f'{_form(d.form)} ngày {fmt_date(d.decided_on)}' for d in f.disciplines) or 'không'}"
    )
    lines.append(
        f"  Cán bộ, công chức: {'có' if f.civil_servant else 'không'}; xếp loại chính quyền: "
        f"{SHORT.get(f.state_rating or '', '—')}; nghỉ ốm: {f.sick_leave_months} tháng"
    )
    if f.tasks_completed is not None:
        lines.append(
            f"  Hoàn thành nhiệm vụ: {fmt_percent(f.tasks_completed, 0)}; vượt mức: "
            f"{fmt_percent(f.tasks_exceeded, 0) if f.tasks_exceeded is not None else '—'}"
        )
    if f.grades:
        lines.append(
            "  Tiêu chí: "
            + ", ".join(f"{CRITERION_NAMES.get(k, k)}: {GRADE_LABELS.get(v, v)}" for k, v in f.grades.items())
        )
    if f.score is not None:
        lines.append(f"  Tổng điểm: {fmt_points(f.score)}")
    lines += _outcome_lines(assess_member(f, regime))
    scope = roster.grassroots_of.get(roster.member_unit[member.pk])
    if scope is not None:
        levels = Result.objects.filter(cycle=cycle, grassroots_id=scope, member__isnull=False).values_list(
            "level", "override_reason"
        )
        st = quota_verdict(levels, regime.member_quota)
        lines.append(f"Hạn mức HTXS của tổ chức cơ sở đảng: {st.top}/{st.limit} ({st.share}, theo {st.citation})")
    return lines + _history(cycle, result, member_id=member.pk)


def explain_org(org: Organization, year: int) -> list[str]:
    result = Result.objects.filter(organization=org, year=year).select_related("cycle").first()
    cycle = result.cycle if result else _cycle_for(year, [org.pk], above=True)
    roster = build_roster(cycle)
    if org.pk not in roster.orgs:
        raise RuleError(f"Tổ chức {org.code}: {out_of_scope(roster, 'o', org.pk)}", field="organization")
    regime = cycle_regime(cycle)
    existing = {
        (("m", r.member_id) if r.member_id else ("o", r.organization_id)): r for r in Result.objects.filter(cycle=cycle)
    }
    f = org_facts(roster, existing)[org.pk]  # type: ignore[arg-type]
    v = roster.orgs[org.pk]
    basis = f.member_levels if f.holds_members else f.sub_levels
    lines = [
        f"{v.name} ({org.code}) — năm {year}",
        f"Quy định áp dụng: {regime.title}",
        "Dữ kiện:",
        f"  Thành lập: {fmt_date(f.established_on) if f.established_on else '—'}",
        f"  {'Đảng viên' if f.holds_members else 'Tổ chức trực thuộc'} đã xếp loại: {len(basis)} ("
        + ", ".join(f"{SHORT[lv]} {basis.count(lv)}" for lv in sorted(set(basis)))
        + ")",
        f"  Bị kỷ luật: {'có' if f.disciplined else 'không'}; cấp ủy viên bị kỷ luật: "
        f"{', '.join(_form(x) for x in f.leadership_discipline_forms) or 'không'}; tổ chức trực thuộc bị kỷ luật: "
        f"{f.sub_units_disciplined}/{f.sub_units_total}",
    ]
    if f.score is not None:
        lines.append(f"  Tổng điểm: {fmt_points(f.score)}")
    lines += _outcome_lines(assess_org(f, regime))
    return lines + _history(cycle, result, organization_id=org.pk)
