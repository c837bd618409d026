"""Reports have a life: report_draft builds and renders a DRAFT (no number; audited), report_issue numbers one
draft once, renders it again with the number and freezes its files (one transaction, audited)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from dangvu.audit.services import Actor, audit
from dangvu.dbrouting import heavy_reads
from dangvu.domain.errors import RuleError
from dangvu.domain.reports.header import report_date_problem
from dangvu.domain.reports.model import Report
from dangvu.domain.vietnamese import fmt_date
from dangvu.jobs import files
from dangvu.locks import conflicts_as_messages, serialize
from dangvu.orgs.models import Organization

from .builders import build
from .models import ReportDocument, ReportNumber
from .render.pdf import Conversion

Progress = Callable[[int, str], None]
FORMATS = ("docx", "xlsx", "pdf", "json")


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


def _render(
    rep: Report,
    stem: Path,
    formats: tuple[str, ...],
    *,
    actor: str,
    at: dt.datetime,
    template: Path | None,
    say: Progress,
) -> list[Path]:
    """Write the formats asked for next to `stem` (a local temporary folder); on any failure nothing it wrote is
    left behind. LibreOffice converts (a child process) while the XLSX is written."""
    paths: list[Path] = []
    pdf = Conversion(stem.with_suffix(".docx"), stem.parent)
    try:
        say(72, "Soạn văn bản DOCX")
        if "docx" in formats or "pdf" in formats:
            from .render.docx import render_docx

            paths.append(render_docx(rep, stem.with_suffix(".docx"), actor=actor, at=at, template=template))
        if "pdf" in formats:
            say(76, "Xuất PDF bằng LibreOffice")
            pdf.start()
        if "xlsx" in formats:
            from .render.xlsx import render_xlsx

            say(80, "Soạn phụ lục XLSX")
            paths.append(render_xlsx(rep, stem.with_suffix(".xlsx"), actor=actor, at=at))
        if "json" in formats:
            data = {**rep.as_json(), "number": rep.header.number_line, "actor": actor, "at": at.isoformat()}
            p = stem.with_suffix(".json")
            p.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
            paths.append(p)
        if "pdf" in formats:
            say(90, "Chờ LibreOffice")
            paths.append(pdf.result())
            if "docx" not in formats:
                stem.with_suffix(".docx").unlink()
                paths = [p for p in paths if p.suffix != ".docx"]
    except BaseException:
        pdf.discard()
        _remove([*paths, stem.with_suffix(".docx")])
        raise
    return paths


def _remove(paths: list[Path]) -> None:
    for p in paths:
        p.unlink(missing_ok=True)


def _store(paths: list[Path], folder: str, stem: str) -> list[str]:
    """The rendered files into the storage as `folder/stem.ext`; returns their stored names (all or none)."""
    names: list[str] = []
    try:
        for p in paths:
            names.append(files.save(_in(folder, f"{stem}{p.suffix}"), p))
    except BaseException:
        files.delete(names)
        raise
    return names


def _in(folder: str, name: str) -> str:
    """A storage name inside a folder ('' is the storage's top)."""
    return f"{folder}/{name}" if folder else name


def _draft_stem(folder: str, file_stem: str) -> str:
    """A name no earlier draft has: every draft keeps its own files ('…-du-thao.docx', '…-du-thao-2.docx' …)."""
    s = files.storage()
    base = f"{file_stem}-du-thao"
    stem, n = base, 1
    while any(s.exists(_in(folder, f"{stem}.{f}")) for f in FORMATS):
        n += 1
        stem = f"{base}-{n}"
    return stem


def report_draft(
    *,
    root: Organization | str,
    kind: str,
    period: str,
    folder: str,
    formats: tuple[str, ...],
    actor: Actor,
    progress: Progress | None = None,
    saved: Callable[[ReportDocument], None] | None = None,
    list_name: str = "",
    years: int = 5,
    document: str = "",
    issued_on: dt.date | None = None,
    template: Path | None = None,
) -> ReportDocument:
    """Build the report and write it as a DRAFT: no number ("Số      -BC/HU", the blank an office leaves),
    "DỰ THẢO" on every page. Takes no number: as many drafts as wanted; report_issue numbers one of them.
    The files go to the storage under `folder` (settings.STORAGES). The record, its audit entry and `saved(doc)`
    (a job records its result there: dangvu.reports.jobs) are one transaction; files of a failed draft are removed."""
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
    with heavy_reads():  # the builders' reads: the replica when there is one (dangvu/dbrouting.py)
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
    rep.header = dataclasses.replace(rep.header, number=None)
    problem = report_date_problem(rep.header.issued_on, period_start=rep.period.start, today=timezone.localdate())
    if problem:
        raise RuleError(problem, field="report_date")
    org = Organization.objects.get(code=rep.root_code)
    at = timezone.localtime()
    folder = folder.strip("/")
    stem = _draft_stem(folder, rep.file_stem)
    with tempfile.TemporaryDirectory(prefix="dangvu-report-") as tmp:
        rendered = _render(rep, Path(tmp) / stem, formats, actor=actor.label, at=at, template=template, say=say)
        paths = _store(rendered, folder, stem)
    try:
        with transaction.atomic():
            doc = ReportDocument.objects.create(
                root=org,
                kind=rep.kind,
                period=period,
                subject=rep.subject[:300],
                report_date=rep.header.issued_on,
                formats=list(formats),
                files=paths,
                draft_files=paths,
                out_dir=folder,
                signer_name=rep.header.signer_name,
                signer_title=rep.header.signer_title,
                content=_sealed(rep),
                template=str(template or ""),
                created_by=actor.label,
                created_by_id=actor.user_id,
            )
            audit(
                actor=actor,
                action="report_generate",
                obj=doc,
                after={
                    "root": rep.root_code,
                    "kind": rep.kind,
                    "period": rep.period.text,
                    "state": doc.state,
                    "number": "",
                    "term": rep.header.term,
                    "files": paths,
                    "at": at.isoformat(),
                },
            )
            if saved is not None:
                saved(doc)
    except BaseException:
        files.delete(paths)  # the record and its entry are rolled back: no files without them
        raise
    say(100, "Xong")
    return doc


def report_generate(*, out_dir: Path, **kw: Any) -> list[Path]:
    """report_draft, with a copy of its files in the local folder out_dir (the API's generate(), the CLI):
    returns the copies' paths."""
    doc = report_draft(**kw)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [copy_out(name, out_dir) for name in doc.files]


def copy_out(name: str, out_dir: Path) -> Path:
    """A stored file copied to a local folder (what `dangvu report --out DIR` writes)."""
    target = out_dir / files.basename(name)
    with files.storage().open(name, "rb") as src:
        target.write_bytes(src.read())
    return target


ISSUED_DIR = "ban-hanh-{pk}"  # an issued report's files, in a folder of their own next to the drafts


def report_issue(
    *, document: ReportDocument | int, actor: Actor, saved: Callable[[ReportDocument], None] | None = None
) -> ReportDocument:
    """Issue a draft: the next number of its type in the term, once (HD 36-HD/VPTW [V S94]: from 01 within each
    committee term); its files rendered again with the number and without the draft mark, frozen in a folder
    no later generation writes to; one audit entry. All in one transaction: the files are written before it
    commits and removed if it does not, and a folder left by a killed attempt (never referenced by a committed
    record) is cleared by the next one, so no number is ever without its files nor files with a number that
    was not given. Two people issuing the same draft at once: the first numbers it, the second is told."""
    pk = document.pk if isinstance(document, ReportDocument) else document
    written: list[str] = []
    try:
        with conflicts_as_messages("Báo cáo vừa được ban hành bởi người khác; tải lại trang để xem số."):
            with transaction.atomic():
                doc = (
                    ReportDocument.objects.select_for_update(of=("self",)).select_related("root").filter(pk=pk).first()
                )
                if doc is None:
                    raise RuleError("Không có bản dự thảo này.", field="document")
                if doc.is_issued:
                    raise RuleError(already_issued(doc), field="document")
                rep = _content(doc)
                h = rep.header
                serialize(f"report-number:{doc.root_id}:{h.doc_type}:{h.term}")
                num = number_next(rep=rep, organization=doc.root, actor=actor)
                rep.header = dataclasses.replace(h, number=num.number)
                folder = _in(doc.out_dir, ISSUED_DIR.format(pk=doc.pk))
                _clear(folder)  # left by an attempt killed before it committed: never referenced
                at = timezone.localtime()
                stem = f"{rep.file_stem}-so-{num.number:02d}"
                template = Path(doc.template) if doc.template else None
                with tempfile.TemporaryDirectory(prefix="dangvu-report-") as tmp:
                    rendered = _render(
                        rep,
                        Path(tmp) / stem,
                        tuple(doc.formats),
                        actor=actor.label,
                        at=at,
                        template=template,
                        say=lambda p, m: None,
                    )
                    written = _store(rendered, folder, stem)
                before = {"state": doc.state, "files": list(doc.files)}
                doc.state = ReportDocument.State.ISSUED
                doc.number = num
                doc.number_line = rep.header.number_line
                doc.files = written
                doc.issued_by, doc.issued_by_id, doc.issued_at = actor.label, actor.user_id, at
                doc.save(
                    update_fields=["state", "number", "number_line", "files", "issued_by", "issued_by_id", "issued_at"]
                )
                audit(
                    actor=actor,
                    action="report_issue",
                    obj=doc,
                    before=before,
                    after={
                        "root": rep.root_code,
                        "kind": rep.kind,
                        "period": rep.period.text,
                        "state": doc.state,
                        "number": rep.header.number_line,
                        "term": h.term,
                        "report_date": h.issued_on.isoformat(),
                        "files": doc.files,
                        "at": at.isoformat(),
                    },
                )
                if saved is not None:  # a job records its result in this transaction (dangvu.reports.jobs)
                    saved(doc)
    except BaseException:
        files.delete(written)  # the transaction did not commit: its files go with it
        raise
    return doc


def _clear(folder: str) -> None:
    s = files.storage()
    try:
        _dirs, names = s.listdir(folder)
    except FileNotFoundError:
        return
    files.delete(_in(folder, n) for n in names)


def _sealed(rep: Report) -> bytes:
    """The report as built, pickled and sealed with an HMAC of the secret key: what a draft stores. Only a draft this
    installation wrote is ever unpickled (a row edited in the database or restored from someone else's archive is
    refused before pickle reads it: unpickling runs code)."""
    body = pickle.dumps(rep)
    return _seal(body) + body


def _seal(body: bytes) -> bytes:
    import hashlib
    import hmac

    from django.conf import settings

    return hmac.new(settings.SECRET_KEY.encode(), b"dangvu.report-draft\0" + body, hashlib.sha256).digest()


def _content(doc: ReportDocument) -> Report:
    """The draft's report as built (sealed by report_draft only, never read from outside). A draft made by an
    older version whose data no longer loads, or one this installation did not seal, is refused in words: a new
    draft is made from the records."""
    import hmac

    raw = bytes(doc.content)
    mac, body = raw[:32], raw[32:]
    if not hmac.compare_digest(mac, _seal(body)):
        raise RuleError(
            "Bản dự thảo này không do hệ thống này tạo ra hoặc đã bị sửa, không ban hành được; hãy tạo lại dự thảo.",
            field="document",
        )
    try:
        rep = pickle.loads(body)  # sealed above with this installation's secret key
    except Exception as e:  # an upgrade between drafting and issuing: say so, change nothing
        raise RuleError(
            "Bản dự thảo này được tạo bằng phiên bản cũ của phần mềm, không ban hành được; hãy tạo lại dự thảo.",
            field="document",
        ) from e
    if not isinstance(rep, Report):
        raise RuleError("Bản dự thảo này không còn đọc được; hãy tạo lại dự thảo.", field="document")
    return rep


def already_issued(doc: ReportDocument) -> str:
    when = (
        f" lúc {timezone.localtime(doc.issued_at):%H:%M} ngày {fmt_date(timezone.localtime(doc.issued_at))}"
        if doc.issued_at
        else ""
    )
    return f"Báo cáo này đã được ban hành ({doc.number_line}) bởi {doc.issued_by}{when}; không ban hành lại."
