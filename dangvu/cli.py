"""The ``dangvu`` console command: the product's commands in Vietnamese, Django's management commands underneath.

`dangvu`, `dangvu --help` and `dangvu help` list the product's commands, one line each; `dangvu help CMD` is
`dangvu CMD --help`; `dangvu django-help` lists Django's own commands (migrate, collectstatic, check,
createsuperuser, …), which all still run as `dangvu NAME`.

For the product's commands (those under dangvu/*/management/commands) the help and the errors are Vietnamese:
Django's options common to every command (--settings, --verbosity, …) still work but are left out of the help,
argparse's headings and messages are translated, and a CommandError prints "Lỗi: …" instead of its class name.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable
from typing import Any, NoReturn

# The product's commands in the order a person meets them, one line each (tests/test_cli.py checks that every
# command under dangvu/*/management/commands is here).
COMMANDS: dict[str, str] = {
    "demo": "dựng dữ liệu mẫu một huyện, tạo tài khoản mẫu cho từng vai trò và mở ứng dụng web",
    "serve": "chạy ứng dụng web (mặc định http://127.0.0.1:8000/)",
    "worker": "chạy các công việc nền (nhập dữ liệu, tạo báo cáo, xuất PDF) từ hàng đợi trong cơ sở dữ liệu",
    "tree": "in cây tổ chức đảng tại một ngày, kèm số đảng viên",
    "import": "nhập tổ chức, đảng viên, hồ sơ công tác từ tệp Excel hoặc thư mục CSV (trọn vẹn hoặc không ghi gì)",
    "export": "xuất một cây tổ chức tại một ngày theo định dạng trao đổi",
    "template": "ghi tệp mẫu nhập liệu (tiêu đề cột, dòng mẫu, danh mục giá trị) hoặc tài liệu định dạng",
    "assess": "kiểm điểm, đánh giá, xếp loại hằng năm: mở đợt, đề xuất, quyết định, kết thúc, thống kê, giải thích",
    "indicators": "các chỉ số công tác xây dựng Đảng của một tổ chức trong một kỳ, so với kế hoạch và chỉ tiêu",
    "targets": "chỉ tiêu nghị quyết đại hội, kế hoạch năm, ngày đại hội của một tổ chức: ghi và xem",
    "tables": "biểu thống kê cơ bản của một tổ chức có đến một ngày (tổ chức, đảng viên, kết nạp, xếp loại): XLSX",
    "report": "lập báo cáo (DOCX theo thể thức văn bản của Đảng, phụ lục XLSX, PDF) từ hồ sơ",
    "alerts": "tính lại các cảnh báo lưu sẵn (việc đến hạn, quá hạn) sau khi nhập hoặc sinh dữ liệu",
    "generate": "sinh dữ liệu mẫu xác định (huyện, tỉnh, toàn quốc)",
    "backup": "sao lưu cơ sở dữ liệu và các tệp trong var/ (tệp nhập, báo cáo) vào một tệp có bản kê kiểm tra được",
    "prune": "dọn công việc nền đã xong lâu ngày, tệp xuất và tệp dự thảo báo cáo cũ (báo cáo đã ban hành được giữ)",
    "restore": "khôi phục từ một tệp sao lưu: kiểm tra trọn vẹn trước, đối chiếu số dòng và mã SHA-256 sau",
}

DJANGO_COMMON = {
    *("version", "verbosity", "settings", "pythonpath", "traceback", "no_color", "force_color", "skip_checks"),
}

# What an option's value is, in the help (argparse shows the option's name in capitals: "--seed SEED").
METAVARS = {
    **dict.fromkeys(("root", "member", "org", "code"), "MÃ"),
    **dict.fromkeys(("as_of", "date", "start", "end", "today", "rated_on", "on", "since", "until"), "NGÀY"),
    **dict.fromkeys(("seed", "members", "workers", "years", "depth", "max_tasks", "interval"), "SỐ"),
    **dict.fromkeys(("year", "rate_from"), "NĂM"),
    "period": "KỲ",
    "out": "THƯ_MỤC",
    "path": "ĐƯỜNG_DẪN",
    "addrport": "ĐỊA_CHỈ:CỔNG",
    "template": "TỆP",
    "docs": "TỆP",
    "document": "VĂN_BẢN",
    "actor": "TÊN",
    "regime": "QUY_ĐỊNH",
}

# argparse's messages (Python 3.11–3.13), in Vietnamese.
_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^the following arguments are required: (.*)$"), r"thiếu tham số bắt buộc: \1"),
    (re.compile(r"^unrecognized arguments: (.*)$"), r"không hiểu tham số: \1"),
    (
        re.compile(r"^argument (\S+): invalid choice: (.*?) \(choose from (.*)\)$"),
        r"tham số \1: giá trị \2 không hợp lệ (chọn một trong \3)",
    ),
    (re.compile(r"^argument (\S+): invalid \S+ value: (.*)$"), r"tham số \1: giá trị \2 không hợp lệ"),
    (re.compile(r"^argument (\S+): expected one argument$"), r"tham số \1 cần một giá trị"),
    (re.compile(r"^argument (\S+): expected at least one argument$"), r"tham số \1 cần ít nhất một giá trị"),
    (re.compile(r"^argument (\S+): not allowed with argument (\S+)$"), r"tham số \1 không dùng cùng \2"),
    (re.compile(r"^one of the arguments (.*) is required$"), r"cần một trong các tham số \1"),
    (re.compile(r"^ambiguous option: (.*)$"), r"tùy chọn không rõ: \1"),
]


def vietnamese_message(message: str) -> str:
    for pattern, repl in _MESSAGES:
        if pattern.match(message):
            return pattern.sub(repl, message)
    return message


def main_help() -> str:
    width = max(len(c) for c in COMMANDS)
    lines = [
        "Đảng vụ: hồ sơ tổ chức đảng và đảng viên.",
        "",
        "Cách dùng: dangvu LỆNH [tùy chọn]     (dangvu help LỆNH hoặc dangvu LỆNH --help: hướng dẫn của một lệnh)",
        "",
        "Các lệnh:",
        *(f"  {name:<{width}}  {text}" for name, text in COMMANDS.items()),
        "",
        "Cơ sở dữ liệu: biến môi trường DANGVU_DATABASE_URL (mặc định sqlite:///var/dangvu.sqlite3;",
        "postgresql://user@host:port/tên để dùng PostgreSQL). Ngày ghi dạng dd/mm/yyyy.",
        "",
        "Lệnh quản trị của Django (migrate, collectstatic, check, createsuperuser…): dangvu django-help",
    ]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- Vietnamese help and errors for our commands


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix="Cách dùng: " if prefix is None else prefix)


def _vietnamese(parser: argparse.ArgumentParser, called_from_command_line: bool) -> None:
    """Our headings, hide Django's common options, translate the help action and the errors; recursively for
    the subcommands (assess open, assess stats, …)."""
    from django.core.management.base import CommandError, DjangoHelpFormatter

    class Formatter(_Formatter, DjangoHelpFormatter):
        pass

    parser.formatter_class = Formatter
    parser._positionals.title = "tham số"
    parser._optionals.title = "tùy chọn"

    def error(message: str) -> NoReturn:
        text = vietnamese_message(message)
        if not called_from_command_line:
            raise CommandError(f"Lỗi: {text}")
        parser.print_usage(sys.stderr)
        parser.exit(2, f"{parser.prog}: lỗi: {text}\n")

    parser.error = error  # type: ignore[method-assign]
    for action in parser._actions:
        takes_value = action.nargs != 0 and action.choices is None and action.metavar is None
        if takes_value and not isinstance(action, argparse._HelpAction | argparse._VersionAction):
            action.metavar = METAVARS.get(action.dest, "GIÁ_TRỊ" if action.option_strings else action.dest.upper())
        if action.metavar in ("FILE", "PATH", "DIR"):
            action.metavar = {"FILE": "TỆP", "PATH": "ĐƯỜNG_DẪN", "DIR": "THƯ_MỤC"}[str(action.metavar)]
        if action.dest in DJANGO_COMMON:
            action.help = argparse.SUPPRESS
        elif isinstance(action, argparse._HelpAction):
            action.help = "in hướng dẫn này rồi thoát"
        elif isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _vietnamese(sub, called_from_command_line)


def _is_ours(command: Any) -> bool:
    return type(command).__module__.startswith("dangvu.")


def install() -> None:
    """Patch Django's BaseCommand for our commands only (Django's own keep their help as it is)."""
    from django.core.management.base import BaseCommand, CommandError, OutputWrapper

    if getattr(BaseCommand, "_dangvu_vietnamese", False):
        return
    create_parser: Callable[..., Any] = BaseCommand.create_parser
    run_from_argv: Callable[..., Any] = BaseCommand.run_from_argv

    def vn_create_parser(self: Any, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        parser = create_parser(self, prog_name, subcommand, **kwargs)
        if _is_ours(self):
            _vietnamese(parser, called_from_command_line=bool(getattr(self, "_called_from_command_line", False)))
        return parser

    class VietnameseErrors(OutputWrapper):
        def write(self, msg: str = "", style_func: Any = None, ending: str | None = None) -> None:  # type: ignore[override]
            for name in (CommandError.__name__, "SystemCheckError"):
                if msg.startswith(f"{name}: "):
                    msg = "Lỗi: " + msg[len(name) + 2 :]
            super().write(msg, style_func, ending)

    def vn_run_from_argv(self: Any, argv: list[str]) -> Any:
        if _is_ours(self):
            self.stderr = VietnameseErrors(sys.stderr)
            self.stderr.style_func = self.style.ERROR
        return run_from_argv(self, argv)

    BaseCommand.create_parser = vn_create_parser  # type: ignore[method-assign]
    BaseCommand.run_from_argv = vn_run_from_argv  # type: ignore[method-assign]
    BaseCommand._dangvu_vietnamese = True  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    if not args or args[0] in ("-h", "--help") or args == ["help"]:
        sys.stdout.write(main_help())
        return
    if args[0] == "django-help":
        args = ["help", *args[1:]]
    elif args[0] == "help":
        args = [args[1], "--help"]
    import django
    from django.core.management import execute_from_command_line, get_commands

    django.setup()
    if args[0] not in get_commands() and args[0] != "help" and not args[0].startswith("-"):
        sys.stderr.write(f"Không có lệnh '{args[0]}'. Các lệnh: dangvu --help\n")
        sys.exit(1)
    install()
    from django.db import DatabaseError

    try:
        execute_from_command_line(["dangvu", *args])
    except BrokenPipeError:
        # `dangvu tree | head`: the reader has gone; stop quietly, as Unix tools do (Python docs, "SIGPIPE").
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except DatabaseError as e:
        # An empty or old database (no table yet): say what to do rather than print a traceback.
        if "no such table" in str(e) or "does not exist" in str(e):
            sys.stderr.write(
                "Lỗi: cơ sở dữ liệu chưa có đủ bảng. Chạy `dangvu migrate` (hoặc `make demo`) rồi thử lại.\n"
            )
            sys.exit(1)
        raise


if __name__ == "__main__":
    main()
