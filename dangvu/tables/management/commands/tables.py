"""dangvu tables --root CODE --as-of DATE --out DIR [--only CODE …] [--format xlsx|json]"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangvu.domain.vietnamese import parse_date
from dangvu.orgs.models import Organization

from ...builder import all_tables, build, root_unit
from ...definitions import DefinitionError
from ...services import tables_export


class Command(BaseCommand):
    help = "Biểu thống kê cơ bản của một tổ chức có đến một ngày: tệp XLSX theo mẫu biểu (hoặc JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--root", required=True, help="mã tổ chức")
        parser.add_argument("--as-of", dest="as_of", required=True, help="có đến ngày (dd/mm/yyyy)")
        parser.add_argument("--out", required=True, help="thư mục ghi tệp")
        parser.add_argument("--only", nargs="*", default=None, help="mã biểu (mặc định: mọi biểu)")
        parser.add_argument("--format", choices=["xlsx", "json"], default="xlsx", help="xlsx (mặc định) hoặc json")

    def handle(self, *args: Any, **o: Any) -> None:
        root = Organization.objects.filter(code=o["root"]).first()
        if root is None:
            raise CommandError(f"Không có tổ chức mã '{o['root']}'.")
        try:
            on = parse_date(o["as_of"])
            tables = all_tables()
        except (ValueError, DefinitionError) as e:
            raise CommandError(str(e)) from e
        if o["only"]:
            unknown = sorted(set(o["only"]) - {t.code for t in tables})
            if unknown:
                raise CommandError(f"Không có biểu: {', '.join(unknown)}.")
            tables = [t for t in tables if t.code in o["only"]]
        out = Path(o["out"])
        out.mkdir(parents=True, exist_ok=True)
        name = f"bieu-thong-ke-{root.code}-{on.isoformat()}"
        if o["format"] == "json":
            figures = build(root, on, tables)
            path = out / f"{name}.json"
            path.write_text(json.dumps([f.as_json() for f in figures], ensure_ascii=False, indent=1), encoding="utf-8")
        else:
            data = tables_export(root=root, on=on, tables=tables, actor=None, issuer=root_unit(root, on))
            path = out / f"{name}.xlsx"
            path.write_bytes(data)
        self.stdout.write(str(path))
