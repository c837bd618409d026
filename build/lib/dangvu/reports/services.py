"""report_generate: build → number → render → audit, one transaction for the number, the files and the entry."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading
from collections.abc import Callable
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from dangvu.audit.services import Actor, audit
from dangvu.domain.errors import RuleError
from dangvu.domain.reports.model import Report
from dangvu.orgs.models import Organization

from .builders import build
from .models import ReportNumber

Progress = Callable[[int, str], None]
FORMATS = ("docx", "xlsx", "pdf", "json")


class PdfJob:
    """The PDF conversion in a thread of its own (LibreOffice is a separate process; the GIL is not held)."""

    def __init__(self) -> None:
        self.thread: threading.Thread | None = None
        self.path: Path | None = None
        self.error: BaseException | None = None

    def start(self, docx: Path, out_dir: Path) -> None:
        from .render.pdf import render_pdf

        def run() -> None:
            try:
                self.path = render_pdf(docx, out_dir)
            except BaseException as e:  # handed back to the caller by result()
                self.error = e

        self.thread = threading.Thread(target=run, name="report-pdf", daemon=True)
        self.thread.start()

    def result(self) -> Path:
        assert self.thread is not None
        self.thread.join()
        if self.error is not None:
            raise self.error
        assert self.path is not None
        return self.path

    def discard(self) -> None:
        if self.thread is not None:
            self.thread.join()
            if self.path is not None:
                self.path.unlink(missing_ok=True)


def number_next(*, rep: Report, organization: Organization, actor: Actor) -> ReportNumber:
    """The next number of the type in the term (HD 36 [V S94]: from 01 within each committee term)."""
    h = rep.header
    for _attempt in range(3):
        try:
            with transaction.atomic():
                last = ReportNumber.objects.filter(
                    organization=organization, doc_type=h.doc_type, term=h.term
                ).aggregate(n=Max("number"))["n"]
                return ReportNumber.objects.create(
                    organization=organization,
                    doc_type=h.doc_type,
                    term=h.term,
                    number=(last or 0) + 1,
                    kind=rep.kind,
                    period=rep.period.text[:60],
                    issued_on=h.issued_on,
                    actor_label=actor.label,
                )
        except IntegrityError:  # a concurrent report took the number: take the next
            continue
    raise RuleError("Không cấp được số báo cáo (nhiều báo cáo cùng lúc); hãy thử lại.", field="number")


def report_generate(
    *,
    root: Organization | str,
    kind: str,
    period: str,
    out_dir: Path,
    formats: tuple[str, ...],
    actor: Actor,
    progress: Progress | None = None,
    list_name: str = "",
    years: int = 5,
    document: str = "",
    issued_on: dt.date | None = None,
    template: Path | None = None,
) -> list[Path]:
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise RuleError(
            f"Định dạng không hỗ trợ: {', '.join(bad) or '(trống)'} (chọn: {', '.join(FORMATS)}).", field="formats"
        )
    if "pdf" in formats:
        from .render.pdf import MISSING, soffice

        if soffice() is None:  # say so before the work, not after
            raise RuleError(MISSING, field="formats")
    say = progress or (lambda pct, msg: None)
    say(0, "Bắt đầu")
    rep = build(
        root=root,
        kind=kind,
        period=period,
        issued_on=issued_on,
        list_name=list_name,
        years=years,
        document=document,
        progress=lambda pct, msg: say(pct * 7 // 10, msg),
    )
    org = Organization.objects.get(code=rep.root_code)
    out_dir.mkdir(parents=True, exist_ok=True)
    at = timezone.localtime()
    paths: list[Path] = []
    pdf = PdfJob()
    try:
        with transaction.atomic():
            num = number_next(rep=rep, organization=org, actor=actor)
            rep.header = dataclasses.replace(rep.header, number=num.number)
            stem = out_dir / rep.file_stem
            say(72, "Soạn văn bản DOCX")
            if "docx" in formats or "pdf" in formats:
                from .render.docx import render_docx

                paths.append(render_docx(rep, stem.with_suffix(".docx"), actor=actor.label, at=at, template=template))
            if "pdf" in formats:
                say(76, "Xuất PDF bằng LibreOffice")
                pdf.start(stem.with_suffix(".docx"), out_dir)  # LibreOffice works while the XLSX is written
            if "xlsx" in formats:
                from .render.xlsx import render_xlsx

                say(80, "Soạn phụ lục XLSX")
                paths.append(render_xlsx(rep, stem.with_suffix(".xlsx"), actor=actor.label, at=at))
            if "json" in formats:
                data = {**rep.as_json(), "number": rep.header.number_line, "actor": actor.label, "at": at.isoformat()}
                p = stem.with_suffix(".json")
                p.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
                paths.append(p)
            planned = [*paths, stem.with_suffix(".pdf")] if "pdf" in formats else list(paths)
            audit(
                actor=actor,
                action="report_generate",
                obj=num,
                after={
                    "root": rep.root_code,
                    "kind": rep.kind,
                    "period": rep.period.text,
                    "number": rep.header.number_line,
                    "term": rep.header.term,
                    "files": [str(p) for p in planned],
                    "at": at.isoformat(),
                },
            )
    except BaseException:
        pdf.discard()  # the number and the entry are rolled back: no PDF without them
        raise
    if "pdf" in formats:
        say(90, "Chờ LibreOffice")
        paths.append(pdf.result())
        if "docx" not in formats:
            stem.with_suffix(".docx").unlink()
            paths = [p for p in paths if p.suffix != ".docx"]
    say(100, "Xong")
    return paths
