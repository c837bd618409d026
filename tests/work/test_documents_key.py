"""Documents keyed by the issuing organization (issue 12, item 3): two communes' '1-NQ/ĐU' of a term are two
documents, one committee's second is refused; terms in one form; citations only of what was issued by the
report's date, naming the issuer from its organization; counts by type in words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dangvu.domain.errors import RuleError
from dangvu.reports.builders.documents import doc_cited, find_document, implementing_sentence
from dangvu.targets.indicators import compute
from dangvu.work.services import document_register

D = dt.date


@pytest.fixture
def communes(district: Any, actor: Any) -> tuple[Any, Any]:
    from dangvu.domain.orgtree import OrgKind, Sector
    from dangvu.orgs.services import org_establish

    an_phu = org_establish(
        code="W2",
        name="Đảng bộ xã An Phú",
        kind=OrgKind.GRASSROOTS_COMMITTEE,
        sector=Sector.COMMUNE_WARD,
        parent=district.district,
        on=D(2000, 1, 1),
        actor=actor,
    )
    return district.ward, an_phu


def test_two_communes_each_issue_1_nq_du_and_each_is_cited_by_its_own_name(
    communes: Any, district: Any, actor: Any
) -> None:
    thanh_son, an_phu = communes
    a = document_register(code="1-NQ/ĐU, ngày 2/3/2016", term="2015-2020", organization=thanh_son, actor=actor)
    b = document_register(code="1-NQ/ĐU, ngày 9/3/2016", term="2015 – 2020", organization=an_phu, actor=actor)
    assert (a.term, b.term) == ("2015–2020", "2015–2020")
    # Each commune's own report finds its own; the district's report names each commune.
    assert find_document("1-NQ/ĐU", on=D(2017, 1, 1), root=an_phu) == b
    assert find_document("1-NQ/ĐU", on=D(2017, 1, 1), root=thanh_son) == a
    assert doc_cited(a, root=district.district, on=D(2017, 1, 1)) == (
        "Nghị quyết số 1-NQ/ĐU, ngày 2/3/2016 của Đảng ủy xã Thanh Sơn"
    )
    assert doc_cited(b, root=an_phu, on=D(2017, 1, 1)) == "Nghị quyết số 1-NQ/ĐU, ngày 9/3/2016 của Đảng ủy xã"
    with pytest.raises(RuleError) as e:
        find_document("1-NQ/ĐU", on=D(2017, 1, 1), root=district.district)
    assert e.value.message == (
        "Có nhiều văn bản 1-NQ/ĐU của các cấp ủy khác nhau (W và W2); ghi kèm ngày ban hành để chọn đúng văn bản."
    )


def test_the_same_committees_second_1_nq_du_of_the_term_is_refused_whatever_the_dash(communes: Any, actor: Any) -> None:
    thanh_son, _ = communes
    document_register(code="1-NQ/ĐU, ngày 2/3/2016", term="2015–2020", organization=thanh_son, actor=actor)
    with pytest.raises(RuleError) as e:
        document_register(code="1-NQ/ĐU, ngày 5/6/2017", term="2015-2020", organization=thanh_son, actor=actor)
    assert e.value.message == (
        "Văn bản 1-NQ/ĐU của Đảng bộ xã Thanh Sơn (W) nhiệm kỳ 2015–2020 đã có (số văn bản chỉ dùng một lần cho "
        "mỗi loại trong một nhiệm kỳ cấp ủy)."
    )
    assert e.value.field == "code"


def test_a_cthd_is_registered_as_an_action_programme_ctr(district: Any, actor: Any) -> None:
    nq = document_register(code="Số 15-NQ/TW, ngày 30/7/2007", term="khóa X", actor=actor)
    doc = document_register(
        code="36-CTHĐ/HU, ngày 5/5/2008", term="2005-2010", organization=district.district, actor=actor, implements=[nq]
    )
    assert (doc.reference, doc.programme_kind) == ("36-CTr/HU", "action")
    assert doc_cited(doc, root=district.district, on=D(2017, 3, 16)) == (
        "Chương trình hành động số 36-CTr/HU, ngày 5/5/2008 của Huyện ủy thực hiện Nghị quyết số 15-NQ/TW, "
        "ngày 30/7/2007"
    )


def test_a_2015_report_never_cites_a_2017_document(district: Any, actor: Any) -> None:
    h = district.district
    later = document_register(code="7-NQ/HU, ngày 3/4/2017", term="2015–2020", organization=h, actor=actor)
    with pytest.raises(RuleError) as e:
        find_document("7-NQ/HU", on=D(2015, 12, 31), root=h)
    assert e.value.message == (
        "Văn bản 7-NQ/HU ban hành ngày 3/4/2017, sau ngày báo cáo 31/12/2015: "
        "báo cáo chỉ trích dẫn văn bản đã ban hành."
    )
    kh = document_register(code="2-KH/HU, ngày 1/2/2011", term="2010–2015", organization=h, actor=actor)
    document_register(
        code="3-KH/ĐU, ngày 1/6/2012", term="2010–2015", organization=district.ward, actor=actor
    ).implements.set([kh])
    later.implements.set([kh])
    assert implementing_sentence(kh, start=D(2011, 1, 1), end=D(2015, 12, 31), on=D(2015, 12, 31)) == (
        "; đã ban hành 1 văn bản cụ thể hóa (3-KH/ĐU, ngày 1/6/2012)"
    )
    # The 2017 resolution is not among the 2011 plan's implementing documents in a 2015 report.
    assert "7-NQ/HU" not in implementing_sentence(kh, start=D(2011, 1, 1), end=D(2015, 12, 31), on=D(2015, 12, 31))


def test_the_documents_indicator_counts_by_type_in_words(district: Any, actor: Any) -> None:
    h, w = district.district, district.ward
    for i in range(1, 4):
        document_register(code=f"{i}-NQ/HU, ngày {i}/3/2021", term="2020–2025", organization=h, actor=actor)
    document_register(code="1-CT/HU, ngày 5/5/2021", term="2020–2025", organization=h, actor=actor)
    document_register(code="1-KL/ĐU, ngày 6/6/2021", term="2020–2025", organization=w, actor=actor)
    document_register(code="9-KL/HU, ngày 6/6/2022", term="2020–2025", organization=h, actor=actor)  # another year
    document_register(code="Số 21-NQ/TW, ngày 16/6/2021", term="khóa XIII", actor=actor)  # not the district's
    [v] = compute(h, D(2021, 1, 1), D(2021, 12, 31), ["documents"])
    assert (v.value, v.sentence) == (5, "ban hành 3 nghị quyết, 1 kết luận và 1 chỉ thị")
