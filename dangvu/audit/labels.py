"""Vietnamese names of the audit log's actions and objects, and the date format of its sentences."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dangvu.domain.assessment.levels import NEW_LABELS, OLD_ORG_LABELS
from dangvu.domain.membership import EVENT_LABELS, EventKind
from dangvu.domain.orgtree import LINEAGE_LABELS
from dangvu.domain.vietnamese import fmt_date

# ---------------------------------------------------------------- names of actions and objects

MEMBER_EVENT_ACTIONS = {
    f"member_{k.value}": f"Ghi sự kiện: {EVENT_LABELS[k][:1].lower()}{EVENT_LABELS[k][1:]}" for k in EventKind
}
ORG_LINEAGE_ACTIONS = {f"org_{k}": f"{label} tổ chức" for k, label in LINEAGE_LABELS.items()}

ACTION_LABELS: dict[str, str] = {
    "member_create": "Tạo hồ sơ đảng viên",
    "member_update": "Sửa hồ sơ đảng viên",
    **MEMBER_EVENT_ACTIONS,
    "member_reveal": "Xem số định danh",
    "member_identifier_search": "Tìm theo số định danh",
    "member_export": "Xuất danh sách đảng viên",
    "identifier_conflict": "Số định danh trùng hồ sơ ngoài phạm vi",
    "identifier_limit": "Vượt giới hạn kiểm tra số định danh",
    "records_export": "Xuất danh sách công tác đảng",
    "tables_export": "Xuất biểu thống kê cơ bản",
    "import_mapping_remember": "Ghi nhớ cách đọc danh sách của đơn vị",
    "import_mapping_export": "Xuất danh sách theo mẫu của đơn vị",
    "jobs_prune": "Dọn việc chạy nền và tệp hết hạn",
    "year_facts_record": "Ghi số liệu năm của đảng viên",
    "org_year_facts_record": "Ghi số liệu năm của tổ chức",
    "members_load": "Nạp hồ sơ đảng viên hàng loạt",
    "org_establish": "Thành lập tổ chức",
    "org_rename": "Đổi tên tổ chức",
    "org_reclassify": "Đổi loại hình tổ chức",
    "org_move": "Chuyển giao tổ chức",
    **{k: v for k, v in ORG_LINEAGE_ACTIONS.items() if k not in ("org_established", "org_renamed", "org_moved")},
    "cycle_open": "Mở đợt đánh giá",
    "rating_record": "Ghi ý kiến đánh giá",
    "result_decide": "Quyết định xếp loại",
    "result_set_exemplary": "Đánh dấu tiêu biểu",
    "cycle_propose": "Lập đề xuất xếp loại",
    "cycle_close": "Kết thúc đợt đánh giá",
    "cycle_reopen": "Mở lại đợt đánh giá",
    "ratings_import": "Nhập kết quả đánh giá",
    "programme_create": "Ghi chương trình toàn khóa",
    "target_set": "Ghi chỉ tiêu nghị quyết",
    "plan_set": "Ghi kế hoạch năm",
    "term_dates_set": "Ghi ngày đại hội",
    "discipline_record": "Ghi kỷ luật",
    "candidate_register": "Ghi quần chúng cảm tình đảng",
    "candidate_vote": "Ghi chi bộ xét kết nạp",
    "candidate_admit": "Kết nạp quần chúng",
    "inspection_record": "Ghi kiểm tra, giám sát",
    "petition_receive": "Tiếp nhận đơn thư",
    "petition_conclude": "Kết luận đơn thư",
    "post_assign": "Ghi chức danh",
    "succession_plan_add": "Ghi quy hoạch",
    "cadre_move_record": "Ghi điều động, bổ nhiệm",
    "training_class_record": "Ghi lớp bồi dưỡng",
    "study_session_record": "Ghi học tập nghị quyết",
    "document_register": "Đăng ký văn bản",
    "commendation_grant": "Ghi khen thưởng",
    "badge_award": "Trao Huy hiệu Đảng",
    "free_indicator_set": "Ghi chỉ tiêu",
    "records_load": "Nạp hồ sơ công tác hàng loạt",
    "import": "Nhập dữ liệu từ tệp",
    "report_generate": "Lập báo cáo",
    "report_issue": "Ban hành báo cáo",
    "backup_create": "Sao lưu dữ liệu",
    "backup_restore": "Khôi phục dữ liệu",
    "grant_role": "Phân quyền",
    "grant_end": "Kết thúc phân quyền",
    "account_link_member": "Gắn tài khoản với đảng viên",
    "user_create": "Tạo tài khoản",
    "totp_enable": "Bật xác thực hai bước",
    "totp_create": "Tạo khóa xác thực hai bước",
    "admin_add": "Thêm trong trang quản trị",
    "admin_change": "Sửa trong trang quản trị",
    "admin_delete": "Xóa trong trang quản trị",
    "dataset_export": "Xuất dữ liệu theo định dạng trao đổi",
    "synth_national": "Sinh dữ liệu mẫu toàn quốc",
}

# What one row of each table is called, for bulk loads and for an object whose row is gone.
NOUNS: dict[str, str] = {
    "members.member": "hồ sơ đảng viên",
    "orgs.organization": "tổ chức đảng",
    "orgs.lineageevent": "sự kiện sắp xếp tổ chức",
    "assessment.assessmentcycle": "đợt đánh giá",
    "assessment.rating": "ý kiến đánh giá",
    "assessment.result": "kết quả xếp loại",
    "accounts.grant": "phân quyền",
    "accounts.account": "tài khoản",
    "auth.user": "tài khoản",
    "targets.termprogramme": "chương trình toàn khóa",
    "reports.reportnumber": "báo cáo",
    "reports.reportdocument": "báo cáo",
    "work.discipline": "quyết định kỷ luật",
    "work.candidate": "hồ sơ quần chúng cảm tình đảng",
    "work.inspection": "cuộc kiểm tra, giám sát",
    "work.petition": "đơn thư",
    "work.post": "chức danh",
    "work.successionplan": "quy hoạch cán bộ",
    "work.cademove": "điều động, bổ nhiệm cán bộ",
    "work.cadremove": "điều động, bổ nhiệm cán bộ",
    "work.trainingclass": "lớp bồi dưỡng",
    "work.document": "văn bản",
    "work.studysession": "buổi học tập, quán triệt",
    "work.commendation": "khen thưởng",
    "work.badgeaward": "trao Huy hiệu Đảng",
    "work.freeindicator": "chỉ tiêu",
    "file": "tệp",
}

REPORT_KINDS = {
    "annual": "báo cáo tổng kết công tác xây dựng Đảng năm",
    "review": "báo cáo kết quả đánh giá, xếp loại",
    "interim": "báo cáo sơ kết",
    "term": "báo cáo tổng kết nhiệm kỳ",
    "thematic": "báo cáo chuyên đề",
    "list": "danh sách",
}
REVEAL_FIELDS = {"citizen_id": "số căn cước công dân", "card_number": "số thẻ đảng viên"}
# import's counts (dangvu/imports/load.py Report.counts): what each is called
IMPORT_COUNTS = {
    "organizations": "tổ chức",
    "versions": "phiên bản tổ chức",
    "lineage_events": "sự kiện sắp xếp",
    "members": "đảng viên",
    "member_events": "sự kiện của đảng viên",
}
LEVELS = {**OLD_ORG_LABELS, **NEW_LABELS}


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    if action.startswith("import_"):
        return "Nhập dữ liệu từ tệp"
    return "Thay đổi khác"


def choice_label(model: Any, name: str, value: Any) -> str:
    """The Vietnamese label of a choice field's value (lower case, for the middle of a sentence)."""
    label = dict(model._meta.get_field(name).flatchoices).get(value, value or "")
    return str(label)[:1].lower() + str(label)[1:] if label else ""


def dmy(d: dt.date) -> str:
    """The day as the reports print it ("5/5/2008"; forms accept it, and dd/mm/yyyy, as typed)."""
    return fmt_date(d)


def date_text(value: Any) -> str:
    if isinstance(value, dt.date):
        return dmy(value)
    try:
        return dmy(dt.date.fromisoformat(str(value)[:10]))
    except ValueError:
        return ""
