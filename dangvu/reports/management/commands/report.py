"""dangvu report --root CODE --kind annual|review|interim|term|thematic|list --period … --out DIR
dangvu report --issue ID   (issue draft ID: its number, its files again, frozen)

Periods: 2024 | 2020-2025 (term; interim takes its first half) | since:5/5/2008[..16/3/2017] | 1/1/2023..30/6/2024.
Writes a draft (no number, "DỰ THẢO") into the storage (settings.STORAGES) and a copy of its files into --out,
prints the copies' paths one a line and, on stderr, the draft's id to issue. --background puts it on the job queue
(a `dangvu worker` runs it) and prints progress."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangvu.audit.services import Actor
from dangvu.domain.errors import RuleError
from dangvu.domain.reports.periods import KINDS
from dangvu.domain.vietnamese import fmt_date, parse_date
from dangvu.jobs import files

from ...api import FORMATS, draft, issue, job_status, start_job
from ...builders.lists import LISTS
from ...services import copy_out

FOLDER = "reports/dong-lenh"  # the storage folder of drafts made on the command line


def _shown(name: str) -> str:
    """Where a stored file is: its path on a filesystem storage, else its name in the storage."""
    try:
        return str(files.storage().path(name))
    except NotImplementedError:
        return name


class Command(BaseCommand):
    help = "Tạo báo cáo (DOCX theo thể thức văn bản của Đảng, phụ lục XLSX, PDF) từ hồ sơ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--root", help="mã tổ chức đảng")
        parser.add_argument(
            "--kind",
            choices=KINDS,
            help="annual tổng kết năm, review kết quả đánh giá xếp loại, interim sơ kết, term tổng kết nhiệm kỳ, "
            "thematic chuyên đề (một văn bản), list danh sách",
        )
        parser.add_argument(
            "--period",
            help="2024 | 2020-2025 | since:5/5/2008 | since:5/5/2008..16/3/2017 | 1/1/2023..30/6/2024",
        )
        parser.add_argument("--out", help="thư mục ghi tệp")
        parser.add_argument(
            "--format",
            dest="formats",
            action="append",
            choices=FORMATS,
            help="docx, xlsx, pdf, json (lặp lại; mặc định docx, xlsx, pdf)",
        )
        parser.add_argument(
            "--list", dest="list_name", default="top-members", choices=list(LISTS), help="loại danh sách (--kind list)"
        )
        parser.add_argument("--years", type=int, default=5, help="số năm liền (danh sách)")
        parser.add_argument("--document", default="", help="văn bản được tổng kết (--kind thematic), vd 36-CTr/TU")
        parser.add_argument("--date", default=None, help="ngày ghi trên báo cáo (mặc định hôm nay)")
        parser.add_argument("--template", default=None, help="mẫu .docx thay cho mẫu mặc định")
        parser.add_argument("--actor", default="dòng lệnh", help="người tạo (ghi vào nhật ký và tệp)")
        parser.add_argument(
            "--issue", type=int, default=None, help="ban hành bản dự thảo số ID (cấp số, xuất lại tệp, khóa tệp)"
        )
        parser.add_argument("--background", action="store_true", help="chạy nền như trên trang web, in tiến độ")

    def handle(self, *args: Any, **o: Any) -> None:
        actor = Actor(o["actor"])
        if o["issue"] is not None:
            try:
                doc = issue(o["issue"], actor=actor)
            except RuleError as e:
                raise CommandError(str(e)) from e
            self.stderr.write(f"Đã ban hành: {doc.number_line}, ngày {fmt_date(doc.report_date)}.")
            for name in doc.files:
                self.stdout.write(_shown(name))
            return
        missing = [f"--{k}" for k in ("root", "kind", "period", "out") if not o[k]]
        if missing:
            raise CommandError(f"Thiếu {', '.join(missing)} (hoặc dùng --issue ID để ban hành một bản dự thảo).")
        kw: dict[str, Any] = {
            "list_name": o["list_name"],
            "years": o["years"],
            "document": o["document"],
        }
        if o["date"]:
            kw["issued_on"] = parse_date(o["date"])
        if o["template"]:
            kw["template"] = o["template"]
        formats = tuple(o["formats"] or ("docx", "xlsx", "pdf"))
        try:
            if o["background"]:
                job = start_job(
                    root=o["root"],
                    kind=o["kind"],
                    period=o["period"],
                    folder=FOLDER,
                    formats=formats,
                    actor=actor,
                    **kw,
                )
                last = None
                self.stderr.write("Đã xếp vào hàng đợi; một tiến trình xử lý nền (dangvu worker) sẽ chạy nó.")
                while True:
                    st = job_status(job.pk)
                    if (st["progress"], st["message"]) != last:
                        self.stderr.write(f"  {st['progress']:3d}% {st['message']}")
                        last = (st["progress"], st["message"])
                    if st["status"] in ("done", "failed"):
                        break
                    time.sleep(0.2)
                if st["status"] == "failed":
                    raise CommandError(st["error"])
                names = list(st["paths"])
            else:
                doc = draft(
                    root=o["root"],
                    kind=o["kind"],
                    period=o["period"],
                    folder=FOLDER,
                    formats=formats,
                    actor=actor,
                    progress=lambda pct, msg: self.stderr.write(f"  {pct:3d}% {msg}"),
                    **kw,
                )
                names = list(doc.files)
                self.stderr.write(
                    f"Bản dự thảo số {doc.pk} (chưa có số văn bản); ban hành: dangvu report --issue {doc.pk}"
                )
        except RuleError as e:
            raise CommandError(str(e)) from e
        out = Path(o["out"])
        out.mkdir(parents=True, exist_ok=True)
        for name in names:
            self.stdout.write(str(copy_out(name, out)))
