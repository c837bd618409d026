"""Export → import into an empty database → export gives the same bytes, for XLSX and for CSV.

The history is built through the services the application uses: a province, a district, a ward committee
with branches (renamed, two branches merged), an agency branch; members admitted, recognized, transferred,
one moved by the merge, one who died, one who left for another province, and changes after the export date
that the export must leave out.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command

from dangvu.audit.models import AuditEntry
from dangvu.audit.services import Actor
from dangvu.domain.orgtree import OrgKind, Sector
from dangvu.imports.export import export_dataset
from dangvu.imports.format import MEMBER_EVENTS, MEMBERS, ORG_EVENTS, ORGS, SHEETS, WORK_SHEETS
from dangvu.imports.load import Report, import_path
from dangvu.imports.read import Refused
from dangvu.imports.workbook import write
from dangvu.members.models import Member, MemberEvent, MembershipSpan
from dangvu.members.services import (
    Admission,
    member_create,
    member_die,
    member_recognize,
    member_transfer_in,
    member_transfer_out,
)
from dangvu.orgs.models import LineageEvent, LineageLink, OrgAncestry, Organization, OrgVersion
from dangvu.orgs.queries import tree_on
from dangvu.orgs.services import NewOrg, org_establish, org_merge, org_rename
from dangvu.targets.models import Plan, Target
from dangvu.work.models import CadreMove

pytestmark = pytest.mark.django_db
# Deleted children first: the work sheets come in the order they are written (documents, then what names them).
WORK_MODELS = tuple(s.model for s in reversed(WORK_SHEETS) if s.model is not None)
D = dt.date
AS_OF = D(2021, 12, 31)
OFFICER = Actor("can_bo_to_chuc")


FOUNDED = D(1976, 1, 1)


def _org(code: str, name: str, kind: str, parent: Organization | None, on: dt.date = FOUNDED) -> Organization:
    sector = Sector.COMMUNE_WARD if kind == OrgKind.GRASSROOTS_COMMITTEE else Sector.RESIDENTIAL
    return org_establish(code=code, name=name, kind=kind, sector=sector, parent=parent, on=on, actor=OFFICER)


def _admit(code: str, name: str, org: Organization, on: dt.date, **profile: object) -> Member:
    admission = Admission(org=org, decided_on=on, ceremony_on=on + dt.timedelta(days=20))
    return member_create(
        actor=OFFICER,
        code=code,
        full_name=name,
        gender="female",
        birth_date=D(1985, 3, 4),
        admission=admission,
        **profile,
    )


def _recognize(m: Member, ceremony: dt.date) -> None:
    decided = ceremony.replace(year=ceremony.year + 1) + dt.timedelta(days=9)
    member_recognize(member=m, decided_on=decided, actor=OFFICER)


@pytest.fixture
def history() -> dict[str, Organization]:
    p = _org("HNA00", "Đảng bộ tỉnh Hà Nam", OrgKind.PROVINCE, None)
    h = _org("HNAH01", "Đảng bộ huyện Kim Bảng", OrgKind.DISTRICT, p)
    w = _org("HNAC01", "Đảng bộ xã Thanh Sơn", OrgKind.GRASSROOTS_COMMITTEE, h)
    b1 = _org("HNAB01", "Chi bộ Thôn 1", OrgKind.BRANCH, w)
    b2 = _org("HNAB02", "Chi bộ Thôn 2", OrgKind.BRANCH, w)
    b3 = _org("HNAB03", "Chi bộ Thôn 3", OrgKind.BRANCH, w)
    agency = _org("HNAC02", "Chi bộ Phòng Tư pháp", OrgKind.GRASSROOTS_BRANCH, h, on=D(2005, 2, 1))
    org_rename(org=w, name="Đảng bộ thị trấn Thanh Sơn", on=D(2015, 4, 1), actor=OFFICER)

    an = _admit("DV0000001", "Nguyễn Thị An", b1, D(2010, 5, 10), citizen_id="001185000123", card_number="01234567")
    _recognize(an, D(2010, 5, 30))
    member_transfer_in(member=an, to=b2, on=D(2014, 9, 1), actor=OFFICER, decision_ref="12-GCT/ĐU")
    binh = _admit("DV0000002", "Trần Thị Bình", b3, D(2017, 6, 1), phone="0912000111", dossier_number="000042")
    cuc = _admit("DV0000003", "Lê Thị Cúc", agency, D(2012, 3, 1))
    _recognize(cuc, D(2012, 3, 21))
    member_die(member=cuc, on=D(2016, 8, 8), actor=OFFICER)
    dung = _admit("DV0000004", "Phạm Thị Dung", b1, D(2011, 1, 10))
    member_transfer_out(member=dung, on=D(2019, 2, 2), counterpart="Đảng bộ tỉnh Nam Định", actor=OFFICER)

    b4 = org_merge(
        sources=[b2, b3],
        new=NewOrg("HNAB04", "Chi bộ Thôn 2–3", OrgKind.BRANCH, Sector.RESIDENTIAL),
        parent=w,
        on=D(2018, 1, 1),
        actor=OFFICER,
    )  # An and Bình move to the merged branch
    _recognize(binh, D(2017, 6, 21))
    # After the export date: left out of an export as of AS_OF.
    org_rename(org=agency, name="Chi bộ Phòng Tư pháp – Nội vụ", on=D(2023, 1, 1), actor=OFFICER)
    member_transfer_in(member=an, to=b1, on=D(2024, 5, 5), actor=OFFICER)
    _admit("DV0000005", "Võ Thị Em", b1, D(2023, 4, 4))
    return {"province": p, "district": h, "ward": w, "b1": b1, "b4": b4, "agency": agency}


def _wipe() -> None:
    for model in (
        *WORK_MODELS,
        MembershipSpan,
        MemberEvent,
        Member,
        OrgAncestry,
        OrgVersion,
        LineageLink,
        LineageEvent,
        Organization,
        AuditEntry,
    ):
        model.objects.all().delete()


def _import(path: Path) -> Report:
    """import_path, failing with every problem listed should the file be refused."""
    try:
        return import_path(path, actor=OFFICER)
    except Refused as e:
        pytest.fail("\n".join(map(str, e.problems[:30])))


def _round_trip(tmp_path: Path, target: str) -> Report:
    """Export the district as of AS_OF, import it into an emptied database, export again: the same bytes."""
    first, second = tmp_path / "a" / target, tmp_path / "b" / target
    first.parent.mkdir()
    second.parent.mkdir()
    call_command("export", "--root", "HNAH01", "--as-of", "31/12/2021", "--full-identifiers", str(first))
    _wipe()
    report = _import(first)
    call_command("export", "--root", "HNAH01", "--as-of", "2021-12-31", "--full-identifiers", str(second))
    assert _files(second) == _files(first)
    return report


def _files(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.iterdir())}
    return {path.name: path.read_bytes()}


@pytest.mark.parametrize("target", ["export.xlsx", "export_csv"])
def test_export_then_import_into_an_empty_database_exports_the_same_bytes(history, tmp_path, target) -> None:
    first, second = tmp_path / "a" / target, tmp_path / "b" / target
    first.parent.mkdir()
    second.parent.mkdir()
    call_command("export", "--root", "HNAH01", "--as-of", "31/12/2021", "--full-identifiers", str(first))
    tree_before = [n.as_json() for n in tree_on(AS_OF, history["district"])]
    _wipe()

    report = import_path(first, actor=OFFICER)
    assert report.members == 4  # Em was admitted after the export date
    call_command("export", "--root", "HNAH01", "--as-of", "2021-12-31", "--full-identifiers", str(second))

    assert _files(second) == {k: v for k, v in _files(first).items()}
    district = Organization.objects.get(code="HNAH01")
    assert [n.as_json() for n in tree_on(AS_OF, district)] == tree_before


def test_the_export_is_the_record_up_to_the_date_closed_under_references(history) -> None:
    data = export_dataset("HNAH01", AS_OF).dataset
    versions = data[ORGS.slug]
    # The province comes in as the district's parent; the merged-away branches as lineage partners.
    codes = {v["code"] for v in versions}
    assert codes == {"HNA00", "HNAH01", "HNAC01", "HNAC02", "HNAB01", "HNAB02", "HNAB03", "HNAB04"}
    agency = [v for v in versions if v["code"] == "HNAC02"]
    assert [(v["name"], v["valid_to"]) for v in agency] == [("Chi bộ Phòng Tư pháp", None)]  # 2023 rename left out
    ward = [(v["name"], v["valid_from"], v["valid_to"]) for v in versions if v["code"] == "HNAC01"]
    assert ward == [
        ("Đảng bộ xã Thanh Sơn", D(1976, 1, 1), D(2015, 4, 1)),
        ("Đảng bộ thị trấn Thanh Sơn", D(2015, 4, 1), None),
    ]
    merge = next(e for e in data[ORG_EVENTS.slug] if e["kind"] == "merged")
    assert merge["code"] == "20180101-HN-HNAB02"
    assert merge["sources"] == ["HNAB02", "HNAB03"] and merge["targets"] == ["HNAB04"]
    assert [m["code"] for m in data[MEMBERS.slug]] == ["DV0000001", "DV0000002", "DV0000003", "DV0000004"]
    an = [e for e in data[MEMBER_EVENTS.slug] if e["member"] == "DV0000001"]
    assert [e["kind"] for e in an] == ["admission", "recognition", "transfer_in", "transfer_in"]
    assert an[-1]["organization"] == "HNAB04" and an[-1]["lineage_event"] == "20180101-HN-HNAB02"


def test_an_import_is_one_audit_entry_naming_the_file_and_the_counts(history, tmp_path) -> None:
    path = tmp_path / "huyen.xlsx"
    write(export_dataset("HNAH01", AS_OF).dataset, path, stamp=dt.datetime(2021, 12, 31))
    _wipe()
    import_path(path, actor=Actor("nguyen.van.a"))
    entry = AuditEntry.objects.get(action="import")
    assert entry.after is not None
    assert entry.actor_label == "nguyen.van.a" and entry.object_id == "huyen.xlsx"
    assert entry.after["organizations"] == 8 and entry.after["members"] == 4 and entry.after["member_events"] == 12


def test_identifiers_keep_their_leading_zeros_through_a_workbook(history, tmp_path) -> None:
    path = tmp_path / "x.xlsx"
    write(export_dataset("HNAH01", AS_OF).dataset, path, stamp=dt.datetime(2021, 12, 31))
    _wipe()
    import_path(path, actor=OFFICER)
    an = Member.objects.get(code="DV0000001")
    assert (an.citizen_id, an.card_number) == ("001185000123", "01234567")
    binh = Member.objects.get(code="DV0000002")
    assert (binh.phone, binh.dossier_number) == ("0912000111", "000042")


def test_the_workbook_has_date_cells_text_identifiers_and_a_frozen_header(history, tmp_path) -> None:
    import openpyxl

    path = tmp_path / "x.xlsx"
    write(export_dataset("HNAH01", AS_OF).dataset, path, stamp=dt.datetime(2021, 12, 31))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [*(s.name for s in SHEETS), "Danh mục"]
    assert wb.sheetnames[:4] == ["Tổ chức", "Sự kiện tổ chức", "Đảng viên", "Sự kiện đảng viên"]
    ws = wb["Đảng viên"]
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    row = {h: c for h, c in zip(header, ws[2], strict=True)}
    assert row["Ngày sinh"].value == dt.datetime(1985, 3, 4) and row["Ngày sinh"].number_format == "dd/mm/yyyy"
    assert row["Số CCCD"].value == "001185000123" and row["Số CCCD"].number_format == "@"
    assert row["Giới tính"].value == "Nữ"
    assert wb.properties.created == dt.datetime(2021, 12, 31)


def test_an_ended_root_is_refused_with_its_dates_and_successors(history, tmp_path) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"HNAB02' không hoạt động .* đến hết 31/12/2017.*kế tục: HNAB04"):
        call_command("export", "--root", "HNAB02", "--as-of", "2021-12-31", str(tmp_path / "x.xlsx"))


# ---------------------------------------------------------------- work records


@pytest.fixture
def work(history: dict[str, Organization]) -> dict[str, object]:
    """Work records of every kind in the district, through the services; some after the export date."""
    from decimal import Decimal

    from dangvu.targets.programmes import programme_create
    from dangvu.work import services as w

    district, ward, b1, b4 = history["district"], history["ward"], history["b1"], history["b4"]
    an, binh = Member.objects.get(code="DV0000001"), Member.objects.get(code="DV0000002")
    # Hà, admitted in 1985, gets her 30-year badge in 2015.
    ha = member_create(
        actor=OFFICER,
        code="DV0000009",
        full_name="Đỗ Thị Hà",
        gender="female",
        birth_date=D(1960, 1, 1),
        admission=Admission(org=b1, decided_on=D(1985, 1, 10), ceremony_on=D(1985, 1, 30)),
    )
    _recognize(ha, D(1985, 1, 30))
    nq = w.document_register(code="Số 15-NQ/TW, ngày 30/7/2007", term="khóa X", subject="Phương thức", actor=OFFICER)
    ctr = w.document_register(
        code="36-CTr/HU, ngày 5/5/2016", term="2015–2020", organization=district, implements=[nq], actor=OFFICER
    )
    w.document_register(code="40-KH/HU, ngày 1/3/2023", term="2020–2025", organization=district, actor=OFFICER)
    p = programme_create(
        organization=district,
        term="2015–2020",
        first_year=2015,
        last_year=2020,
        title="Nghị quyết Đại hội Đảng bộ huyện",
        items={"programme": ["Chương trình 1", "Chương trình 2"], "breakthrough": ["Cải cách hành chính"]},
        actor=OFFICER,
    )
    p.resolution = ctr
    p.save()
    Target.objects.create(
        programme=p,
        organization=district,
        indicator="review.members_good_or_better",
        value=Decimal("0.95"),
        first_year=2015,
        last_year=2020,
        title="Hằng năm có 95% đảng viên HTT trở lên",
    )
    Plan.objects.create(organization=district, indicator="admissions", year=2021, value=Decimal("12"))
    w.discipline_record(
        member=an, form="warning", decided_on=D(2016, 3, 3), actor=OFFICER, violation="Vi phạm\nquy chế"
    )
    w.discipline_record(member=binh, form="reprimand", decided_on=D(2017, 12, 1), actor=OFFICER)  # probationary
    w.discipline_record(organization=ward, form="reprimand", decided_on=D(2019, 4, 4), actor=OFFICER, self_fixed=True)
    w.candidate_register(
        actor=OFFICER,
        full_name="Võ Thị Em",
        gender="female",
        birth_date=D(1985, 3, 4),
        organization=b1,
        awareness_course_on=D(2021, 6, 1),
        dossier_complete=True,
        branch_vote_on=D(2021, 11, 2),
        stage="admitted",
        member=Member.objects.get(code="DV0000005"),  # admitted in 2023: as of 2021 still voted
    )
    w.candidate_register(
        actor=OFFICER,
        full_name="Lý Văn Phúc",
        gender="male",
        birth_date=D(2001, 2, 2),
        organization=b4,
        awareness_course_on=D(2021, 9, 9),
        category="student",
    )
    w.inspection_record(
        actor=OFFICER,
        kind="violation_inspection",
        organization=ward,
        member=an,
        planned=False,
        started_on=D(2021, 11, 1),
        concluded_on=D(2022, 2, 2),
        violation_found=True,
        conclusion="Có vi phạm",
    )
    w.inspection_record(actor=OFFICER, kind="supervision", organization=b4, started_on=D(2019, 5, 5))
    w.petition_receive(
        actor=OFFICER,
        kind="denunciation",
        organization=ward,
        member=binh,
        received_on=D(2020, 1, 2),
        handled_on=D(2020, 1, 12),
        concluded_on=D(2020, 2, 20),
        outcome="Không có cơ sở",
    )
    w.post_assign(
        actor=OFFICER,
        member=an,
        organization=ward,
        title="deputy_secretary",
        term="2015–2020",
        started_on=D(2015, 6, 1),
        ended_on=D(2020, 6, 1),
    )
    w.succession_plan_add(
        actor=OFFICER, member=binh, organization=ward, title="secretary", term="2020–2025", approved_on=D(2019, 9, 9)
    )
    w.cadre_move_record(
        actor=OFFICER,
        kind="rotation",
        member=an,
        person_name="Nguyễn Thị An",
        organization=history["agency"],
        on=D(2020, 7, 1),
        position="Trưởng phòng",
        decision_ref="120-QĐ/HU",
    )
    w.training_class_record(
        actor=OFFICER,
        kind="elementary",
        organization=district,
        title="Sơ cấp lý luận chính trị khóa 3",
        started_on=D(2018, 3, 1),
        ended_on=D(2018, 6, 1),
        attendees=[an, binh],
    )
    w.study_session_record(
        actor=OFFICER,
        organization=ward,
        document=ctr,
        held_on=D(2016, 6, 6),
        expected=40,
        participants=38,
        attendees=[an, binh],
    )
    w.commendation_grant(
        actor=OFFICER,
        organization=ward,
        title="Trong sạch vững mạnh tiêu biểu",
        kind="certificate",
        granted_by="Ban Thường vụ Huyện ủy",
        year=2020,
        decided_on=D(2021, 1, 12),
    )
    w.commendation_grant(
        actor=OFFICER,
        member=an,
        title="Hoàn thành xuất sắc nhiệm vụ 5 năm liền",
        kind="merit_certificate",
        granted_by="Tỉnh ủy",
        year=2020,
        decided_on=D(2021, 2, 1),
        decision_ref="15-QĐ/TU",
    )
    w.badge_award(member=ha, milestone=30, awarded_on=D(2015, 2, 3), actor=OFFICER, decision_ref="1502-QĐ/TU")
    w.free_indicator_set(
        actor=OFFICER,
        organization=district,
        code="turnout",
        name="Tỷ lệ cử tri đi bầu",
        unit="%",
        period_start=D(2021, 5, 23),
        period_end=D(2021, 5, 23),
        value=Decimal("99.35"),
    )
    return {"nq": nq, "ctr": ctr}


@pytest.mark.parametrize("target", ["export.xlsx", "export_csv"])
def test_work_records_make_the_same_round_trip(work, tmp_path, target) -> None:
    report = _round_trip(tmp_path, target)
    assert report.work == {
        "van_ban": 2,
        "chuong_trinh_toan_khoa": 1,
        "noi_dung_chuong_trinh": 3,
        "chi_tieu_nhiem_ky": 1,
        "ke_hoach_nam": 1,
        "quan_chung_uu_tu": 2,
        "ky_luat": 3,
        "kiem_tra_giam_sat": 2,
        "don_thu": 1,
        "chuc_vu": 1,
        "quy_hoach_can_bo": 1,
        "dieu_dong_bo_nhiem": 1,
        "lop_boi_duong": 1,
        "hoc_tap_nghi_quyet": 1,
        "khen_thuong": 2,
        "huy_hieu_dang": 1,
        "chi_so_nhap_tay": 1,
    }


def test_the_work_export_is_the_record_as_of_the_date(work) -> None:
    from dangvu.imports.format import CANDIDATES, DOCUMENTS, INSPECTIONS, STUDY, TRAINING

    data = export_dataset("HNAH01", AS_OF).dataset
    # The 2023 plan is left out; the central resolution comes in because the programme of action implements it.
    docs = [(d["issuer"], d["type"], d["number"], d["term"], d["implements"]) for d in data[DOCUMENTS.slug]]
    assert docs == [("HU", "CTr", 36, "2015–2020", ["15-NQ/TW (khóa X)"]), ("TW", "NQ", 15, "khóa X", [])]
    # Concluded in 2022: as of 2021 the inspection is still open.
    open_case = next(r for r in data[INSPECTIONS.slug] if r["kind"] == "violation_inspection")
    assert (open_case["concluded_on"], open_case["conclusion"], open_case["violation_found"]) == (None, "", False)
    # Em was admitted in 2023: as of 2021 she is a voted candidate, and no member of the file.
    em = next(r for r in data[CANDIDATES.slug] if r["full_name"] == "Võ Thị Em")
    assert (em["stage"], em["member"]) == ("voted", "")
    assert "DV0000005" not in {m["code"] for m in data[MEMBERS.slug]}
    # Hà joins the export through her badge's branch; the class names its attendees.
    assert "DV0000009" in {m["code"] for m in data[MEMBERS.slug]}
    assert data[TRAINING.slug][0]["attendees"] == ["DV0000001", "DV0000002"]
    assert data[STUDY.slug][0]["attendees"] == ["DV0000001", "DV0000002"]  # the study session's too


def test_the_demo_generators_work_records_make_the_round_trip(history, tmp_path) -> None:
    from dangvu.synth.work_demo import generate_work

    counts = generate_work(7, history["district"], AS_OF, terms=((2015, 2020), (2020, 2025)))
    assert counts["cadremove"] > 1000 and counts["document"] > 50
    moves = CadreMove.objects.count()
    report = _round_trip(tmp_path, "demo.xlsx")
    assert report.work["dieu_dong_bo_nhiem"] == moves > 1000
