"""dangvu demo [--no-serve]: migrate, load the demo district once, create a login for each role, serve — with a
job worker (`dangvu worker`: imports, reports, PDF) beside the server; both stop together.

The logins (password for all: dangvu-demo):
  canbo       department staff (read-write) of the district and of today's province
  kiemtra     inspector (read-only) of the province
  bithu       secretary of a grassroots organization
  bithuchibo  secretary of a branch
  dangvien    a member of that branch (own profile and self-review)
  quantri     system administrator
"""

from __future__ import annotations

import ctypes
import datetime as dt
import signal
import subprocess
import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from dangvu.audit.services import Actor
from dangvu.orgs.models import OrgAncestry, Organization, OrgVersion, valid_on
from dangvu.web.management.commands.serve import DEFAULT, port_problem, refuse

DEMO_USER, DEMO_PASSWORD = "canbo", "dangvu-demo"
SETUP = Actor("dangvu demo")


def _pick(kind: str, on: dt.date, under: Organization | None = None) -> Organization | None:
    """The largest unit of a kind on the date (deterministic: ties by code)."""
    from django.db.models import Count

    from dangvu.members.models import MembershipSpan

    units = OrgVersion.objects.filter(valid_on(on), kind=kind)
    if under is not None:
        units = units.filter(
            organization_id__in=OrgAncestry.objects.on(on).filter(ancestor=under).values("organization_id")
        )
    sizes = (
        MembershipSpan.objects.on(on)
        .filter(organization_id__in=units.values("organization_id"))
        .values("organization_id")
        .annotate(n=Count("id"))
        .order_by("-n", "organization_id")
    )
    first = sizes.first()
    return Organization.objects.get(pk=first["organization_id"]) if first else None


def _die_with_parent() -> None:
    """In the worker, before it starts: SIGTERM when the demo process dies, however it dies (Linux's
    PR_SET_PDEATHSIG; elsewhere nothing, and stop_worker does it on a normal stop)."""
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (AttributeError, OSError):
        pass


def start_worker() -> subprocess.Popen[bytes]:
    """`dangvu worker` as a child process, with this process's settings (environment)."""
    return subprocess.Popen(
        [sys.executable, "-m", "dangvu.cli", "worker", "--interval", "0.5"], preexec_fn=_die_with_parent
    )


def stop_worker(worker: subprocess.Popen[bytes]) -> None:
    """Ctrl+C reaches the worker too (same terminal): it finishes its job, then stops; a job it cannot finish in
    time is taken again by the next worker (dangvu.jobs.services.recover_stale)."""
    if worker.poll() is None:
        worker.terminate()
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


class Command(BaseCommand):
    help = "Dựng dữ liệu mẫu (một huyện, 2008 đến nay), tạo tài khoản mẫu cho từng vai trò và chạy ứng dụng."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="chỉ dựng dữ liệu và tài khoản, không chạy web")
        parser.add_argument("--seed", type=int, default=2016, help="hạt giống của dữ liệu mẫu (mặc định 2016)")
        parser.add_argument(
            "--addrport", default=DEFAULT, help=f"địa chỉ và cổng của ứng dụng web (mặc định {DEFAULT})"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["no_serve"]:
            # Say so before the minutes of generating, not after.
            addr, _, port = opts["addrport"].rpartition(":")
            addr = addr or "127.0.0.1"
            problem = port_problem(addr, int(port))
            if problem:
                raise refuse(addr, int(port), problem)
        call_command("migrate", verbosity=0)
        if not Organization.objects.exists():
            self.stdout.write("Đang tạo dữ liệu mẫu cấp huyện…")
            call_command("generate", profile="district", seed=opts["seed"])
        logins = self.users()
        url = f"http://{opts['addrport']}/"
        self.stdout.write(self.style.SUCCESS(f"Mở {url} — mật khẩu cho mọi tài khoản: {DEMO_PASSWORD}"))
        for username, what in logins:
            self.stdout.write(f"  {username:<11} {what}")
        if not opts["no_serve"]:
            worker = start_worker()
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # a service manager's stop: the worker stops too
            self.stdout.write(f"Tiến trình xử lý nền đang chạy bên cạnh (số {worker.pid}).")
            try:
                call_command("serve", opts["addrport"])
            finally:
                stop_worker(worker)

    @transaction.atomic
    def users(self) -> list[tuple[str, str]]:
        from dangvu.accounts.models import Account, Grant, Role
        from dangvu.accounts.services import account_link_member, grant_role
        from dangvu.domain.vietnamese import person_sort_key
        from dangvu.members.models import Member, MembershipSpan

        today = dt.date.today()
        User = get_user_model()
        district = Organization.objects.filter(versions__kind="district").order_by("code").first()
        tops = OrgVersion.objects.filter(valid_on(today), parent__isnull=True).order_by("-organization_id")
        province = tops.first().organization if tops.exists() else None  # type: ignore[union-attr]
        grassroots = _pick("grassroots_branch", today, province) or _pick("grassroots_committee", today, province)
        branch = _pick("branch", today, province)
        out: list[tuple[str, str]] = []

        def user(username: str, **flags: Any) -> Any:
            u, _ = User.objects.get_or_create(username=username, defaults=flags)
            u.set_password(DEMO_PASSWORD)
            u.save()
            return u

        def grant(u: Any, role: str, org: Organization | None) -> None:
            if not Grant.objects.filter(user=u, role=role, organization=org).exists():
                grant_role(user=u, role=role, organization=org, valid_from=dt.date(2020, 1, 1), actor=SETUP)

        def name(org: Organization | None) -> str:
            v = org.versions.order_by("-valid_from").first() if org else None
            return v.name if v else "—"

        staff = user(DEMO_USER)
        for org in (district, province):
            if org is not None:
                grant(staff, Role.STAFF, org)
        out.append((DEMO_USER, f"cán bộ ban tổ chức: {name(district)} (đến 30/06/2025) và {name(province)}"))
        inspector = user("kiemtra")
        if province is not None:
            grant(inspector, Role.INSPECTOR, province)
        out.append(("kiemtra", f"cán bộ kiểm tra, chỉ xem: {name(province)}"))
        if grassroots is not None:
            grant(user("bithu"), Role.GRASSROOTS_SECRETARY, grassroots)
            out.append(("bithu", f"bí thư: {name(grassroots)}"))
        if branch is not None:
            grant(user("bithuchibo"), Role.BRANCH_SECRETARY, branch)
            out.append(("bithuchibo", f"bí thư chi bộ: {name(branch)}"))
            ids = MembershipSpan.objects.on(today).filter(organization=branch).values("member_id")
            members = sorted(Member.objects.filter(pk__in=ids), key=lambda m: person_sort_key(m.full_name))
            if members:
                m = members[0]
                member_user = user("dangvien")
                if not Account.objects.filter(user=member_user, member=m).exists():
                    account_link_member(user=member_user, member=m, actor=SETUP)
                grant(member_user, Role.MEMBER, None)
                out.append(("dangvien", f"đảng viên {m.full_name} ({m.code}), {name(branch)}"))
        user("quantri", is_staff=True, is_superuser=True)
        out.append(("quantri", "quản trị hệ thống (và trang /admin/)"))
        self.open_cycle(branch, today)
        return out

    def open_cycle(self, branch: Organization | None, today: dt.date) -> None:
        """This year's review open for the commune above the demo branch, so the review can be tried."""
        from dangvu.assessment.models import AssessmentCycle
        from dangvu.assessment.services import cycle_open

        if branch is None:
            return
        parent = (
            OrgAncestry.objects.on(today)
            .filter(organization=branch, ancestor_kind__in=["commune", "district"])
            .order_by("depth")
            .first()
        )
        if parent is None or AssessmentCycle.objects.filter(year=today.year, committee_id=parent.ancestor_id).exists():
            return
        cycle_open(committee=parent.ancestor, year=today.year, actor=SETUP)
