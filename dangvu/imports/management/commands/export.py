"""dangvu export --root CODE --as-of DATE PATH — a subtree as of a date, as .xlsx or a CSV directory.

Citizen IDs and card numbers are masked ('•••••••••567', as on the printed record) unless --full-identifiers asks
for them: a file on disk leaves the application's access control behind. Every export is one audit entry naming
the root, the date, the file, the counts and whether identifiers were written in full (issue 13, item 7)."""

from __future__ import annotations

import datetime as dt
import getpass
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from dangvu.audit.services import Actor, audit
from dangvu.domain.errors import RuleError
from dangvu.domain.vietnamese import fmt_int, parse_date
from dangvu.imports.export import export_dataset
from dangvu.imports.format import MEMBER_EVENTS, MEMBERS, ORG_EVENTS, ORGS, WORK_SHEETS
from dangvu.imports.mapping import suggest, targets
from dangvu.imports.mapping_export import export_office
from dangvu.imports.mapping_read import describe, open_office
from dangvu.imports.models import SourceMapping
from dangvu.imports.workbook import write
from dangvu.members.queries import mask


def cli_actor() -> Actor:
    """The person at the terminal, as `dangvu import` names them."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in some containers
        user = "?"
    return Actor(f"dòng lệnh ({user})")


# The member sheet's identifier columns, masked unless --full-identifiers.
IDENTIFIERS = ("citizen_id", "card_number")


class Command(BaseCommand):
    help = (
        "Xuất cây tổ chức dưới một tổ chức vào một ngày, cùng đảng viên và hồ sơ công tác đảng, theo định dạng "
        "trao đổi."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--root", required=True, help="mã tổ chức gốc")
        parser.add_argument("--as-of", required=True, help="ngày (dd/mm/yyyy hoặc yyyy-mm-dd)")
        parser.add_argument("path", help="tệp .xlsx, hoặc một thư mục để ghi các tệp CSV")
        parser.add_argument(
            "--full-identifiers",
            action="store_true",
            help="ghi đầy đủ số CCCD và số thẻ đảng viên (mặc định che, chỉ để 3 số cuối); được ghi vào nhật ký",
        )
        parser.add_argument(
            "--layout",
            default="",
            metavar="TỆP",
            help="xuất danh sách đảng viên theo mẫu của một danh sách đơn vị (.xlsx/.csv): cùng tiêu đề, cùng thứ tự",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            on = parse_date(opts["as_of"])
        except ValueError as e:
            raise CommandError(str(e)) from None
        if opts["layout"]:
            self._layout(opts, on)
            return
        t0 = time.perf_counter()
        try:
            exp = export_dataset(opts["root"], on)
        except RuleError as e:
            raise CommandError(e.message) from None
        t1 = time.perf_counter()
        full = bool(opts["full_identifiers"])
        if not full:
            for row in exp.dataset[MEMBERS.slug]:
                for f in IDENTIFIERS:
                    if row.get(f):
                        row[f] = mask(row[f])
        c = exp.counts()
        with transaction.atomic():
            path = write(exp.dataset, opts["path"], stamp=dt.datetime.combine(on, dt.time()))
            audit(
                actor=cli_actor(),
                action="dataset_export",
                object_type="export",
                object_id=Path(path).name[:40],  # the column's width; the whole path is in `after`
                after={
                    "root": opts["root"],
                    "on": on.isoformat(),
                    "path": str(path),
                    "members": c[MEMBERS.slug],
                    "identifiers": full,
                },
            )
        t2 = time.perf_counter()
        self.stdout.write(
            f"Đã ghi {path}: {fmt_int(len({r['code'] for r in exp.dataset[ORGS.slug]}))} tổ chức "
            f"({fmt_int(c[ORGS.slug])} phiên bản), {fmt_int(c[ORG_EVENTS.slug])} sự kiện tổ chức, "
            f"{fmt_int(c[MEMBERS.slug])} đảng viên ({fmt_int(c[MEMBER_EVENTS.slug])} sự kiện)."
        )
        work = ", ".join(f"{s.name} {fmt_int(c[s.slug])}" for s in WORK_SHEETS if c.get(s.slug))
        if work:
            self.stdout.write(f"Công tác đảng: {work}.")
        if not full:
            self.stdout.write(
                "Số CCCD và số thẻ đảng viên đã được che (chỉ để 3 số cuối); --full-identifiers để ghi đầy đủ."
            )
        self.stdout.write(f"Thời gian: đọc {t1 - t0:.1f} s, ghi {t2 - t1:.1f} s ({exp.scope.rounds} vòng mở rộng).")

    def _layout(self, opts: dict[str, Any], on: dt.date) -> None:
        """The members in the layout of an office's list: its header row, the columns suggested from it."""
        office, problems = open_office(opts["layout"])
        described = describe(office) if not problems else []
        if problems or not described or not described[0]["headers"]:
            reason = "; ".join(str(p) for p in problems) or "không tìm thấy dòng tiêu đề"
            raise CommandError(f"Không dùng được mẫu {opts['layout']}: {reason}")
        d = described[0]
        headers = d["headers"]
        kept = SourceMapping(
            name=Path(opts["layout"]).name,
            sheet=d["sheet"],
            target="members",
            headers=headers,
            columns={k: headers[i] for k, i in suggest(targets()["members"], headers).items()},
        )
        try:
            n = export_office(
                kept,
                root=opts["root"],
                on=on,
                path=opts["path"],
                actor=cli_actor(),
                full_identifiers=bool(opts["full_identifiers"]),
            )
        except RuleError as e:
            raise CommandError(e.message) from None
        self.stdout.write(f"Đã xuất {fmt_int(n)} đảng viên vào {opts['path']} theo mẫu {kept.name}.")
