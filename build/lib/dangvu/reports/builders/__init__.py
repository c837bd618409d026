"""Report builders: organization + period → plain data (dangvu.domain.reports.model.Report). No layout here."""

from __future__ import annotations

import datetime as dt

from dangvu.domain.errors import RuleError
from dangvu.domain.reports.model import Report
from dangvu.domain.reports.periods import KINDS, Kind, parse_period
from dangvu.orgs.models import Organization

from .common import Ctx, Progress, root_of, version_at


def build(
    *,
    root: Organization | str,
    kind: str,
    period: str,
    issued_on: dt.date | None = None,
    list_name: str = "",
    years: int = 5,
    document: str = "",
    progress: Progress | None = None,
) -> Report:
    if kind not in KINDS:
        raise RuleError(f"Không có loại báo cáo '{kind}' (chọn: {', '.join(KINDS)}).", field="kind")
    org = root_of(root)
    today = issued_on or dt.date.today()
    p = parse_period(period, kind=kind, today=max(today, dt.date.today()))
    ctx = Ctx(org, version_at(org, p.end), p, today, progress or (lambda pct, msg: None))
    if kind == Kind.ANNUAL:
        from .annual import build_annual

        return build_annual(ctx)
    if kind == Kind.REVIEW:
        from .review import build_review

        return build_review(ctx)
    if kind == Kind.LIST:
        from .lists import build_list

        return build_list(ctx, name=list_name or "top-members", years=years)
    from .term import build_term

    return build_term(ctx, kind=kind, document=document)


__all__ = ["Report", "build"]
