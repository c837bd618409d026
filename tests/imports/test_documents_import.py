"""Documents through the exchange format (issue 12, item 3): the issuing organization's code keys them, terms
are read in one form, CTHĐ is read as an action CTr, and a committee's second number of a term is refused on
its file, row and column."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dangvu.audit.services import Actor
from dangvu.imports.format import ORGS
from dangvu.imports.load import import_path
from dangvu.imports.problems import Refused
from dangvu.work.models import Document, StudySession

pytestmark = pytest.mark.django_db
OFFICER = Actor("can_bo_to_chuc")
DOCS = [
    "Mã tổ chức ban hành",
    "Cơ quan ban hành",
    "Loại văn bản",
    "Số",
    "Nhiệm kỳ",
    "Ngày ban hành",
    "Thực hiện văn bản",
]


def _write(path: Path, docs: list[list[str]], study: list[list[str]] | None = None) -> Path:
    path.mkdir()
    files = {
        "to_chuc.csv": [
            ORGS.headers,
            ["P01", "Đảng bộ tỉnh Hà Nam", "Đảng bộ tỉnh, thành phố", "", "", "01/01/2000"],
            ["H01", "Đảng bộ huyện Kim Bảng", "Đảng bộ quận, huyện, thị xã", "", "P01", "01/01/2000"],
            ["X01", "Đảng bộ xã Thanh Sơn", "Đảng bộ cơ sở", "Xã, phường, thị trấn", "H01", "01/01/2000"],
            ["X02", "Đảng bộ xã An Phú", "Đảng bộ cơ sở", "Xã, phường, thị trấn", "H01", "01/01/2000"],
        ],
        "van_ban.csv": [DOCS, *docs],
    }
    if study:
        files["hoc_tap_nghi_quyet.csv"] = [
            ["Mã tổ chức", "Văn bản", "Ngày", "Số đảng viên phải dự", "Số đảng viên dự"],
            *study,
        ]
    for name, rows in files.items():
        with (path / name).open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(rows)
    return path


def test_two_communes_1_nq_du_of_a_term_both_import_and_are_named_apart(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "a",
        [
            ["X01", "ĐU", "NQ", "1", "2015-2020", "02/03/2016", ""],
            ["X02", "ĐU", "Nghị quyết", "1", "2015 – 2020", "09/03/2016", ""],
            ["H01", "HU", "CTHĐ", "36", "2015—2020", "05/05/2016", "1-NQ/ĐU (2015–2020, X01)"],
        ],
        study=[["X02", "1-NQ/ĐU (2015-2020, X02)", "15/03/2016", "10", "9"]],
    )
    import_path(path, actor=OFFICER)
    docs = sorted(Document.objects.values_list("organization__code", "type", "programme_kind", "number", "term"))
    assert docs == [
        ("H01", "CTr", "action", 36, "2015–2020"),
        ("X01", "NQ", "", 1, "2015–2020"),
        ("X02", "NQ", "", 1, "2015–2020"),
    ]
    assert StudySession.objects.get().document.organization.code == "X02"
    ctr = Document.objects.get(type="CTr")
    assert [d.organization.code for d in ctr.implements.all()] == ["X01"]


def test_a_committees_second_1_nq_du_of_the_term_is_refused_on_its_row(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "b",
        [
            ["X01", "ĐU", "NQ", "1", "2015-2020", "02/03/2016", ""],
            ["X01", "ĐU", "NQ", "1", "2015–2020", "07/08/2017", ""],
            ["", "ĐU", "NQ", "2", "2015–2020", "07/08/2017", ""],
        ],
        study=[["X01", "1-NQ/ĐU (2015–2020)", "15/03/2016", "10", "9"]],
    )
    with pytest.raises(Refused) as e:
        import_path(path, actor=OFFICER)
    assert [str(p) for p in e.value.problems] == [
        "Sheet 'Văn bản', dòng 3, cột 'Nhiệm kỳ': trùng với dòng 2 (văn bản 1-NQ/ĐU (2015–2020) của X01).",
        "Sheet 'Văn bản', dòng 4, cột 'Mã tổ chức ban hành': ghi mã tổ chức ban hành (cấp ủy trong hệ thống); "
        "văn bản của cơ quan ngoài hệ thống thì ghi 'Tên cơ quan ban hành' (ký hiệu ĐU).",
    ]
    assert not Document.objects.exists()
