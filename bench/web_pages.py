"""Benchmark (issue 11): server time of each main page on the demo district, one request at a time.

    .venv/bin/dangvu demo --no-serve          # once: the demo district and its logins (var/dangvu.sqlite3)
    .venv/bin/python bench/web_pages.py [--db sqlite:///var/dangvu.sqlite3] [--runs 20] [--json bench/out/pages.json]

Each page is requested in-process through Django's test client (the whole middleware stack, sessions, templates,
queries; no network), as the person who uses it: department staff of the district (`canbo`, on dates before the
2025 reform and today), the inspector, the branch secretary and the member. DEBUG off, the dashboard's cache as
deployed (`DANGVU_DASHBOARD_SECONDS`, 60 s). For each page: the first request (cold: the dashboard's figures and
the alerts computed), then the median and p95 of --runs more, the median CPU time of this process per request
(the fairer reading on a loaded machine), and the number of queries of the last one.
The URLs are found from the database (the demo's units, a member, the open cycle), so the script runs on any
demo seed. Aim: median and p95 ≤ 300 ms for every page.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from foundation import setup


def pages() -> list[tuple[str, str, str]]:
    """(login, page name, URL) for the main pages, found from the demo's records."""
    from dangvu.accounts.models import Grant, Role
    from dangvu.assessment.models import AssessmentCycle
    from dangvu.members.models import Member, MembershipSpan

    staff = Grant.objects.filter(user__username="canbo", role=Role.STAFF).select_related("organization")
    district = next(g.organization for g in staff if g.organization and g.organization.code.startswith("VPHH"))
    province = next(g.organization for g in staff if g.organization and g.organization.code != district.code)
    branch = Grant.objects.get(user__username="bithuchibo").organization
    assert branch is not None
    member = Member.objects.get(account__user__username="dangvien")
    past = "30/06/2025"
    cycle_past = AssessmentCycle.objects.filter(committee=district, year=2024).first()
    cycle_now = AssessmentCycle.objects.filter(closed_at__isnull=True).order_by("-year").first()
    someone = MembershipSpan.objects.filter(organization__ancestry__ancestor=district).order_by("member_id").first()
    out = [
        ("canbo", "tổng quan huyện (30/06/2025)", f"/to-chuc/{district.code}/?as_of={past}"),
        ("canbo", "cảnh báo huyện (đoạn)", f"/to-chuc/{district.code}/canh-bao/?as_of={past}"),
        ("canbo", "chỉ tiêu huyện (đoạn)", f"/to-chuc/{district.code}/chi-tieu/?as_of={past}"),
        ("canbo", "lịch sử tổ chức", f"/to-chuc/{district.code}/lich-su/"),
        ("canbo", "cây tổ chức huyện (30/06/2025)", f"/cay/?root={district.code}&as_of={past}"),
        ("canbo", "cây tổ chức tỉnh (hôm nay)", f"/cay/?root={province.code}"),
        ("canbo", "danh sách đảng viên huyện", f"/dang-vien/?org={district.code}&as_of={past}"),
        ("canbo", "tìm đảng viên không dấu", f"/dang-vien/?q=nguyen+van+an&as_of={past}"),
        ("canbo", "đánh giá, xếp loại", "/danh-gia/"),
        ("canbo", "công tác đảng", "/cong-tac/"),
        ("canbo", "kỷ luật", "/cong-tac/ky-luat/"),
        ("canbo", "việc đến hạn (tất cả)", f"/to-chuc/{province.code}/canh-bao/tat-ca/"),
        ("canbo", "kết nạp", "/cong-tac/ket-nap/"),
        ("canbo", "nhật ký", "/nhat-ky/"),
        ("canbo", "báo cáo", "/bao-cao/"),
        ("canbo", "phân quyền", "/phan-quyen/"),
        ("canbo", "chọn tổ chức (gợi ý)", "/chon/to-chuc/?q=thon"),
        ("canbo", "chọn đảng viên (gợi ý)", "/chon/dang-vien/?q=nguyen+van"),
        ("kiemtra", "tổng quan tỉnh", f"/to-chuc/{province.code}/"),
        ("kiemtra", "danh sách đảng viên tỉnh", "/dang-vien/"),
        ("bithuchibo", "tổng quan chi bộ", f"/to-chuc/{branch.code}/"),
        ("dangvien", "hồ sơ của tôi", f"/dang-vien/{member.code}/"),
        ("dangvien", "tự đánh giá", "/danh-gia/tu-danh-gia/"),
    ]
    if someone is not None:
        out.append(("canbo", "hồ sơ đảng viên", f"/dang-vien/{someone.member.code}/"))
        out.append(("canbo", "hồ sơ đảng viên (bản in)", f"/dang-vien/{someone.member.code}/in/"))
    if cycle_past is not None:
        out.append(("canbo", "đợt đánh giá 2024 của huyện", f"/danh-gia/{cycle_past.pk}/"))
    if cycle_now is not None:
        out.append(("bithuchibo", "đánh giá của chi bộ", f"/danh-gia/{cycle_now.pk}/don-vi/{branch.code}/"))
        out.append(("bithuchibo", "đợt đánh giá đang mở", f"/danh-gia/{cycle_now.pk}/"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="sqlite:///var/dangvu.sqlite3")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--json", default="")
    args = ap.parse_args()
    os.environ.setdefault("DANGVU_DEBUG", "0")
    setup(args.db)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    clients: dict[str, Client] = {}
    rows: list[dict[str, Any]] = []
    print(
        f"{'trang':<36} {'người':<11} {'HTTP':>4} {'lần đầu':>9} {'trung vị':>9} {'p95':>9} {'CPU':>7} {'truy vấn':>8}"
    )
    for login, name, url in pages():
        if login not in clients:
            c = Client()
            c.force_login(get_user_model().objects.get(username=login))
            clients[login] = c
        c = clients[login]
        t = time.perf_counter()
        r = c.get(url)
        first = time.perf_counter() - t
        times, cpu = [], []
        for _ in range(args.runs):
            t, p = time.perf_counter(), time.process_time()
            r = c.get(url)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - p)
        with CaptureQueriesContext(connection) as q:
            c.get(url)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        med = statistics.median(times)
        cpu_med = statistics.median(cpu)
        rows.append(
            {
                "login": login,
                "page": name,
                "url": url,
                "status": r.status_code,
                "first_ms": first * 1000,
                "median_ms": med * 1000,
                "p95_ms": p95 * 1000,
                "cpu_median_ms": cpu_med * 1000,
                "queries": len(q),
            }
        )
        flag = "" if r.status_code == 200 and p95 <= 0.3 else "  ←"
        print(
            f"{name:<36} {login:<11} {r.status_code:>4} {first * 1000:>7.0f}ms {med * 1000:>7.0f}ms "
            f"{p95 * 1000:>7.0f}ms {cpu_med * 1000:>5.0f}ms {len(q):>8}{flag}",
            flush=True,
        )
    worst = max(rows, key=lambda r: r["p95_ms"])
    print(f"chậm nhất (p95): {worst['page']} {worst['p95_ms']:.0f} ms")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
