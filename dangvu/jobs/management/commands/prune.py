"""dangvu prune: remove finished jobs and the files they own, old exports and the files of report drafts never issued
(dangvu.jobs.prune; days in the settings DANGVU_PRUNE_*). Issued reports and running or queued jobs are never touched.
Run every night by deploy/systemd/dangvu-prune.timer (or cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dangvu.domain.vietnamese import fmt_int
from dangvu.jobs.prune import Keep, prune


class Command(BaseCommand):
    help = "Dọn công việc nền đã xong lâu ngày, tệp xuất và tệp dự thảo báo cáo cũ (không đụng báo cáo đã ban hành)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="chỉ đếm, không xóa gì")

    def handle(self, *args: Any, **o: Any) -> None:
        keep = Keep.from_settings()
        p = prune(keep=keep, dry_run=o["dry_run"])
        verb = "Sẽ dọn" if o["dry_run"] else "Đã dọn"
        self.stdout.write(
            f"{verb}: {fmt_int(p.jobs_expired)} công việc hết hạn (giữ {keep.jobs} ngày, "
            f"tệp xuất {keep.exports} ngày), "
            f"{fmt_int(p.job_rows_deleted)} công việc hết hạn quá {keep.expired} ngày bị xóa hẳn, "
            f"{fmt_int(p.drafts)} bản dự thảo báo cáo quá {keep.drafts} ngày; {fmt_int(p.files_deleted)} tệp; "
            f"{fmt_int(p.task_rows_deleted)} dòng của hàng đợi."
        )
