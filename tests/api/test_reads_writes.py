"""What the API answers, on the cast's hand-made records (tests/web/conftest.py): masked identifiers and the audited
reveal, the tree's counts, lifecycle events and work records through the web's services (one audit entry each),
Vietnamese errors naming their field, report jobs that belong to whoever started them."""

from __future__ import annotations

from typing import Any

import pytest

from dangvu.audit.models import AuditEntry
from dangvu.members.models import MemberEvent
from dangvu.work.models import Discipline

pytestmark = pytest.mark.django_db


def test_the_member_list_masks_identifiers_and_sorts_by_given_name(cast: Any, api: Any) -> None:
    r = api("canbo", "GET", "/members")
    assert r.status_code == 200
    items = r.json()["items"]
    assert [i["full_name"] for i in items] == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Chi", "Phạm Văn Dũng"]
    an = items[0]
    assert an["citizen_id"] == "•••••••••234" and an["card_number"] == "•••••678" and an["unit"] == "B1"
    assert "001080001234" not in r.content.decode()
    assert not AuditEntry.objects.filter(action="member_reveal").exists()


def test_a_page_of_the_list_goes_on_after_its_last_member(cast: Any, api: Any) -> None:
    first = api("canbo", "GET", "/members", size=3).json()
    assert len(first["items"]) == 3 and first["next"] == cast.chi.code
    rest = api("canbo", "GET", "/members", size=3, after=first["next"]).json()
    assert [i["full_name"] for i in rest["items"]] == ["Phạm Văn Dũng"] and rest["next"] is None


def test_a_reveal_shows_the_number_and_is_audited_with_the_token(cast: Any, api: Any) -> None:
    r = api("bithuchibo", "POST", f"/members/{cast.an.code}/reveal", {"field": "citizen_id"})
    assert r.status_code == 200 and r.json() == {"field": "citizen_id", "value": "001080001234"}
    entry = AuditEntry.objects.get(action="member_reveal")
    assert entry.object_id == str(cast.an.pk) and entry.actor_id == cast.users["bithuchibo"].pk
    assert entry.actor_label == "bithuchibo (khóa API «kiểm thử bithuchibo»)"
    assert api("dangvien", "POST", f"/members/{cast.an.code}/reveal", {"field": "card_number"}).json()["value"] == (
        "12345678"
    )


def test_a_bad_field_is_refused_in_vietnamese_naming_it(cast: Any, api: Any) -> None:
    r = api("canbo", "POST", f"/members/{cast.an.code}/reveal", {"field": "password"})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "field", "message": "Giá trị không đúng dạng."}]
    r = api("canbo", "GET", "/orgs/H", as_of="31/12/2024")
    assert r.status_code == 422 and r.json()["errors"] == [
        {"field": "as_of", "message": "Ngày không đúng dạng yyyy-mm-dd."}
    ]
    r = api("canbo", "GET", "/members", size=0)
    assert r.json()["errors"] == [{"field": "size", "message": "Phải từ 1 trở lên."}]
    assert not AuditEntry.objects.filter(action="member_reveal").exists()


def test_the_tree_counts_each_units_members_on_the_day(cast: Any, api: Any) -> None:
    r = api("bithu", "GET", "/tree", root="W", as_of="2025-06-30")
    (w,) = r.json()["roots"]
    # An and Bình in B1, Chi in B2: admitted 2010–2012, counted as they stood on 30/6/2025
    assert w["code"] == "W" and w["members"] == 3
    assert {c["code"]: c["members"] for c in w["children"]} == {"B1": 2, "B2": 1}
    assert api("bithu", "GET", "/tree").json()["roots"][0]["code"] == "W"  # the holder's own grant as root
    one = api("bithu", "GET", "/orgs/B1", as_of="2025-06-30").json()
    assert one["parent"] == "W" and one["official"] + one["probationary"] == 2


def test_a_lifecycle_event_goes_through_the_service_with_its_audit_entry(cast: Any, api: Any) -> None:
    body = {"on": "15/03/2025", "counterpart": "Đảng bộ tỉnh Nam Định", "decision_ref": "12-QĐ/ĐU"}
    r = api("bithuchibo", "POST", f"/members/{cast.binh.code}/events/transfer_out", body)
    assert r.status_code == 201, r.content
    event = MemberEvent.objects.get(pk=r.json()["id"])
    assert (event.kind, event.member_id, event.counterpart) == ("transfer_out", cast.binh.pk, body["counterpart"])
    assert AuditEntry.objects.filter(action="member_transfer_out", object_id=str(cast.binh.pk)).count() == 1
    names = [i["full_name"] for i in api("bithuchibo", "GET", "/members").json()["items"]]
    assert names == ["Nguyễn Văn An"]  # Bình left on 15/3/2025
    events = api("bithuchibo", "GET", f"/members/{cast.binh.code}/events").json()
    assert [e["kind"] for e in events] == ["admission", "transfer_out"]  # make_member admits, no more
    assert events[-1]["kind_label"] and events[-1]["on"] == "2025-03-15"


def test_a_refused_event_names_its_field_and_writes_nothing(cast: Any, api: Any) -> None:
    before = (MemberEvent.objects.count(), AuditEntry.objects.count())
    r = api("canbo", "POST", f"/members/{cast.binh.code}/events/transfer_out", {"on": "15/03/2025"})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["counterpart"]
    r = api("canbo", "POST", f"/members/{cast.binh.code}/events/transfer_out", {"on": "1/1/2099", "counterpart": "x"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "on"
    assert api("kiemtra", "POST", f"/members/{cast.binh.code}/events/death", {"on": "1/1/2025"}).status_code == 403
    assert api("canbo", "POST", f"/members/{cast.binh.code}/events/khong-co", {}).status_code == 404
    assert (MemberEvent.objects.count(), AuditEntry.objects.count()) == before


def test_a_work_record_goes_through_its_service_and_lists_back(cast: Any, api: Any) -> None:
    body = {
        "member_code": cast.binh.code,
        "form": "reprimand",
        "decided_on": "10/02/2025",
        "deciding_body": "Chi bộ Thôn 1",
        "decision_ref": "3-QĐ/CB",
        "violation": "Vi phạm nguyên tắc sinh hoạt",
    }
    r = api("bithuchibo", "POST", "/work/ky-luat", body)
    assert r.status_code == 201, r.content
    record = Discipline.objects.get(pk=r.json()["id"])
    assert record.member_id == cast.binh.pk and record.form == "reprimand"
    assert AuditEntry.objects.filter(action="discipline_record").count() == 1
    listed = api("bithuchibo", "GET", "/work/ky-luat").json()
    assert [row["id"] for row in listed["rows"]] == [record.pk]
    assert api("canbo_khac", "GET", "/work/ky-luat").json()["rows"] == []  # K's staff do not see H's record
    r = api("bithuchibo", "POST", "/work/ky-luat", {**body, "member_code": cast.chi.code})  # Chi is in B2
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "member_code"


def test_a_report_job_is_its_starters_only(cast: Any, api: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr("dangvu.jobs.services.execute", lambda job_id: None)  # queued, not generated here
    r = api("canbo", "POST", "/reports", {"org": "H", "kind": "annual", "period": "2024", "formats": ["xlsx"]})
    assert r.status_code == 202, r.content
    job = r.json()["id"]
    assert r.json()["status"] == "queued"
    assert api("canbo", "GET", f"/reports/{job}").status_code == 200
    other = api("kiemtra", "GET", f"/reports/{job}")
    none = api("kiemtra", "GET", "/reports/00000000000000000000000000000000")
    assert other.status_code == 404 and other.json() == none.json()
    assert api("canbo", "GET", f"/reports/{job}/files/x.docx").status_code == 404
    r = api("canbo", "POST", "/reports", {"org": "H", "kind": "annual", "period": "hai nghìn"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "period"


def test_the_sweep_is_not_blind(cast: Any, api: Any) -> None:
    """The sweep's comparison has both sides: a member in scope is read, one out of it is 404 like no one."""
    assert api("canbo", "GET", f"/members/{cast.an.code}").status_code == 200
    out = api("canbo", "GET", f"/members/{cast.en.code}")
    assert out.status_code == 404 and out.json() == api("canbo", "GET", "/members/KHONGCO").json()
    assert "Én" not in out.content.decode()


def test_a_body_that_is_not_json_is_refused_in_vietnamese_and_answers_are_utf8(cast: Any, api: Any) -> None:
    from django.test import Client

    headers = {"HTTP_AUTHORIZATION": f"Bearer {api.secrets['canbo']}"}
    r = Client().post(f"/api/v1/members/{cast.an.code}/reveal", "{khong", content_type="application/json", **headers)
    assert r.status_code == 400 and r.json() == {"detail": "Nội dung yêu cầu không phải JSON hợp lệ."}
    assert "Nguyễn Văn An".encode() in api("canbo", "GET", "/members").content


def test_an_unknown_address_answers_the_apis_json_404(api: Any) -> None:
    r = api("canbo", "GET", "/khong-co/gi")
    assert r.status_code == 404 and r.json()["detail"].startswith("Không tìm thấy")
    assert api(None, "POST", "/khong-co").status_code == 404


def test_the_audit_log_tells_the_tokens_story_in_vietnamese(cast: Any, api: Any) -> None:
    from dangvu.audit.sentences import render

    (line,) = render(list(AuditEntry.objects.filter(action="api_token_create", actor_id=cast.users["canbo"].pk)))
    assert line.action == "Tạo khóa truy cập API"
    assert line.sentence == "Cán bộ ban tổ chức canbo tạo khóa truy cập API «kiểm thử canbo»."


def test_a_work_field_that_is_not_a_plain_value_is_refused_on_its_field(cast: Any, api: Any) -> None:
    r = api("canbo", "POST", "/work/ky-luat", {"member_code": cast.binh.code, "decided_on": ["1/1/2025"]})
    assert r.status_code == 422 and r.json()["errors"] == [
        {"field": "decided_on", "message": "Trường decided_on: cần một chuỗi, một số hoặc true/false."}
    ]
    assert not Discipline.objects.exists()
