"""Browser tests: pytest-playwright driving Debian's Chromium (/usr/bin/chromium, installed by `make system`)
against pytest-django's live_server.

Without Chromium the tests skip with the reason; under CI=true a missing Chromium fails the run instead.
Screenshots of the main pages go to var/screenshots/ (git-ignored).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# The live server runs in a thread while Playwright's sync API runs an event loop in this one (STACK_NOTES §4).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("DANGVU_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "var" / "screenshots"
AXE = ROOT / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js"  # scripts/system-deps.sh installs it
PASSWORD = "mat-khau-kiem-thu"


def _chromium() -> str:
    path = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium") or ""
    if not path:
        reason = f"Chromium không có tại {CHROMIUM} (cài bằng `make system`)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true: {reason}")
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": _chromium(), "args": ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_context_args,
        "viewport": {"width": 1280, "height": 900},
        "locale": "vi-VN",
        "accept_downloads": True,
    }


@pytest.fixture
def shot() -> Any:
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> None:
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def axe() -> Any:
    """`axe(page, name)` runs axe-core (WCAG 2 A/AA rules) on the page as it is and fails on any serious or
    critical violation, naming the rule and the elements. Every input must have a label (axe's 'label' rule)."""
    if not AXE.exists():
        reason = f"axe-core không có tại {AXE} (cài bằng `make system`)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true: {reason}")
        pytest.skip(reason)
    source = AXE.read_text(encoding="utf-8")

    def check(page: Any, name: str) -> list[dict[str, Any]]:
        # evaluate() goes through the DevTools protocol, which the page's CSP (script-src 'self') does not govern.
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(source)
        result = page.evaluate(
            """async () => {
                const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a',
                    'wcag21aa', 'best-practice']}});
                return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
            }"""
        )
        bad = [v for v in result if v["impact"] in ("serious", "critical")]
        assert not bad, f"{name}: " + "; ".join(f"{v['id']} ({v['impact']}): {v['help']} → {v['nodes']}" for v in bad)
        return result

    return check


@pytest.fixture(autouse=True)
def _web_settings(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    settings.DANGVU_DASHBOARD_SECONDS = 0
    settings.AXES_ENABLED = True


@dataclass
class Scene:
    """District H (tests/conftest.py SmallDistrict) with four members and the 2025 review open.

    canbo: staff of H · bithuchibo: secretary of branch B1 · dangvien: An of B1 · quantri: administrator."""

    district: Any
    an: Any
    binh: Any
    chi: Any
    dung: Any
    cycle: Any
    url: str

    def login(self, page: Any, username: str) -> None:
        page.goto(self.url + "/dang-nhap/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")

    def logout(self, page: Any) -> None:
        page.click("text=Đăng xuất")
        page.wait_for_url("**/dang-nhap/")


@pytest.fixture
def scene(live_server: Any, district: Any, make_member: Any, django_user_model: Any) -> Scene:
    from decimal import Decimal

    from dangvu.accounts.models import Role
    from dangvu.accounts.services import account_link_member, grant_role
    from dangvu.assessment.models import MemberYearFacts
    from dangvu.assessment.services import cycle_open
    from dangvu.audit.services import Actor

    setup = Actor("thiết lập kiểm thử")
    D = dt.date
    an = make_member(district.b1, D(2010, 3, 1), name="Nguyễn Văn An", citizen_id="001080001234")
    binh = make_member(district.b1, D(2011, 3, 1), name="Trần Thị Bình")
    chi = make_member(district.b2, D(2012, 3, 1), name="Lê Minh Chi", gender="female")
    dung = make_member(district.agency, D(2013, 3, 1), name="Phạm Văn Dũng")
    MemberYearFacts.objects.create(member=an, year=2025, tasks_completed=Decimal(1), tasks_exceeded=Decimal("0.5"))

    def user(name: str, **flags: Any) -> Any:
        return django_user_model.objects.create_user(name, password=PASSWORD, **flags)

    start = D(2020, 1, 1)
    grant_role(user=user("canbo"), role=Role.STAFF, organization=district.district, valid_from=start, actor=setup)
    grant_role(
        user=user("bithuchibo"), role=Role.BRANCH_SECRETARY, organization=district.b1, valid_from=start, actor=setup
    )
    member_user = user("dangvien")
    account_link_member(user=member_user, member=an, actor=setup)
    grant_role(user=member_user, role=Role.MEMBER, organization=None, valid_from=start, actor=setup)
    user("quantri", is_superuser=True, is_staff=True)
    cycle = cycle_open(committee=district.district, year=2025, actor=setup)
    return Scene(district, an, binh, chi, dung, cycle, live_server.url)
