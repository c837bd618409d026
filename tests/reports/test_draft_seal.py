"""A draft keeps the report as built, sealed with the installation's secret key: a row changed in the database (or
restored from another installation's archive) is refused before it is read, and nothing is numbered."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path
from typing import Any

import pytest
from fixtures.report_files import ACTOR

from dangvu.audit.services import Actor
from dangvu.domain.errors import RuleError
from dangvu.reports.api import draft, issue
from dangvu.reports.models import ReportDocument, ReportNumber


class Boom:
    def __reduce__(self) -> Any:  # what a hostile row would carry: code run by pickle.loads
        return (exec, ("raise SystemExit('unpickled')",))


def test_a_tampered_draft_is_refused_before_it_is_read(tmp_path: Path, district: Any) -> None:
    doc = draft(
        root="H",
        kind="annual",
        period="2024",
        formats=("docx",),
        actor=ACTOR,
        issued_on=dt.date(2025, 1, 12),
    )
    raw = bytes(ReportDocument.objects.get(pk=doc.pk).content)
    ReportDocument.objects.filter(pk=doc.pk).update(content=raw[:32] + pickle.dumps(Boom()))
    with pytest.raises(RuleError, match="không do hệ thống này tạo ra hoặc đã bị sửa"):
        issue(doc.pk, actor=Actor("van_phong_cap_uy"))
    assert not ReportNumber.objects.exists()
    assert ReportDocument.objects.get(pk=doc.pk).state == "draft"
