"""Documents as the reports cite them (SEED F6): "Chương trình hành động số 36-CTr/TU, ngày 5/5/2008 của Thành ủy
thực hiện Nghị quyết số 15-NQ/TW, ngày 30/7/2007", and the documents that made it concrete.

A report cites only what existed when it was signed: a document found by its number is one issued on or before
the report's date, the documents it implements likewise, and the implementing documents listed are those issued
within the report's period (a 2015 report never names a 2017 document). The issuer's name comes from the
issuing organization as it was called when it issued the document ("của Đảng ủy xã Thanh Sơn"), shortened to the
committee's title when the issuer is the reporting unit or above it ("của Thành ủy", as seed 000 writes).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dangvu.domain.documents import CENTRAL_ISSUERS, DocumentCode, parse_code
from dangvu.domain.errors import RuleError
from dangvu.domain.reports.header import COMMITTEES, committee_name, issuer_code
from dangvu.domain.reports.phrasing import join_and
from dangvu.domain.vietnamese import fmt_date, fmt_int, nfc
from dangvu.orgs.models import OrgAncestry, Organization, OrgVersion, valid_on
from dangvu.work.models import Document

# A document of an issuer outside the system whose name was not recorded is taken to be the reporting unit's
# own superior committee with that symbol (a district report citing a ".../TU" cites its province or city) [I].
OUTSIDE_ISSUER_IS_SUPERIOR = True


def find_document(code: str, *, on: dt.date | None = None, root: Organization | None = None) -> Document:
    """The document a report names by its number ('36-CTr/TU' or 'Số 36-CTr/TU, ngày 5/5/2008'), issued on or
    before `on` (the report's date). Several committees may number alike ('1-NQ/ĐU' of two communes): the
    reporting unit's own, then its superiors', then those of its subtree are preferred; a choice still open is
    refused naming the candidates."""
    c = parse_code(code)
    qs = Document.objects.filter(issuer=c.issuer, type=c.type, number=c.number).select_related("organization")
    if c.issued_on:
        qs = qs.filter(issued_on=c.issued_on)
    found = list(qs.order_by("-issued_on", "pk"))
    if not found:
        raise RuleError(f"Không có văn bản {c.code} trong sổ văn bản.", field="document")
    if on is not None:
        issued = [d for d in found if d.issued_on <= on]
        if not issued:
            first = min(d.issued_on for d in found)
            raise RuleError(
                f"Văn bản {c.code} ban hành ngày {fmt_date(first)}, sau ngày báo cáo {fmt_date(on)}: "
                "báo cáo chỉ trích dẫn văn bản đã ban hành.",
                field="document",
            )
        found = issued
    if root is not None and len({d.organization_id for d in found}) > 1:
        found = _nearest(found, root, on or timezone.localdate())
    orgs = {d.organization_id for d in found}
    if len(orgs) > 1:
        names = join_and(
            sorted(f"{d.organization.code}" if d.organization else d.issuer_name or d.issuer for d in found)
        )
        raise RuleError(
            f"Có nhiều văn bản {c.code} của các cấp ủy khác nhau ({names}); "
            "ghi kèm ngày ban hành để chọn đúng văn bản.",
            field="document",
        )
    return found[0]


def _nearest(found: list[Document], root: Organization, on: dt.date) -> list[Document]:
    """The candidates of the closest issuer: the unit itself, its superiors, its subtree, then the others."""
    day = on
    above = set(OrgAncestry.objects.filter(valid_on(day), organization=root).values_list("ancestor_id", flat=True))
    below = set(OrgAncestry.objects.filter(valid_on(day), ancestor=root).values_list("organization_id", flat=True))
    for tier in ({root.pk}, above, below):
        hit = [d for d in found if d.organization_id in tier]
        if hit:
            return hit
    return found


def issuer_phrase(doc: Document, *, root: Organization | None = None, on: dt.date | None = None) -> str:
    """'của Đảng ủy xã Thanh Sơn', 'của Thành ủy', or '' (a Central Committee document; an issuer unknown)."""
    if doc.issuer in CENTRAL_ISSUERS and doc.organization_id is None:
        return ""
    if doc.organization_id is not None:
        return f"của {_committee(doc.organization_id, doc.issued_on, short=_is_above(doc.organization_id, root, on))}"
    if doc.issuer_name:
        return f"của {nfc(doc.issuer_name)}"
    if OUTSIDE_ISSUER_IS_SUPERIOR and root is not None:
        day = on or doc.issued_on
        for oid in (
            OrgAncestry.objects.filter(valid_on(day), organization=root)
            .order_by("depth")
            .values_list("ancestor_id", flat=True)
        ):
            version = OrgVersion.objects.filter(valid_on(day), organization_id=oid).first()
            if version is not None and issuer_code(version.name) == doc.issuer:
                return f"của {_title(version.name)}"
    return ""


def _is_above(org_id: int, root: Organization | None, on: dt.date | None) -> bool:
    """Whether the issuer is the reporting unit or one of its superiors (then its title alone names it)."""
    if root is None:
        return False
    day = on or timezone.localdate()
    return OrgAncestry.objects.filter(valid_on(day), organization=root, ancestor_id=org_id).exists()


def _committee(org_id: int, day: dt.date, *, short: bool) -> str:
    """The committee's name as it was on the day (the nearest version outside the unit's life)."""
    versions = list(OrgVersion.objects.filter(organization_id=org_id).order_by("valid_from"))
    if not versions:
        return ""
    before = [v for v in versions if v.valid_from <= day]
    name = (before[-1] if before else versions[0]).name
    return _title(name) if short else committee_name(name)


def _title(org_name: str) -> str:
    """'Đảng bộ thành phố Hồ Chí Minh' → 'Thành ủy'; 'Đảng bộ xã Thanh Sơn' → 'Đảng ủy xã'."""
    low = nfc(org_name).lower()
    for prefix, committee, _code in COMMITTEES:
        if low.startswith(prefix.lower()):
            return committee
    return committee_name(org_name)


def doc_cited(doc: Document, *, root: Organization | None = None, on: dt.date | None = None) -> str:
    """F6: 'Chương trình hành động số 36-CTr/TU, ngày 5/5/2008 của Thành ủy thực hiện Nghị quyết số 15-NQ/TW,
    ngày 30/7/2007': the document, its issuer, and the documents it implements issued by the report's date."""
    cited = " ".join(x for x in (doc.code.cited(), issuer_phrase(doc, root=root, on=on)) if x)
    above = [d for d in doc.implements.order_by("issued_on", "pk") if on is None or d.issued_on <= on]
    if above:
        cited += " thực hiện " + join_and([d.code.cited() for d in above])
    return cited


def implementing_sentence(
    doc: Document, *, start: dt.date | None = None, end: dt.date | None = None, on: dt.date | None = None
) -> str:
    """'; đã ban hành 3 văn bản cụ thể hóa (…)': the documents implementing `doc` issued within the period
    [start, end] and by the report's date `on`."""
    below = doc.implemented_by.order_by("issued_on", "pk")
    last = min(d for d in (end, on) if d is not None) if (end or on) else None
    if start is not None:
        below = below.filter(issued_on__gte=start)
    if last is not None:
        below = below.filter(issued_on__lte=last)
    found = list(below)
    if not found:
        return ""
    codes = join_and(
        [DocumentCode(d.number, d.type, d.issuer, d.issued_on).printed().removeprefix("Số ") for d in found]
    )
    return f"; đã ban hành {fmt_int(len(found))} văn bản cụ thể hóa ({codes})"
