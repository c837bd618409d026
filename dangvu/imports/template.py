"""The empty template: headers, one sample row per sheet, the allowed values and a short guide.

The sample rows are valid and consistent with each other (a province with its establishing event, a
person admitted outside the organizations of the file), so the template imports as it is; they are shown
in grey italics and the guide says to delete them before entering real data.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from .format import (
    BADGES,
    CADRE_MOVES,
    CANDIDATES,
    COMMENDATIONS,
    DISCIPLINES,
    DOCUMENTS,
    FREE_INDICATORS,
    INSPECTIONS,
    MEMBER_EVENTS,
    MEMBERS,
    ORG_EVENTS,
    ORGS,
    PETITIONS,
    PLANS,
    POSTS,
    PROGRAMME_ITEMS,
    PROGRAMMES,
    SHEETS,
    STUDY,
    SUCCESSION,
    TARGETS,
    TRAINING,
    WORK_SHEETS,
)
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
        },
        {
            "code": "MAU-CB",
            "name": "Chi bộ Văn phòng Tỉnh ủy Mẫu",
            "kind": "grassroots_branch",
            "sector": "agency",
            "parent": "MAU-TINH",
            "valid_from": D(1976, 1, 1),
            "valid_to": None,
            "event": "",
        },
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
        },
        {
            "code": "MAU0000002",
            "full_name": "Trần Văn Mẫu",
            "gender": "male",
            "birth_date": D(1950, 1, 1),
            "ethnicity": "Kinh",
        },
    ],
    MEMBER_EVENTS.slug: [
        {
            "member": "MAU0000001",
            "kind": "admission",
            "on": D(2024, 3, 2),
            "organization": "MAU-CB",
            "decision_ref": "125-QĐ/ĐU",
            "decided_on": D(2024, 3, 2),
            "ceremony_on": D(2024, 3, 20),
            "reviewed_on": D(2024, 2, 15),
            "until": None,
            "category": "general",
            "approval_ref": "",
            "counterpart": "",
            "lineage_event": "",
            "note": "Dòng mẫu: xóa trước khi nhập.",
        },
        {
            "member": "MAU0000002",
            "kind": "admission",
            "on": D(1975, 5, 19),
            "decided_on": D(1975, 5, 19),
            "ceremony_on": D(1975, 6, 1),
            "category": "general",
            "note": "Mã tổ chức trống: kết nạp ngoài các tổ chức của tệp; dòng sau đưa đảng viên vào một chi bộ.",
        },
        {
            "member": "MAU0000002",
            "kind": "transfer_in",
            "on": D(1976, 1, 1),
            "organization": "MAU-CB",
            "counterpart": "Chi bộ cơ quan khu ủy (ngoài hệ thống)",
        },
    ],
    # Work records: each names the sample organizations and members above.
    DOCUMENTS.slug: [
        {
            "issuer": "TU",
            "type": "CTr",
            "number": 36,
            "term": "2020–2025",
            "issued_on": D(2021, 5, 5),
            "organization": "MAU-TINH",
            "subject": "Chương trình hành động thực hiện Nghị quyết số 4-NQ/TW",
            "implements": ["4-NQ/TW (khóa XII)"],
        },
        {
            "issuer": "TW",
            "type": "NQ",
            "number": 4,
            "term": "khóa XII",
            "issued_on": D(2016, 10, 30),
            "subject": "Tăng cường xây dựng, chỉnh đốn Đảng",
            "implements": [],
        },
    ],
    PROGRAMMES.slug: [
        {
            "organization": "MAU-TINH",
            "term": "2020–2025",
            "first_year": 2020,
            "last_year": 2025,
            "title": "Nghị quyết Đại hội Đảng bộ tỉnh Mẫu lần thứ XX",
        }
    ],
    PROGRAMME_ITEMS.slug: [
        {
            "organization": "MAU-TINH",
            "programme": "2020–2025",
            "kind": "key_task",
            "order": 1,
            "title": "Nâng cao chất lượng tổ chức cơ sở đảng và đảng viên",
        }
    ],
    TARGETS.slug: [
        {
            "organization": "MAU-TINH",
            "programme": "2020–2025",
            "indicator": "review.members_good_or_better",
            "op": ">=",
            "value": Decimal("0.95"),
            "per": "year",
            "first_year": 2020,
            "last_year": 2025,
            "title": "Hằng năm có trên 95% đảng viên hoàn thành tốt nhiệm vụ trở lên",
        }
    ],
    PLANS.slug: [
        {
            "organization": "MAU-TINH",
            "indicator": "admissions",
            "year": 2025,
            "value": Decimal(180),
            "wording": "kế hoạch",
        }
    ],
    CANDIDATES.slug: [
        {
            "full_name": "Lê Văn Sáng",
            "gender": "male",
            "birth_date": D(2003, 4, 4),
            "organization": "MAU-CB",
            "category": "student",
            "awareness_course_on": D(2024, 9, 10),
            "introducers": "Nguyễn Thị Mẫu",
            "dossier_complete": True,
            "branch_vote_on": D(2025, 3, 3),
            "stage": "voted",
        }
    ],
    DISCIPLINES.slug: [
        {
            "organization": "MAU-CB",
            "form": "reprimand",
            "decided_on": D(2025, 2, 2),
            "deciding_body": "Ban Thường vụ Tỉnh ủy",
            "decision_ref": "12-QĐ/TU",
            "violation": "Dòng mẫu: kỷ luật một tổ chức (ghi Mã đảng viên thay cho một đảng viên).",
            "self_fixed": False,
        }
    ],
    INSPECTIONS.slug: [
        {
            "kind": "supervision",
            "organization": "MAU-CB",
            "planned": True,
            "started_on": D(2025, 3, 1),
            "concluded_on": D(2025, 4, 15),
            "violation_found": False,
            "conclusion": "Thực hiện tốt quy chế làm việc",
        }
    ],
    PETITIONS.slug: [
        {
            "kind": "complaint",
            "organization": "MAU-CB",
            "received_on": D(2025, 1, 6),
            "handled_on": D(2025, 1, 10),
            "concluded_on": D(2025, 2, 20),
            "outcome": "Đã giải quyết",
        }
    ],
    POSTS.slug: [
        {
            "member": "MAU0000001",
            "organization": "MAU-CB",
            "title": "committee_member",
            "term": "2025–2030",
            "started_on": D(2025, 6, 1),
        }
    ],
    SUCCESSION.slug: [
        {
            "member": "MAU0000001",
            "organization": "MAU-CB",
            "title": "deputy_secretary",
            "term": "2025–2030",
            "approved_on": D(2025, 5, 5),
        }
    ],
    CADRE_MOVES.slug: [
        {
            "kind": "appointment",
            "person_name": "Nguyễn Thị Mẫu",
            "member": "MAU0000001",
            "organization": "MAU-CB",
            "on": D(2025, 4, 1),
            "position": "Phó Chánh Văn phòng",
            "decision_ref": "85-QĐ/TU",
        }
    ],
    TRAINING.slug: [
        {
            "kind": "new_member",
            "organization": "MAU-TINH",
            "title": "Bồi dưỡng đảng viên mới khóa 1/2024",
            "started_on": D(2024, 4, 10),
            "ended_on": D(2024, 4, 20),
            "attendances": 60,
            "attendees": ["MAU0000001"],
        }
    ],
    STUDY.slug: [
        {
            "organization": "MAU-CB",
            "document": "36-CTr/TU (2020–2025)",
            "held_on": D(2021, 6, 10),
            "expected": 25,
            "participants": 24,
            "attendees": ["MAU0000001"],
        }
    ],
    COMMENDATIONS.slug: [
        {
            "organization": "MAU-CB",
            "title": "Trong sạch vững mạnh tiêu biểu",
            "kind": "certificate",
            "granted_by": "Ban Thường vụ Tỉnh ủy",
            "year": 2024,
            "decided_on": D(2025, 1, 12),
            "decision_ref": "20-QĐ/TU",
        }
    ],
    BADGES.slug: [
        {
            "member": "MAU0000002",
            "milestone": 50,
            "awarded_on": D(2025, 5, 19),
            "decision_ref": "150-QĐ/TU",
            "posthumous": False,
        }
    ],
    FREE_INDICATORS.slug: [
        {
            "organization": "MAU-TINH",
            "code": "turnout",
            "name": "Tỷ lệ cử tri đi bầu",
            "unit": "%",
            "period_start": D(2021, 5, 23),
            "period_end": D(2021, 5, 23),
            "value": Decimal("99.6"),
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
    "Công tác đảng: " + ", ".join(f"'{s.name}'" for s in WORK_SHEETS) + ". Đảng viên, tổ chức ghi bằng mã; văn bản "
    "ghi dạng '36-CTr/TU (2020–2025)' (số-loại/cơ quan ban hành (nhiệm kỳ)); chương trình ghi bằng mã tổ chức + "
    "nhiệm kỳ. Mọi quy tắc (hình thức kỷ luật theo đảng viên dự bị/chính thức, mốc Huy hiệu Đảng …) được kiểm tra.",
    "Ngày: ô ngày tháng, hoặc dd/mm/yyyy, hoặc yyyy-mm-dd. Có/Không: ghi 'Có' hoặc 'Không' (để trống: giá trị "
    "mặc định). Số thập phân: dấu ',' hoặc '.', không ghi dấu nghìn.",
    "Mã, số CCCD (12 số), số thẻ đảng viên (8 số), số lý lịch, điện thoại: nhập dạng VĂN BẢN để giữ số 0 ở đầu.",
    "Danh mục: xem sheet 'Danh mục' (ghi nhãn hoặc mã, không phân biệt hoa thường hay dấu).",
    "Tệp được kiểm tra toàn bộ trước khi ghi: có một lỗi thì không ghi gì, danh sách lỗi nêu sheet, dòng, cột.",
]


def write_template(path: str | Path) -> Path:
    return write(SAMPLE, path, stamp=STAMP, guide=GUIDE, sample=True)
