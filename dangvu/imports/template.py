"""The empty template: headers, one sample row per sheet, the allowed values and a short guide.

The sample rows are valid and consistent with each other (a province with its establishing event, a
person admitted outside the organizations of the file), so the template imports as it is; they are shown
in grey italics and the guide says to delete them before entering real data.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from .format import MEMBER_EVENTS, MEMBERS, ORG_EVENTS, ORGS, SHEETS
from .workbook import write

STAMP = dt.datetime(2026, 1, 1)
D = dt.date

SAMPLE: dict[str, list[dict[str, Any]]] = {
    ORGS.slug: [
        {
            "code": "MAU-TINH",
            "name": "Đảng bộ tỉnh Mẫu",
            "kind": "province",
            "sector": "other",
            "parent": "",
            "valid_from": D(1976, 1, 1),
            "valid_to": None,
            "event": "19760101-TL-MAU-TINH",
        }
    ],
    ORG_EVENTS.slug: [
        {
            "code": "19760101-TL-MAU-TINH",
            "kind": "established",
            "effective_on": D(1976, 1, 1),
            "decision_ref": "01-QĐ/TW",
            "decision_on": D(1975, 12, 20),
            "sources": [],
            "targets": ["MAU-TINH"],
            "note": "Dòng mẫu: xóa trước khi nhập dữ liệu thật.",
        }
    ],
    MEMBERS.slug: [
        {
            "code": "MAU0000001",
            "full_name": "Nguyễn Thị Mẫu",
            "birth_name": "",
            "gender": "female",
            "birth_date": D(1995, 5, 9),
            "birth_place": "xã Quang Trung, tỉnh Mẫu",
            "ethnicity": "Kinh",
            "religion": "",
            "hometown": "xã Quang Trung, tỉnh Mẫu",
            "hometown_old": "",
            "residence": "Thôn 3, xã Quang Trung, tỉnh Mẫu",
            "citizen_id": "001195012345",
            "card_number": "",
            "dossier_number": "000123",
            "phone": "0912345678",
            "general_education": "12/12",
            "professional_education": "Cử nhân Luật",
            "degree": "",
            "political_theory": "elementary",
            "occupation": "Cán bộ, công chức",
            "youth_union_on": D(2010, 3, 26),
            "introducers": "Trần Văn An; Lê Thị Bình",
            "party_age_confirmed_from": None,
        }
    ],
    MEMBER_EVENTS.slug: [
        {
            "member": "MAU0000001",
            "kind": "admission",
            "on": D(2024, 3, 2),
            "organization": "",
            "decision_ref": "125-QĐ/ĐU",
            "decided_on": D(2024, 3, 2),
            "ceremony_on": D(2024, 3, 20),
            "reviewed_on": D(2024, 2, 15),
            "until": None,
            "category": "general",
            "approval_ref": "",
            "counterpart": "",
            "lineage_event": "",
            "note": "Dòng mẫu: xóa trước khi nhập. Mã tổ chức trống: kết nạp ngoài các tổ chức của tệp.",
        }
    ],
}

GUIDE = [
    "Hướng dẫn nhập dữ liệu Đảng vụ (chi tiết: docs/import-format.md)",
    "Dòng 2 của mỗi sheet (chữ nghiêng, màu xám) là dòng MẪU, hợp lệ: hãy XÓA trước khi nhập dữ liệu thật.",
    "Dòng 1 là tiêu đề, không đổi tên cột. Các sheet: " + ", ".join(f"'{s.name}'" for s in SHEETS) + ".",
    "'Tổ chức': mỗi dòng là một phiên bản (tên, cấp, cấp trên) trong khoảng Từ ngày – Đến ngày; "
    "Đến ngày để trống nếu còn hiệu lực. Đổi tên, chuyển giao… mở một phiên bản mới.",
    "'Sự kiện tổ chức': thành lập, đổi tên, chuyển giao, hợp nhất, sáp nhập, chia tách, giải thể, kết thúc hoạt "
    "động; nhiều mã tổ chức cách nhau bằng '; '.",
    "'Đảng viên': mỗi người một dòng, Mã đảng viên không trùng. 'Sự kiện đảng viên': kết nạp, công nhận chính thức, "
    "chuyển sinh hoạt … theo thứ tự thời gian; mọi quy tắc (tuổi, 12 tháng dự bị, …) được kiểm tra.",
    "Ngày: ô ngày tháng, hoặc dd/mm/yyyy, hoặc yyyy-mm-dd.",
    "Mã, số CCCD (12 số), số thẻ đảng viên (8 số), số lý lịch, điện thoại: nhập dạng VĂN BẢN để giữ số 0 ở đầu.",
    "Danh mục: xem sheet 'Danh mục' (ghi nhãn hoặc mã, không phân biệt hoa thường hay dấu).",
    "Tệp được kiểm tra toàn bộ trước khi ghi: có một lỗi thì không ghi gì, danh sách lỗi nêu sheet, dòng, cột.",
]


def write_template(path: str | Path) -> Path:
    return write(SAMPLE, path, stamp=STAMP, guide=GUIDE, sample=True)
