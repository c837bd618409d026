"""The audit log reads as Vietnamese sentences naming the objects (issue 11, item 5): one renderer for every action
the services write, names resolved for a whole page at once."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.audit.models import AuditEntry
from dangvu.audit.sentences import ACTION_LABELS, PHRASES, action_label, render, sentence
from dangvu.audit.services import Actor
from dangvu.domain.membership import EventKind
from dangvu.domain.orgtree import LineageKind

D = dt.date
SOURCE = Path(__file__).resolve().parents[2] / "dangvu"
# What must never reach a person: internal identifiers, Python values, a model's label, a bare '#35'.
INTERNAL = re.compile(r"\b[a-z]+_[a-z_]+\b|\bNone\b|\bTrue\b|\bFalse\b|\b[a-z]+\.[a-z]+\b|#\d")


def _written_actions() -> set[str]:
    """Every action name a service passes to audit() or records_load(), read from the source."""
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for name in re.findall(r'action(?:=|: str = )"([a-z_]+)"', text):
            if name not in ("store_true", "append", "store"):
                found.add(name)
    # f-strings: org_{kind} (_combine, org_dissolve/org_end), member_{kind} (members' events)
    found |= {f"org_{k}" for k in (LineageKind.MERGED, LineageKind.ABSORBED, LineageKind.DISSOLVED, LineageKind.ENDED)}
    found |= {f"member_{k.value}" for k in EventKind}
    return found


def test_every_action_a_service_writes_has_a_sentence_and_a_vietnamese_name() -> None:
    written = _written_actions()
    assert {"member_create", "discipline_record", "cycle_open", "grant_role", "report_generate"} <= written
    missing = sorted(a for a in written if a not in PHRASES)
    assert not missing, f"actions without a sentence: {missing}"
    assert all(a in ACTION_LABELS for a in written)
    assert action_label("import_ky-luat") == "Nhập dữ liệu từ tệp"


@pytest.fixture
def staff(district: Any, django_user_model: Any) -> Any:
    from dangvu.accounts.models import Role
    from dangvu.accounts.services import grant_role

    user = django_user_model.objects.create_user("canbo", password="x")
    setup = Actor("thiết lập")
    grant_role(user=user, role=Role.STAFF, organization=district.district, valid_from=D(2020, 1, 1), actor=setup)
    return user


def _last(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).order_by("-id").first()  # type: ignore[return-value]


def test_a_discipline_reads_with_the_actors_role_the_form_the_member_and_the_day(
    district: Any, make_member: Any, staff: Any
) -> None:
    from dangvu.work.services import discipline_record

    an = make_member(district.b1, D(2010, 3, 1), name="Nguyễn Văn An")
    discipline_record(form="reprimand", decided_on=D(2024, 5, 5), member=an, actor=Actor.of(staff))
    assert sentence(_last("discipline_record")) == (
        f"Cán bộ ban tổ chức canbo ghi kỷ luật khiển trách đảng viên Nguyễn Văn An ({an.code}) ngày 5/5/2024."
    )


def test_opening_a_review_names_the_year_and_the_committee(district: Any, staff: Any) -> None:
    from dangvu.assessment.services import cycle_open

    cycle = cycle_open(committee=district.ward, year=2025, actor=Actor.of(staff))
    line = render([_last("cycle_open")])[0]
    assert line.sentence == "Cán bộ ban tổ chức canbo mở đợt đánh giá năm 2025 của Đảng bộ xã Thanh Sơn (W)."
    assert (
        line.action == "Mở đợt đánh giá" and "assessment" not in line.sentence and f"#{cycle.pk}" not in line.sentence
    )


def test_a_single_decision_names_the_member_and_the_level(district: Any, make_member: Any, staff: Any) -> None:
    from dangvu.assessment.services import cycle_open, result_decide

    an = make_member(district.b1, D(2010, 3, 1), name="Nguyễn Văn An")
    cycle = cycle_open(committee=district.district, year=2024, actor=Actor.of(staff))
    result_decide(cycle=cycle, actor=Actor.of(staff), level="good", member_id=an.pk)
    assert sentence(_last("result_decide")) == (
        f"Cán bộ ban tổ chức canbo quyết định xếp loại đảng viên Nguyễn Văn An ({an.code}) mức “Hoàn thành tốt "
        "nhiệm vụ” trong đợt đánh giá năm 2024 của Đảng bộ huyện Kim Bảng (H)."
    )


def test_the_lifecycle_and_the_tree_read_as_sentences(district: Any, make_member: Any, actor: Actor) -> None:
    from dangvu.members.services import member_recognize
    from dangvu.orgs.services import org_absorb, org_rename

    an = make_member(district.b1, D(2010, 3, 1), name="Nguyễn Văn An")
    member_recognize(member=an, decided_on=D(2011, 4, 1), actor=actor)
    org_rename(org=district.b2, name="Chi bộ Thôn Hai", on=D(2015, 4, 1), actor=actor)
    org_absorb(source=district.b2, into=district.b1, on=D(2025, 7, 1), actor=actor)
    admitted, created = sentence(_last("member_admission")), sentence(_last("member_create"))
    assert admitted.endswith(f" kết nạp đảng viên Nguyễn Văn An ({an.code}) vào Chi bộ Thôn 1 (B1) ngày 1/3/2010.")
    assert created.endswith(f" tạo hồ sơ đảng viên Nguyễn Văn An ({an.code}).")
    assert sentence(_last("member_recognition")).endswith(
        f"công nhận đảng viên Nguyễn Văn An ({an.code}) là đảng viên chính thức ngày 21/3/2011."  # 12 months on
    )
    assert sentence(_last("org_rename")).endswith("đổi tên Chi bộ Thôn 2 thành Chi bộ Thôn Hai từ ngày 1/4/2015.")
    assert sentence(_last("org_absorbed")).endswith(
        "sáp nhập Chi bộ Thôn Hai vào Chi bộ Thôn 1 (B1) từ ngày 1/7/2025."
    )


def test_grants_and_accounts_name_the_login_the_role_and_the_unit(district: Any, staff: Any) -> None:
    assert sentence(_last("grant_role")) == (
        "Thiết lập cấp vai trò Cán bộ ban tổ chức trên Đảng bộ huyện Kim Bảng (H) cho tài khoản canbo "
        "từ ngày 1/1/2020."
    )


def test_no_sentence_shows_an_internal_name_or_a_python_value(
    district: Any, make_member: Any, staff: Any, actor: Actor
) -> None:
    from dangvu.assessment.services import cycle_open, result_decide
    from dangvu.work.services import commendation_grant, discipline_record, document_register

    binh = make_member(district.b1, D(2011, 3, 1), name="Trần Thị Bình")
    who = Actor.of(staff)
    discipline_record(form="warning", decided_on=D(2023, 5, 5), organization=district.b2, actor=who)
    commendation_grant(member=binh, title="Đảng viên tiêu biểu", granted_by="Huyện ủy", year=2023,
                       decided_on=D(2023, 12, 1), actor=who)  # fmt: skip
    document_register(code="Số 36-CTr/TU, ngày 5/5/2008", term="2005–2010", subject="Phát triển đảng viên", actor=who)
    cycle = cycle_open(committee=district.district, year=2023, actor=who)
    result_decide(cycle=cycle, actor=who, level="good", member_id=binh.pk)
    lines = render(list(AuditEntry.objects.all()))
    assert len(lines) >= 12
    for line in lines:
        body = line.sentence.removeprefix("Can_bo_to_chuc ").removeprefix("Cán bộ ban tổ chức canbo ")
        assert not INTERNAL.search(body), line.sentence
        assert re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4} \d\d:\d\d", line.at)
    text = "\n".join(line.sentence for line in lines)
    assert "ghi kỷ luật cảnh cáo Chi bộ Thôn 2 (B2) ngày 5/5/2023" in text
    assert (
        "ghi bằng khen" not in text
        and "ghi giấy khen “Đảng viên tiêu biểu” năm 2023 cho đảng viên Trần Thị Bình" in text
    )
    assert "đăng ký văn bản số 36-CTr/TU nhiệm kỳ 2005–2010 ngày 5/5/2008 “Phát triển đảng viên”" in text
    assert "mở đợt đánh giá năm 2023 của Đảng bộ huyện Kim Bảng (H)" in text


def test_a_page_of_entries_costs_the_same_queries_as_a_few(district: Any, make_member: Any, staff: Any) -> None:
    from dangvu.work.services import discipline_record

    members = [make_member(district.b1, D(2010, 3, 1), name=f"Đảng Viên {i}") for i in range(12)]
    for m in members:
        discipline_record(form="reprimand", decided_on=D(2024, 5, 5), member=m, actor=Actor.of(staff))
    entries = list(AuditEntry.objects.filter(action="discipline_record").order_by("-id"))
    with CaptureQueriesContext(connection) as few:
        render(entries[:3])
    with CaptureQueriesContext(connection) as many:
        lines = render(entries)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert sum("ghi kỷ luật khiển trách" in line.sentence for line in lines) == 12


def test_an_object_deleted_since_is_named_by_its_kind(db: None) -> None:
    from django.db import transaction

    from dangvu.audit.services import audit

    with transaction.atomic():
        e = audit(actor=Actor("hệ thống"), action="member_create", object_type="members.member", object_id=999999)
    assert sentence(e) == "Hệ thống tạo hồ sơ đảng viên đã xóa."


def test_a_profile_correction_names_the_fields_changed_and_an_ended_grant_its_last_day(
    district: Any, make_member: Any, staff: Any
) -> None:
    from dangvu.accounts.models import Grant
    from dangvu.accounts.services import grant_end
    from dangvu.members.services import member_update

    an = make_member(district.b1, D(2010, 3, 1), name="Nguyễn Văn An")
    member_update(member=an, actor=Actor.of(staff), phone="0912345678", hometown="Kim Bảng, Hà Nam")
    line = render([_last("member_update")])[0]
    assert line.action == "Sửa hồ sơ đảng viên"
    assert line.sentence.startswith(f"Cán bộ ban tổ chức canbo sửa hồ sơ đảng viên Nguyễn Văn An ({an.code}) (")
    assert "điện thoại" in line.sentence and "quê quán" in line.sentence
    grant_end(grant=Grant.objects.get(user=staff), on=D(2025, 7, 1), actor=Actor.of(staff), reason="Sắp xếp bộ máy")
    line = render([_last("grant_end")])[0]
    assert line.sentence.endswith(
        "kết thúc vai trò Cán bộ ban tổ chức trên Đảng bộ huyện Kim Bảng (H) của tài khoản canbo từ ngày 1/7/2025."
    )
    assert line.reason == "Sắp xếp bộ máy"
