"""Property-based fuzzing of the import parsers (issue 13): random workbooks, damaged zips, bombs, CSV files in
any encoding, dates of any year. Whatever the file, the import either writes it whole or refuses it with
Vietnamese problems naming the file, sheet, row or column, and a refusal writes nothing; no other exception
escapes."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.db import transaction
from fixtures import hostile_files as hostile
from fixtures.import_files import OFFICER, base, counts, xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangvu.imports import limits
from dangvu.imports.format import MEMBER_EVENTS, MEMBERS, ORG_EVENTS, ORGS, SHEETS
from dangvu.imports.load import import_path
from dangvu.imports.read import Refused

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# A library's English leaking into a message, outside the quoted cell values a message may echo.
ENGLISH = re.compile(r"\b(invalid|error|zip|archive|field|larger|exception|traceback|none|nan|unicode)\b", re.I)
VIET = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùýĐ]", re.I)


class _Undo(Exception):
    pass


def outcome(path: Path) -> list[str]:
    """[] when the file imported (rolled back at once), else its problems; a refusal must write nothing."""
    before = counts()
    try:
        with transaction.atomic():
            import_path(path, actor=OFFICER)
            raise _Undo
    except _Undo:
        return []
    except Refused as e:
        assert counts() == before, "a refused file must write nothing"
        out = [str(p) for p in e.problems]
        assert out, "a refusal names at least one problem"
        for text in out:
            bare = re.sub(r"'[^']*'", "", text)
            assert not ENGLISH.search(bare), text
            assert VIET.search(bare), text
        return out


cells = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.integers(-(10**6), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(dt.date(1700, 1, 1), dt.date(2300, 12, 31)),
    st.sampled_from(["01/01/1800", "31/02/1990", "1990-13-01", "Kết nạp", "Nam", "Chi bộ trực thuộc", "X", "0"]),
)


@FUZZ
@given(
    sheets=st.lists(st.sampled_from(SHEETS), min_size=1, max_size=3, unique=True),
    data=st.lists(st.lists(cells, max_size=25), max_size=5),
)
def test_a_random_workbook_imports_or_is_refused_in_vietnamese(tmp_path_factory: Any, sheets: Any, data: Any) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "ngau-nhien.xlsx"
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name)
        ws.append(list(sheet.headers))
        for r in data:
            ws.append(r)
    wb.save(path)
    outcome(path)


@FUZZ
@given(
    born=st.dates(dt.date(1700, 1, 1), dt.date(2300, 12, 31)),
    admitted=st.dates(dt.date(1700, 1, 1), dt.date(2300, 12, 31)),
    as_text=st.booleans(),
)
def test_dates_of_any_year_never_read_as_a_time_or_a_negative_age(
    tmp_path_factory: Any, born: dt.date, admitted: dt.date, as_text: bool
) -> None:
    sheets = base()
    birth: Any = born.strftime("%d/%m/%Y") if as_text else born
    sheets[MEMBERS] = [MEMBERS.headers, ["DV1", "Nguyễn Văn An", "", "Nam", birth]]
    sheets[MEMBER_EVENTS] = [MEMBER_EVENTS.headers, ["DV1", "Kết nạp", admitted, "B01", "", "", "", ""]]
    problems = outcome(xlsx(tmp_path_factory.mktemp("ngay") / "ngay.xlsx", sheets))
    assert not any("00:00:00" in p or re.search(r"-\d+ tuổi", p) for p in problems), problems


@FUZZ
@given(cuts=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8))
def test_a_damaged_workbook_is_refused_in_vietnamese_or_still_reads(tmp_path_factory: Any, cuts: Any) -> None:
    folder = tmp_path_factory.mktemp("hong")
    data = bytearray(xlsx(folder / "goc.xlsx", base()).read_bytes())
    for at, byte in cuts:
        data[at % len(data)] = byte
    path = folder / "hong.xlsx"
    path.write_bytes(bytes(data[: max(1, len(data) - cuts[0][0] % 64)]))
    outcome(path)


@FUZZ
@given(
    text=st.text(max_size=200),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1258", "latin-1", "cp1252"]),
    sheet=st.sampled_from([ORGS, ORG_EVENTS, MEMBERS, MEMBER_EVENTS]),
)
def test_a_csv_in_any_encoding_imports_or_is_refused_in_vietnamese(
    tmp_path_factory: Any, text: str, encoding: str, sheet: Any
) -> None:
    folder = tmp_path_factory.mktemp("csv")
    body = ",".join(sheet.headers) + "\n" + text
    (folder / sheet.csv_name).write_bytes(body.encode(encoding, errors="replace"))
    outcome(folder)


@FUZZ
@given(
    kind=st.sampled_from(["row", "column", "rows", "bomb", "string", "text", "lying"]),
    size=st.integers(1, 4),
)
def test_a_bomb_of_any_shape_is_refused(tmp_path_factory: Any, settings: Any, kind: str, size: int) -> None:
    settings.DANGVU_IMPORT_LIMITS = {
        "inflated_bytes": 24 * limits.MB,
        "ratio_floor_bytes": 256 * 1024,
        "rows": 2_000,
        "columns": 30,
        "cell_chars": 1_000,
    }
    path = tmp_path_factory.mktemp("bom") / f"bom-{kind}.xlsx"
    build = {
        "row": lambda: hostile.far_cell(path, 2_000 * size + 5),
        "column": lambda: hostile.far_cell(path, 3, ["AE", "AZ", "BA", "XFD"][size - 1]),
        "rows": lambda: hostile.many_rows(path, 2_500 * size),
        "bomb": lambda: hostile.zip_bomb(path, 8 * size * limits.MB),
        "string": lambda: hostile.huge_shared_string(path, 1_001 * size * 10),
        "text": lambda: hostile.long_inline_text(path, 1_001 * size),
        "lying": lambda: hostile.lying_directory(path, 8 * size * limits.MB),
    }[kind]
    problems = outcome(build())
    assert problems and all(p.startswith(f"Tệp {path.name}") for p in problems), problems
