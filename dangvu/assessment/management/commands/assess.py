"""dangvu assess open|import|propose|decide|exemplary|close|reopen|stats|explain|streaks"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangvu.audit.services import Actor
from dangvu.domain.assessment.levels import NOT_RATED_LABELS, OLD_MEMBER_LABELS, RANK, level_label
from dangvu.domain.assessment.regimes import REGIMES, regime_for_year
from dangvu.domain.errors import RuleError
from dangvu.domain.vietnamese import fmt_date, fmt_int, fold, nfc, parse_date, person_sort_key
from dangvu.members.models import Member
from dangvu.orgs.models import Organization

from ...exchange import LEVELS, import_ratings
from ...facts import cycle_regime
from ...models import AssessmentCycle, Result
from ...services import (
    Decision,
    cycle_close,
    cycle_open,
    cycle_propose,
    cycle_reopen,
    decide_many,
    result_set_exemplary,
)
from ...stats import member_streaks, org_streaks, stats_json
from ...subjects import unit_name

CLI = Actor("dòng lệnh")


def _by_rank(levels: dict[str, int]) -> list[tuple[str, int]]:
    """Levels best first, as the reports list them."""
    return sorted(levels.items(), key=lambda kv: -RANK.get(kv[0], 0))


def _label(level: str, group: str, old_scheme: bool) -> str:
    """A level's name as the year's reports print it: the old scheme names members 'Đủ tư cách, …' (HD 20, 27)."""
    if old_scheme and group == "members":
        return OLD_MEMBER_LABELS.get(level, level_label(level))
    return level_label(level, old_org=old_scheme)


def _level(text: str) -> str:
    """A level as people write it (HTXS, 'Hoàn thành tốt nhiệm vụ', TSVM …) to its stored value."""
    level = LEVELS.get(fold(nfc(text)))
    if level is None:
        raise argparse.ArgumentTypeError(f"'{text}' không phải mức xếp loại (HTXS, HTT, HTNV, KHTNV, TSVM, Yếu kém).")
    return level


def _subject(text: str) -> str:
    # The earlier English values stay accepted for scripts written before.
    value = {
        "dang-vien": "members",
        "to-chuc": "organizations",
        "members": "members",
        "organizations": "organizations",
    }.get(fold(text).replace(" ", "-"))
    if value is None:
        raise argparse.ArgumentTypeError(f"'{text}': ghi dang-vien hoặc to-chuc.")
    return value


def _day(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError as e:
        raise CommandError(str(e)) from None


def _org(code: str) -> Organization:
    org = Organization.objects.filter(code=code).first()
    if org is None:
        raise CommandError(f"Không có tổ chức mã '{code}'.")
    return org


def _cycle(code: str, year: int) -> AssessmentCycle:
    cycle = AssessmentCycle.objects.filter(committee__code=code, year=year).first()
    if cycle is None:
        raise CommandError(f"Chưa mở đợt đánh giá năm {year} cho '{code}' (dangvu assess open).")
    return cycle


class Command(BaseCommand):
    help = "Kiểm điểm, đánh giá, xếp loại chất lượng hằng năm."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="VIỆC")
        root_help = "mã cấp ủy của đợt đánh giá (ví dụ VPHH0001)"
        year_help = "năm đánh giá"
        p = sub.add_parser("open", help="mở đợt đánh giá của một cấp ủy cho một năm")
        p.add_argument("--root", required=True, help=root_help)
        p.add_argument("--year", type=int, required=True, help=year_help)
        p.add_argument(
            "--regime",
            default=None,
            help="văn bản áp dụng, nếu khác văn bản của năm: " + ", ".join(sorted(REGIMES)),
        )
        p.add_argument("--rated-on", default=None, help="ngày xếp loại dd/mm/yyyy (mặc định 15/12 của năm)")
        p = sub.add_parser("propose", help="lập đề xuất của chi bộ cho mọi đảng viên theo các tiêu chí đã ghi")
        p.add_argument("--root", required=True, help=root_help)
        p.add_argument("--year", type=int, required=True, help=year_help)
        p = sub.add_parser(
            "close", help="kết thúc đợt: kiểm tra hạn mức, ghi 'không xếp loại' cho người chưa có quyết định"
        )
        p.add_argument("--root", required=True, help=root_help)
        p.add_argument("--year", type=int, required=True, help=year_help)
        p = sub.add_parser("reopen", help="mở lại một đợt đã kết thúc (ghi lý do)")
        p.add_argument("--root", required=True, help=root_help)
        p.add_argument("--year", type=int, required=True, help=year_help)
        p.add_argument("--reason", required=True, help="lý do mở lại")
        p = sub.add_parser("decide", help="quyết định mức xếp loại cho một đảng viên hoặc tổ chức")
        p.add_argument("--root", required=True, help=root_help)
        p.add_argument("--year", type=int, required=True, help=year_help)
        p.add_argument("--member", default=None, help="mã đảng viên")
        p.add_argument("--org", default=None, help="mã tổ chức")
        p.add_argument(
            "--level",
            required=True,
            type=_level,
            help="mức xếp loại, viết tắt hoặc đầy đủ: HTXS (hoàn thành xuất sắc nhiệm vụ), HTT (hoàn thành tốt), "
            "HTNV (hoàn thành), KHTNV (không hoàn thành), TSVM (trong sạch, vững mạnh: tổ chức, trước 2018), "
            "'Yếu kém'",
        )
        p.add_argument("--exemplary", action="store_true", help="đánh dấu tiêu biểu")
        p.add_argument("--override-reason", default="", help="lý do khi vượt hạn mức hoặc mức tối đa theo quy định")
        p = sub.add_parser("exemplary", help="đánh dấu (hoặc bỏ) tiêu biểu cho một kết quả đã quyết định")
        p.add_argument("--year", type=int, required=True, help=year_help)
        p.add_argument("--member", default=None, help="mã đảng viên")
        p.add_argument("--org", default=None, help="mã tổ chức")
        p.add_argument("--off", action="store_true", help="bỏ đánh dấu")
        p = sub.add_parser("import", help="nhập kết quả xếp loại (sheet 'Xếp loại'), trọn vẹn hoặc không ghi gì")
        p.add_argument("path", help="tệp Excel hoặc thư mục CSV")
        p.add_argument(
            "--rated-on",
            default=None,
            help="ngày xếp loại dd/mm/yyyy của các đợt đánh giá tệp mở (cột 'Ngày xếp loại' nếu có; mặc định 15/12)",
        )
        p = sub.add_parser("stats", help="số lượng và tỷ lệ theo mức xếp loại, kèm các câu cho báo cáo")
        p.add_argument("--root", default=None, help="mã tổ chức (bỏ trống: toàn quốc)")
        p.add_argument("--year", type=int, required=True, help=year_help)
        p.add_argument("--as-of", default=None, help="cơ cấu tổ chức tại ngày (mặc định 31/12 của năm)")
        p.add_argument("--format", choices=["json", "text"], default="text", help="text: đọc được; json: cho máy")
        p = sub.add_parser("explain", help="mọi dữ kiện, mức tối đa, quy định và điều khoản sau một kết quả")
        p.add_argument("--year", type=int, required=True, help=year_help)
        p.add_argument("--member", default=None, help="mã đảng viên")
        p.add_argument("--org", default=None, help="mã tổ chức")
        p = sub.add_parser("streaks", help="những đảng viên (tổ chức) đạt mức cao nhất nhiều năm liền")
        p.add_argument("--root", required=True, help="mã tổ chức")
        p.add_argument("--year", type=int, required=True, help="năm cuối")
        p.add_argument("--years", type=int, default=5, help="số năm liền (mặc định 5)")
        p.add_argument(
            "--subject",
            type=_subject,
            default="dang-vien",
            metavar="dang-vien|to-chuc",
            help="đảng viên (dang-vien, mặc định) hay tổ chức (to-chuc)",
        )
        p.add_argument("--exemplary", action="store_true", help="chỉ tính các năm được đánh dấu tiêu biểu")
        p.add_argument("--keep-not-rated", action="store_true", help="năm không xếp loại không làm đứt chuỗi")

    def handle(self, *args: Any, **o: Any) -> None:
        try:
            getattr(self, "do_" + o["action"])(o)
        except RuleError as e:
            raise CommandError(str(e)) from e

    def do_open(self, o: dict[str, Any]) -> None:
        c = cycle_open(
            committee=_org(o["root"]),
            year=o["year"],
            actor=CLI,
            regime=o["regime"],
            rated_on=_day(o["rated_on"]),
        )
        self.stdout.write(
            f"Đã mở đợt đánh giá năm {c.year} của {c.committee.code} – {c.committee_name} "
            f"({cycle_regime(c).title}), ngày xếp loại {fmt_date(c.rated_on)}."
        )

    def do_propose(self, o: dict[str, Any]) -> None:
        n = cycle_propose(cycle=_cycle(o["root"], o["year"]), actor=CLI)
        self.stdout.write(f"Đã đề xuất tự động {fmt_int(n)} mức xếp loại.")

    def do_close(self, o: dict[str, Any]) -> None:
        rep = cycle_close(cycle=_cycle(o["root"], o["year"]), actor=CLI)
        self.stdout.write(f"Đã kết thúc đợt đánh giá; {fmt_int(rep.not_rated)} đối tượng không xếp loại.")
        for w in rep.quota_warnings:
            self.stdout.write(f"  Cảnh báo hạn mức: {w}")

    def do_reopen(self, o: dict[str, Any]) -> None:
        cycle_reopen(cycle=_cycle(o["root"], o["year"]), reason=o["reason"], actor=CLI)
        self.stdout.write("Đã mở lại đợt đánh giá.")

    def do_decide(self, o: dict[str, Any]) -> None:
        cycle = _cycle(o["root"], o["year"])
        if o["member"]:
            m = Member.objects.filter(code=o["member"]).first()
            if m is None:
                raise CommandError(f"Không có đảng viên mã '{o['member']}'.")
            d = Decision("m", m.pk, o["level"], o["exemplary"], o["override_reason"])
        elif o["org"]:
            d = Decision("o", _org(o["org"]).pk, o["level"], o["exemplary"], o["override_reason"])
        else:
            raise CommandError("Cần --member hoặc --org.")
        decide_many(cycle=cycle, decisions=[d], actor=CLI)
        self.stdout.write("Đã ghi quyết định.")

    def do_exemplary(self, o: dict[str, Any]) -> None:
        qs = Result.objects.filter(year=o["year"])
        res = (qs.filter(member__code=o["member"]) if o["member"] else qs.filter(organization__code=o["org"])).first()
        if res is None:
            raise CommandError("Chưa có kết quả xếp loại của đối tượng này.")
        result_set_exemplary(result=res, exemplary=not o["off"], actor=CLI)
        self.stdout.write("Đã cập nhật.")

    def do_import(self, o: dict[str, Any]) -> None:
        report = import_ratings(o["path"], actor=CLI, rated_on=_day(o["rated_on"]))
        for line in report.errors:
            self.stderr.write(line)
        if report.errors:
            raise CommandError(f"{fmt_int(len(report.errors))} lỗi; không ghi gì vào cơ sở dữ liệu.")
        opened = f", mở {fmt_int(report.cycles_opened)} đợt đánh giá" if report.cycles_opened else ""
        self.stdout.write(f"Đã nhập {fmt_int(report.decisions)} quyết định, {fmt_int(report.ratings)} ý kiến{opened}.")

    def do_stats(self, o: dict[str, Any]) -> None:
        root = _org(o["root"]) if o["root"] else None
        data = stats_json(root, o["year"], structure_on=parse_date(o["as_of"]) if o["as_of"] else None)
        if o["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
            return
        on = parse_date(data["structure_on"])
        where = "toàn quốc"
        if root is not None:
            v = root.version_on(on) or root.versions.order_by("-valid_from").first()
            where = f"{v.name} ({root.code})" if v else root.code
        self.stdout.write(f"Kết quả xếp loại năm {data['year']} — {where} (cơ cấu tổ chức ngày {fmt_date(on)})")
        old = regime_for_year(o["year"]).old_scheme
        for key, label in (
            ("grassroots", "Tổ chức cơ sở đảng"),
            ("branches", "Chi bộ trực thuộc"),
            ("members", "Đảng viên"),
        ):
            g = data[key]
            why = ", ".join(f"{NOT_RATED_LABELS.get(k, k)} {fmt_int(v)}" for k, v in g["not_rated_by_reason"].items())
            new = f", mới thành lập chưa đủ thời gian xếp loại {fmt_int(g['too_new'])}" if key != "members" else ""
            self.stdout.write(
                f"  {label}: xếp loại {fmt_int(g['rated'])}, không xếp loại {fmt_int(g['not_rated'])}"
                + (f" ({why})" if why else "")
                + f"{new}, chưa có kết quả {fmt_int(g['pending'])}; "
                + ", ".join(
                    f"{level_label(k, old_org=old and key != 'members')} {fmt_int(v)}" for k, v in _by_rank(g["levels"])
                )
                + f"; tiêu biểu {fmt_int(g['exemplary'])}"
            )
        for s in data["sentences"]:
            self.stdout.write(f"  – {s}")

    def do_explain(self, o: dict[str, Any]) -> None:
        from ...explain import explain_member, explain_org

        if o["member"]:
            m = Member.objects.filter(code=o["member"]).first()
            if m is None:
                raise CommandError(f"Không có đảng viên mã '{o['member']}'.")
            lines = explain_member(m, o["year"])
        elif o["org"]:
            lines = explain_org(_org(o["org"]), o["year"])
        else:
            raise CommandError("Cần --member hoặc --org.")
        self.stdout.write("\n".join(lines))

    def do_streaks(self, o: dict[str, Any]) -> None:
        root = _org(o["root"])
        first = o["year"] - o["years"] + 1
        if o["subject"] == "members":
            ids = member_streaks(
                root, o["year"], o["years"], exemplary=o["exemplary"], not_rated_breaks=not o["keep_not_rated"]
            )
            names = [
                f"{code} – {name}"
                for name, code in sorted(
                    Member.objects.filter(pk__in=ids).values_list("full_name", "code"),
                    key=lambda x: person_sort_key(x[0]),
                )
            ]
            self.stdout.write(
                f"{fmt_int(len(ids))} cá nhân 'Hoàn thành xuất sắc nhiệm vụ' {o['years']} năm liền "
                f"({first} – {o['year']})"
            )
        else:
            ids = org_streaks(
                root, o["year"], o["years"], exemplary=o["exemplary"], not_rated_breaks=not o["keep_not_rated"]
            )
            on = dt.date(o["year"], 12, 31)
            names = sorted(unit_name(oid, on) for oid in ids)
            self.stdout.write(
                f"{fmt_int(len(ids))} tập thể đạt mức cao nhất{' tiêu biểu' if o['exemplary'] else ''} "
                f"{o['years']} năm liền ({first} – {o['year']})"
            )
        for line in names:
            self.stdout.write(f"  {line}")
