"""Why a file is refused: each problem where (sheet, row as Excel shows it, column header) and why, in Vietnamese."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One reason a file is refused: where (sheet, row as Excel shows it, column header) and why."""

    sheet: str
    row: int | None
    column: str
    message: str
    file: str = ""  # named when the problem is the file's own (too large, not a workbook, not UTF-8)

    def __str__(self) -> str:
        where = [f"Tệp {self.file}"] if self.file else []
        if self.sheet:
            where.append(f"sheet '{self.sheet}'" if where else f"Sheet '{self.sheet}'")
        elif not where:
            where = ["Tệp"]
        if self.row:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột '{self.column}'")
        return ", ".join(where) + f": {self.message}"


class Refused(Exception):
    """The file was not imported; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} lỗi")
        self.problems = problems
