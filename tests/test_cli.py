"""The `dangvu` command (issue 11, item 9): its help lists the product's commands in Vietnamese, each command's help
describes every option, errors are Vietnamese, and a port already taken is said so with how to choose another."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dangvu.cli import COMMANDS, vietnamese_message

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = ("usage:", "options:", "show this help", "Verbosity level", "positional arguments", "Error:", "error:")


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-m", "dangvu.cli", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_dangvu_help_lists_every_product_command_one_line_each_and_django_behind_django_help() -> None:
    ours = {p.stem for p in (ROOT / "dangvu").glob("*/management/commands/*.py") if not p.stem.startswith("_")}
    assert ours == set(COMMANDS)
    out = run("--help").stdout
    for name in ours:
        assert re.search(rf"^  {name} +\S", out, re.M), name
    commands = out.split("Các lệnh:")[1].split("\n\n")[0]
    assert "migrate" not in commands and "dangvu django-help" in out
    assert not any(word in out for word in ENGLISH)
    assert run().stdout == out and run("help").stdout == out


def test_djangos_own_commands_stay_reachable() -> None:
    assert "migrate" in run("django-help").stdout


@pytest.mark.parametrize("command", ["demo", "serve", "tree", "generate", "indicators", "report", "export", "import"])
def test_each_commands_help_is_vietnamese_and_describes_every_option(command: str) -> None:
    out = run(command, "--help").stdout
    assert out.startswith("Cách dùng: dangvu ") and not any(word in out for word in ENGLISH)
    assert "--settings" not in out and "--verbosity" not in out  # Django's common options: still work, not listed
    body = out.split("tùy chọn:")[1]
    options = re.findall(r"^  (--?[\w-]+)(.*)\n((?:    .*\n)?)", body, re.M)
    for name, rest, nxt in options:
        described = re.search(r"\S+\s{2,}\S", f"{name}{rest}") or nxt.strip()
        assert described, f"dangvu {command}: {name} has no help"


ASSESS_ACTIONS = ["open", "propose", "close", "reopen", "decide", "exemplary", "import", "stats", "explain", "streaks"]


def test_the_review_commands_help_describes_every_action() -> None:
    out = run("assess", "--help").stdout
    for action in ASSESS_ACTIONS:
        line = re.search(rf"^    {action}\b(.*)\n(.*)", out, re.M)
        assert line and (line.group(1).strip() or line.group(2).strip()), f"dangvu assess {action} has no help"


@pytest.mark.parametrize("action", ASSESS_ACTIONS)
def test_each_review_actions_help_describes_every_option(action: str) -> None:
    out = run("assess", action, "--help").stdout
    body = out.split("tùy chọn:")[1]
    for name, rest, nxt in re.findall(r"^  (--?[\w-]+)(.*)\n((?:    .*\n)?)", body, re.M):
        assert re.search(r"\S+\s{2,}\S", f"{name}{rest}") or nxt.strip(), f"dangvu assess {action}: {name}"


def test_help_of_a_command_is_also_dangvu_help_command() -> None:
    assert run("help", "tree").stdout == run("tree", "--help").stdout


def test_a_wrong_option_value_and_a_missing_option_are_told_in_vietnamese() -> None:
    r = run("tree", "--format", "xml")
    assert r.returncode == 2 and "lỗi: tham số --format: giá trị 'xml' không hợp lệ" in r.stderr
    r = run("indicators", "--root", "H")
    assert r.returncode == 2 and "thiếu tham số bắt buộc: --from, --to" in r.stderr
    assert vietnamese_message("unrecognized arguments: --x") == "không hiểu tham số: --x"


def test_an_unknown_command_is_told_in_vietnamese() -> None:
    r = run("khongco")
    assert r.returncode == 1 and "Không có lệnh 'khongco'" in r.stderr


def test_a_command_error_prints_loi_not_its_class_name(tmp_path: Path) -> None:
    r = run("tree", "--as-of", "99/99/9999", DANGVU_DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    assert r.returncode == 1 and "CommandError" not in r.stderr
    assert r.stderr.startswith("Lỗi: Ngày không hợp lệ: '99/99/9999'")


def test_a_database_without_tables_says_to_migrate_instead_of_a_traceback(tmp_path: Path) -> None:
    r = run("tree", "--root", "H", DANGVU_DATABASE_URL=f"sqlite:///{tmp_path / 'trong.sqlite3'}")
    assert r.returncode == 1 and "Traceback" not in r.stderr and "dangvu migrate" in r.stderr


@pytest.fixture
def taken_port() -> Iterator[int]:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen()
    yield s.getsockname()[1]
    s.close()


@pytest.mark.parametrize("args", [["serve", "127.0.0.1:{port}"], ["demo", "--addrport", "127.0.0.1:{port}"]])
def test_a_taken_port_is_said_in_vietnamese_with_how_to_choose_another(
    args: list[str], taken_port: int, tmp_path: Path
) -> None:
    r = run(*(a.format(port=taken_port) for a in args), DANGVU_DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert r.returncode == 1 and "Traceback" not in r.stderr and "already in use" not in r.stderr
    assert f"Lỗi: Cổng {taken_port} trên 127.0.0.1 đang được một chương trình khác dùng." in r.stderr
    assert re.search(r"make demo PORT=\d+", r.stderr) and re.search(r"dangvu serve 127\.0\.0\.1:\d+", r.stderr)
    assert not (tmp_path / "x.sqlite3").exists() or args[0] == "serve"  # the demo says so before generating


def test_make_demo_takes_the_port() -> None:
    out = subprocess.run(
        ["make", "-n", "demo", "PORT=8123"], capture_output=True, text=True, cwd=ROOT, timeout=60
    ).stdout
    assert "dangvu demo --addrport 127.0.0.1:8123" in out


def test_output_cut_short_by_a_pipe_ends_quietly() -> None:
    """`dangvu tree | head`: the reader goes away mid-output; no BrokenPipeError traceback."""
    code = (
        "import django.core.management as m\n"
        "def cut(argv):\n    raise BrokenPipeError(32, 'Broken pipe')\n"
        "m.execute_from_command_line = cut\n"
        "from dangvu.cli import main\nmain(['tree'])\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert r.returncode == 0 and "Traceback" not in r.stderr
