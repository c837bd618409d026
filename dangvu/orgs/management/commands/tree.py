"""dangvu tree [--root CODE] [--as-of DATE] [--format text|json]"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangvu.domain.orgtree import ORG_KIND_LABELS
from dangvu.domain.vietnamese import fmt_date, fmt_int, parse_date
from dangvu.orgs.models import Organization
from dangvu.orgs.queries import TreeNode, structure_findings, tree_on


class Command(BaseCommand):
    help = "In cây tổ chức đảng tại một ngày, kèm số đảng viên (chính thức + dự bị)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--root", help="mã tổ chức gốc")
        parser.add_argument("--as-of", default=None, help="ngày (dd/mm/yyyy hoặc yyyy-mm-dd), mặc định hôm nay")
        parser.add_argument(
            "--format", choices=["text", "json"], default="text", help="text: cây để đọc (mặc định); json: cho máy"
        )
        parser.add_argument("--depth", type=int, default=None, help="chỉ in đến độ sâu này (với --format text)")
        parser.add_argument("--check", action="store_true", help="kiểm tra quy mô tổ chức (cảnh báo)")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            on = parse_date(opts["as_of"]) if opts["as_of"] else dt.date.today()
        except ValueError as e:
            raise CommandError(str(e)) from e
        root = None
        if opts["root"]:
            root = Organization.objects.filter(code=opts["root"]).first()
            if root is None:
                raise CommandError(f"Không có tổ chức mã '{opts['root']}'.")
            if root.version_on(on) is None:
                raise CommandError(f"Tổ chức '{opts['root']}' không hoạt động vào ngày {fmt_date(on)}.")
        if opts["check"]:
            findings = structure_findings(on, root)
            for node, f in findings:
                self.stdout.write(
                    f"[{'LỖI' if f.severity == 'error' else 'CẢNH BÁO'}] {node.code}: {f.message} ({f.source})"
                )
            self.stdout.write(f"{fmt_int(len(findings))} cảnh báo về quy mô tổ chức ngày {fmt_date(on)}.")
            return
        nodes = tree_on(on, root)
        if opts["format"] == "json":
            self.stdout.write(
                json.dumps(
                    {"as_of": on.isoformat(), "nodes": [n.as_json() for n in nodes]}, ensure_ascii=False, indent=1
                )
            )
            return
        self.stdout.write(f"Cây tổ chức ngày {fmt_date(on)}")
        for n in nodes:
            self._print(n, 0, opts["depth"])

    def _print(self, n: TreeNode, level: int, max_depth: int | None) -> None:
        if max_depth is not None and level > max_depth:
            return
        self.stdout.write(
            f"{'  ' * level}{n.name} [{n.code}] ({ORG_KIND_LABELS[n.kind]}): {fmt_int(n.members)} đảng viên"
        )
        for c in n.children:
            self._print(c, level + 1, max_depth)
