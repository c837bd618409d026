"""Validate the work-record sheets (documents, programmes, targets, plans, candidates, discipline, …) without
writing. What format.py declares is checked for every sheet alike: references (organizations and members in
the file or the database, documents by key, programmes by organization + term), the unit active on the
record's date, exactly one subject where a record has two kinds, dates that must not run backwards, and keys
unique in the file and against the database. Then the rules the work services apply (work/services.py), on
the row and column that break them."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, field
from typing import Any

from dangvu.domain.documents import (
    CENTRAL_ISSUERS,
    IMPLEMENTING_PROGRAMME_KIND,
    LEGACY_TYPES,
    PROGRAMME,
    PROGRAMME_KINDS,
    normalize_term,
    type_name,
)
from dangvu.domain.errors import RuleError
from dangvu.domain.membership import MEMBER_HOLDING_KINDS, History, derive
from dangvu.domain.orgtree import ORG_KIND_LABELS
from dangvu.domain.vietnamese import fmt_date, nfc
from dangvu.members.models import Member, MemberEvent
from dangvu.members.services import as_domain
from dangvu.targets.models import TermProgramme
from dangvu.work.models import Candidate, Document
from dangvu.work.services import badge_check, discipline_check

from .check_members import MemberPlan
from .check_orgs import Directory, chunks, unknown_org
from .format import (
    BADGES,
    CANDIDATES,
    CODES,
    COMMENDATIONS,
    DISCIPLINES,
    DOCUMENT_REF,
    DOCUMENTS,
    MEMBERS,
    PLANS,
    PROGRAMMES,
    STUDY,
    TRAINING,
    WORK_SHEETS,
    Sheet,
)
from .read import Problem, Row, Source
from .spool import SpooledRows

# How other sheets name a document: issuer symbol, type, number, term, issuing organization's code ("" for an
# issuer outside the system).
DocKey = tuple[str, str, int, str, str]
_REF = re.compile(
    r"^\s*(?P<number>\d+)\s*-\s*(?P<type>[^/\s]+)\s*/\s*(?P<issuer>\S+?)\s*"
    r"\((?P<term>[^(),]+)(?:,\s*(?P<org>[^(),]+?))?\s*\)\s*$"
)
# Plan wording as the reports print it (F7 "chỉ tiêu", F8 "kế hoạch"; dangvu.targets.models.Plan).
WORDINGS = ("kế hoạch", "chỉ tiêu")


def document_ref(key: DocKey, *, with_org: bool = True) -> str:
    """'36-CTr/TU (2005–2010)', '1-NQ/ĐU (2015–2020, X01)': how the other sheets name a document."""
    issuer, typ, number, term, org = key
    return f"{number}-{typ}/{issuer} ({term}{', ' + org if org and with_org else ''})"


def parse_document_ref(text: str) -> tuple[str, str, int, str, str | None] | None:
    """The parts of a reference; the organization None when the text names none. '2015-2020' reads as the
    term '2015–2020', 'CTHĐ' as 'CTr'."""
    from .format import ENUMS

    m = _REF.match(nfc(text))
    if not m:
        return None
    typ = ENUMS["doc_type"].read(m["type"]) or m["type"]
    typ = LEGACY_TYPES[typ][0] if typ in LEGACY_TYPES else typ
    try:
        term = normalize_term(m["term"])
    except RuleError:
        term = m["term"].strip()
    return m["issuer"].upper(), typ, int(m["number"]), term, m["org"]


class DocIndex:
    """The documents a file may name: the ones it creates and the stored ones, found by their reference."""

    def __init__(self) -> None:
        self.by_code: dict[tuple[str, str, int, str], list[DocKey]] = defaultdict(list)
        self.values: dict[DocKey, int] = {}

    def add(self, key: DocKey, value: int) -> None:
        if key not in self.values:
            self.by_code[key[:4]].append(key)  # type: ignore[index]
        self.values[key] = value

    def resolve(self, text: str) -> tuple[DocKey | None, str]:
        """(the key, "") or (None, why not, in Vietnamese)."""
        parts = parse_document_ref(text)
        if parts is None:
            return None, f"'{text}' không phải văn bản dạng '{DOCUMENT_REF}', ví dụ '36-CTr/TU (2005–2010)'."
        org = parts[4]
        found = [k for k in self.by_code.get(parts[:4], []) if org is None or k[4] == org]  # type: ignore[index]
        shown = document_ref((*parts[:4], org or ""))  # type: ignore[arg-type]
        if not found:
            return None, f"không có văn bản {shown} trong sheet '{DOCUMENTS.name}' hay trong cơ sở dữ liệu."
        if len(found) > 1:
            orgs = ", ".join(sorted(k[4] or "ngoài hệ thống" for k in found))
            return None, (
                f"có {len(found)} văn bản {shown} của các cấp ủy khác nhau ({orgs}); ghi thêm mã tổ chức ban hành, "
                f"ví dụ '{document_ref(found[0])}'."
            )
        return found[0], ""

    def __getitem__(self, text: str) -> int:
        key, _ = self.resolve(text)
        assert key is not None  # the check refused what does not resolve
        return self.values[key]


@dataclass
class People:
    """The members a file may refer to: the ones it creates and the ones already stored, with their histories."""

    file: Container[str] = field(default_factory=set)  # the codes of the file's members (the spool answers)
    db_ids: dict[str, int] = field(default_factory=dict)
    histories: dict[str, History] = field(default_factory=dict)
    confirmed_from: dict[str, dt.date | None] = field(default_factory=dict)

    @classmethod
    def build(cls, member_rows: SpooledRows, plan: MemberPlan, refs: set[str]) -> People:
        """Only what the work records name is looked up: the file's members are asked of the spool."""
        p = cls(file=member_rows, histories=dict(plan.histories))
        for code in sorted(c for c in refs if c):
            found = member_rows.keyed(code)
            if found:
                p.confirmed_from[code] = found[0]["party_age_confirmed_from"]
        wanted = sorted(c for c in refs if c and c not in p.file)
        for batch in chunks(wanted):
            for code, pk, confirmed in Member.objects.filter(code__in=batch).values_list(
                "code", "pk", "party_age_confirmed_from"
            ):
                p.db_ids[code] = pk
                p.confirmed_from[code] = confirmed
        by_id = {pk: code for code, pk in p.db_ids.items()}
        events: dict[int, list[MemberEvent]] = defaultdict(list)
        for pks in chunks(sorted(by_id)):
            for e in MemberEvent.objects.filter(member_id__in=pks).order_by("member_id", "on", "id"):
                events[e.member_id].append(e)
        for pk, evs in events.items():
            try:
                p.histories[by_id[pk]] = derive([as_domain(e) for e in evs])
            except RuleError:  # a stored history that no longer derives: its records are checked without it
                pass
        return p

    def known(self, code: str) -> bool:
        return code in self.file or code in self.db_ids

    def status_on(self, code: str, day: dt.date) -> str | None:
        h = self.histories.get(code)
        for span in h.spans if h else []:
            if span.period.contains(day):
                return span.status
        return None


@dataclass
class WorkPlan:
    rows: dict[str, list[Row]] = field(default_factory=dict)  # sheet slug -> rows, in file order
    documents: dict[DocKey, int] = field(default_factory=dict)  # stored documents the file may refer to
    programmes: dict[tuple[str, str], int] = field(default_factory=dict)  # stored (org code, term) -> id

    def count(self) -> int:
        return sum(len(v) for v in self.rows.values())


def work_rows(source: Source) -> dict[str, list[Row]]:
    return {s.slug: list(source.rows(s)) for s in WORK_SHEETS if source.rows(s)}


def referenced(rows: dict[str, list[Row]], ref: str) -> set[str]:
    """Every organization or member code the work sheets name (to look them up in the database once)."""
    out: set[str] = set()
    for sheet in WORK_SHEETS:
        for col in sheet.columns:
            if col.ref != ref:
                continue
            for r in rows.get(sheet.slug, []):
                v = r[col.field]
                out.update((v or []) if col.kind == CODES else [v] if v else [])
    return out


def doc_key(r: Row) -> DocKey:
    return r["issuer"], r["type"], r["number"], r["term"], r["organization"] or ""


def doc_identity(r: Row) -> tuple[Any, ...]:
    """What makes two rows the same document (work.services.document_identity): the issuing organization, type,
    number and term; outside the system the symbol and the issuer's name instead of the organization."""
    if r["organization"]:
        return ("org", r["organization"], r["type"], r["number"], r["term"])
    return ("out", r["issuer"], r["issuer_name"], r["type"], r["number"], r["term"])


def normalize_documents(rows: list[Row], add: Callable[[Row, str, str], None]) -> None:
    """Every document row in the one form the services store (document_register): the term ('2015-2020' →
    '2015–2020'), the symbol in capitals, CTHĐ as the action programme CTr (HD 36 has no CTHĐ), a programme
    implementing a document an action programme unless its kind is given, and who issued it: an organization of
    the system, or a named issuer outside it (the Central Committee needs no name)."""
    for r in rows:
        if not r.ok:
            continue
        try:
            r.cells[r.fields["term"]] = normalize_term(r["term"])
        except RuleError as e:
            add(r, "term", e.message)
        r.cells[r.fields["issuer"]] = nfc(r["issuer"]).upper()
        typ, kind = r["type"], r["programme_kind"]
        if typ in LEGACY_TYPES:
            typ, implied = LEGACY_TYPES[typ]
            if kind and kind != implied:
                add(
                    r,
                    "programme_kind",
                    f"ký hiệu {r['type']} là '{PROGRAMME_KINDS[implied]}', không phải '{PROGRAMME_KINDS[kind]}'.",
                )
            kind = implied
        if kind and typ != PROGRAMME:
            add(
                r,
                "programme_kind",
                f"chỉ chương trình (CTr) mới có loại chương trình; đây là {type_name(typ).lower()}.",
            )
        if typ == PROGRAMME and not kind and r["implements"]:
            kind = IMPLEMENTING_PROGRAMME_KIND
        r.cells[r.fields["type"]], r.cells[r.fields["programme_kind"]] = typ, kind
        if r["organization"] and r["issuer_name"]:
            add(r, "issuer_name", "để trống khi đã ghi 'Mã tổ chức ban hành' (tên lấy từ tổ chức).")
        elif not r["organization"] and not r["issuer_name"] and r["issuer"] not in CENTRAL_ISSUERS:
            add(
                r,
                "organization",
                f"ghi mã tổ chức ban hành (cấp ủy trong hệ thống); văn bản của cơ quan ngoài hệ thống thì ghi "
                f"'Tên cơ quan ban hành' (ký hiệu {r['issuer']}).",
            )


class _Checker:
    def __init__(self, rows: dict[str, list[Row]], d: Directory, people: People, problems: list[Problem]) -> None:
        self.rows, self.d, self.people, self.problems = rows, d, people, problems
        self.plan = WorkPlan(rows)
        normalize_documents(rows.get(DOCUMENTS.slug, []), lambda r, name, msg: self.add(DOCUMENTS, r, name, msg))
        self.docs = DocIndex()
        for r in rows.get(DOCUMENTS.slug, []):
            if r.ok:
                self.docs.add(doc_key(r), r.number)
        self.file_programmes = {(r["organization"], r["term"]) for r in rows.get(PROGRAMMES.slug, []) if r.ok}

    def add(self, sheet: Sheet, r: Row, name: str, message: str) -> None:
        self.problems.append(Problem(sheet.name, r.number, sheet.header_of(name), message))
        r.ok = False

    # -------------------------------------------------------------- declared checks

    def references(self, sheet: Sheet, r: Row) -> None:
        day = r[sheet.date] if sheet.date else None
        for col in sheet.columns:
            value = r[col.field]
            if not col.ref or not value:
                continue
            values = value if col.kind == CODES else [value]
            for v in values:
                if col.ref == "org":
                    self._org(sheet, r, col.field, v, day)
                elif col.ref == "member" and not self.people.known(v):
                    self.add(
                        sheet,
                        r,
                        col.field,
                        f"không có đảng viên mã '{v}' trong sheet '{MEMBERS.name}' hay trong cơ sở dữ liệu.",
                    )
                elif col.ref == "document":
                    self._document(sheet, r, col.field, v)
                elif col.ref == "programme":
                    key = (r["organization"], v)
                    if key not in self.file_programmes and key not in self.plan.programmes:
                        self.add(
                            sheet,
                            r,
                            col.field,
                            f"tổ chức '{key[0]}' không có chương trình toàn khóa nhiệm kỳ "
                            f"'{v}' (sheet '{PROGRAMMES.name}' hay cơ sở dữ liệu).",
                        )

    def _org(self, sheet: Sheet, r: Row, name: str, code: str, day: dt.date | None) -> None:
        if not self.d.known(code):
            self.add(sheet, r, name, unknown_org(code))
        elif day is not None and self.d.on(code, day) is None:
            self.add(sheet, r, name, f"tổ chức '{code}' không hoạt động vào ngày {fmt_date(day)}.")

    def _document(self, sheet: Sheet, r: Row, name: str, text: str) -> None:
        _, why = self.docs.resolve(text)
        if why:
            self.add(sheet, r, name, why)

    def shape(self, sheet: Sheet, r: Row) -> None:
        # The record's own consistency (one subject; dates in order): what the models mean, no regulation needed.
        if sheet.one_of:
            filled = [f for f in sheet.one_of if r[f]]
            if len(filled) != 1:
                names = " hoặc ".join(f"'{sheet.header_of(f)}'" for f in sheet.one_of)
                self.add(sheet, r, (filled or sheet.one_of)[-1], f"ghi đúng một trong hai cột {names}.")
        for earlier, later in sheet.ordered:
            if r[earlier] is not None and r[later] is not None and r[later] < r[earlier]:
                a = r[earlier]
                shown = fmt_date(a) if isinstance(a, dt.date) else str(a)
                self.add(sheet, r, later, f"trước '{sheet.header_of(earlier)}' ({shown}).")

    def keys(self, sheet: Sheet, rows: list[Row]) -> None:
        if sheet is DOCUMENTS:
            self.document_keys(rows)
            return
        if not sheet.key:
            self.repeats(sheet, rows)
            return
        first: dict[tuple[Any, ...], int] = {}
        for r in rows:
            if not r.ok:
                continue
            k = tuple(r[f] for f in sheet.key)
            if k in first:
                self.add(sheet, r, sheet.key[-1], f"trùng với dòng {first[k]} ({self._key_text(sheet, k)}).")
            else:
                first[k] = r.number
        for k in sorted(stored_keys(sheet, first), key=str):
            r = next(x for x in rows if x.number == first[k])
            self.add(
                sheet,
                r,
                sheet.key[-1],
                f"{self._key_text(sheet, k)} đã có trong cơ sở dữ liệu; tệp nhập chỉ thêm bản ghi mới.",
            )

    def document_keys(self, rows: list[Row]) -> None:
        """One document once: in the file and against the database, by issuing organization + type + number +
        term (HD 36 II.1); the refusal is on the row's 'Nhiệm kỳ'."""
        first: dict[tuple[Any, ...], Row] = {}
        for r in rows:
            if not r.ok:
                continue
            k = doc_identity(r)
            if k in first:
                self.add(
                    DOCUMENTS,
                    r,
                    "term",
                    f"trùng với dòng {first[k].number} (văn bản {self._doc_text(r)}).",
                )
            else:
                first[k] = r
        for batch in chunks(sorted({k[-2] for k in first})):  # type: ignore[type-var]
            for org, issuer, name, typ, number, term in Document.objects.filter(number__in=batch).values_list(
                "organization__code", "issuer", "issuer_name", "type", "number", "term"
            ):
                k = ("org", org, typ, number, term) if org else ("out", issuer, name, typ, number, term)
                if k in first:
                    r = first.pop(k)
                    self.add(
                        DOCUMENTS,
                        r,
                        "term",
                        f"văn bản {self._doc_text(r)} đã có trong cơ sở dữ liệu; tệp nhập chỉ thêm bản ghi mới.",
                    )

    @staticmethod
    def _doc_text(r: Row) -> str:
        whose = (
            f" của {r['organization']}" if r["organization"] else f" của {r['issuer_name']}" if r["issuer_name"] else ""
        )
        return document_ref(doc_key(r), with_org=False) + whose

    def repeats(self, sheet: Sheet, rows: list[Row]) -> None:
        """A record without a key that is the same, column for column, as a stored one: most likely the same
        file imported twice (rows repeated within a file may be genuine: two petitions the same day)."""
        fields = identity(sheet)
        first: dict[tuple[Any, ...], Row] = {}
        for r in rows:
            if r.ok:
                first.setdefault(tuple(r[f] for f in fields), r)
        for k in sorted(stored_keys(sheet, first, fields), key=str):
            self.add(
                sheet,
                first[k],
                fields[0],
                "giống hệt một bản ghi đã có trong cơ sở dữ liệu (tệp đã được nhập?); tệp nhập chỉ thêm bản ghi mới.",
            )

    @staticmethod
    def _key_text(sheet: Sheet, k: tuple[Any, ...]) -> str:
        from .format import ENUM, ENUMS

        cols = {c.field: c for c in sheet.columns}
        shown = [ENUMS[cols[f].enum].label(v) if cols[f].kind == ENUM else v for f, v in zip(sheet.key, k, strict=True)]
        return ", ".join(f"{sheet.header_of(f)} {v}" for f, v in zip(sheet.key, shown, strict=True))

    def stored(self) -> None:
        """The stored documents and programmes the file names (the ones it does not create)."""
        wanted: set[tuple[str, str, int, str]] = set()
        programmes: set[tuple[str, str]] = set()
        for sheet in WORK_SHEETS:
            for col in sheet.columns:
                for r in self.rows.get(sheet.slug, []):
                    v = r[col.field]
                    if col.ref == "document" and v:
                        for text in v if col.kind == CODES else [v]:
                            parts = parse_document_ref(text)
                            if parts:
                                wanted.add(parts[:4])  # type: ignore[arg-type]
                    elif (
                        col.ref == "programme"
                        and v
                        and r["organization"] is not None  # None: its cell failed, already reported
                        and (r["organization"], v) not in self.file_programmes
                    ):
                        programmes.add((r["organization"], v))
        for docs in chunks(sorted(wanted)):
            for pk, issuer, typ, number, term, org in Document.objects.filter(
                number__in={k[2] for k in docs}
            ).values_list("pk", "issuer", "type", "number", "term", "organization__code"):
                if (issuer, typ, number, term) in wanted:
                    key = (issuer, typ, number, term, org or "")
                    self.plan.documents[key] = pk
                    self.docs.add(key, pk)
        for pairs in chunks(sorted(programmes)):
            for pk, org, term in TermProgramme.objects.filter(organization__code__in={o for o, _ in pairs}).values_list(
                "pk", "organization__code", "term"
            ):
                if (org, term) in programmes:
                    self.plan.programmes[(org, term)] = pk

    # -------------------------------------------------------------- the services' rules

    def broken(self, code: str) -> bool:
        """A member of the file whose own rows are wrong: the members' sheets already say why."""
        return code in self.people.file and code not in self.people.histories

    def discipline(self, r: Row) -> None:
        code = r["member"]
        if code and self.broken(code):
            return
        try:
            if code:
                status = self.people.status_on(code, r["decided_on"])
                discipline_check(form=r["form"], decided_on=r["decided_on"], member_status=status)
            else:
                discipline_check(form=r["form"], decided_on=r["decided_on"])
        except RuleError as e:
            self.add(DISCIPLINES, r, e.field, str(e))

    def candidate(self, r: Row) -> None:
        sheet = CANDIDATES
        unit = self.d.on(r["organization"], r["awareness_course_on"] or r["branch_vote_on"] or dt.date.max)
        if unit is None and self.d.known(r["organization"]):
            unit = next(iter(self.d.versions(r["organization"])[-1:]), None)
        if unit is not None and unit.kind not in MEMBER_HOLDING_KINDS:
            self.add(
                sheet,
                r,
                "organization",
                f"Quần chúng ưu tú được bồi dưỡng, xét kết nạp tại chi bộ; "
                f"'{unit.name}' là {ORG_KIND_LABELS[unit.kind].lower()} (Điều lệ Đảng 2011, Điều 4).",
            )
        stage = r["stage"]
        if stage in (Candidate.Stage.VOTED, Candidate.Stage.ADMITTED):
            # candidate_vote: the branch reviews a complete dossier with the awareness-course certificate
            # (Hướng dẫn 12-HD/BTCTW; Điều lệ Đảng 2011, Điều 4).
            if not r["dossier_complete"]:
                self.add(sheet, r, "dossier_complete", "hồ sơ chưa đủ: chưa thể đưa ra chi bộ xét.")
            if r["awareness_course_on"] is None:
                self.add(sheet, r, "awareness_course_on", "chưa có giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng.")
            if r["branch_vote_on"] is None:
                self.add(sheet, r, "branch_vote_on", f"bước '{sheet_label('stage', stage)}' cần ngày chi bộ xét.")
        if (stage == Candidate.Stage.ADMITTED) != bool(r["member"]):
            self.add(sheet, r, "member", "ghi mã đảng viên khi và chỉ khi bước là 'Đã kết nạp'.")

    def badge(self, r: Row) -> None:
        code = r["member"]
        if self.broken(code):
            return
        try:
            badge_check(
                self.people.histories.get(code, History()),
                confirmed_from=self.people.confirmed_from.get(code),
                milestone=r["milestone"],
                awarded_on=r["awarded_on"],
                posthumous=r["posthumous"],
            )
        except RuleError as e:
            self.add(BADGES, r, e.field, str(e))

    def study(self, r: Row) -> None:
        if r["participants"] > r["expected"]:  # study_session_record
            self.add(STUDY, r, "participants", f"nhiều hơn số đảng viên phải dự ({r['expected']}).")
        elif len(r["attendees"]) > r["participants"]:
            self.add(STUDY, r, "participants", f"ít hơn số đảng viên ghi mã ({len(r['attendees'])}).")

    def training(self, r: Row) -> None:
        if r["attendances"] is not None and len(r["attendees"]) > r["attendances"]:
            self.add(TRAINING, r, "attendances", f"ít hơn số học viên ghi mã ({len(r['attendees'])}).")

    def commendation(self, r: Row) -> None:
        # Consistency: titles are granted for a year that is over or ending (F13 counts them by that year).
        if r["year"] > r["decided_on"].year:
            self.add(
                COMMENDATIONS,
                r,
                "year",
                f"khen thưởng cho năm {r['year']} mà quyết định ngày "
                f"{fmt_date(r['decided_on'])}: năm được khen không thể sau năm quyết định.",
            )

    def document(self, r: Row) -> None:
        for text in r["implements"]:
            if self.docs.resolve(text)[0] == doc_key(r):
                self.add(DOCUMENTS, r, "implements", f"văn bản {self._doc_text(r)} không thể thực hiện chính nó.")

    def plan_row(self, r: Row) -> None:
        if r["wording"] and r["wording"] not in WORDINGS:
            self.add(PLANS, r, "wording", f"'{r['wording']}' không hợp lệ; dùng: {', '.join(WORDINGS)}.")

    def run(self) -> WorkPlan:
        self.stored()
        rules: dict[str, Callable[[Row], None]] = {
            DISCIPLINES.slug: self.discipline,
            CANDIDATES.slug: self.candidate,
            BADGES.slug: self.badge,
            STUDY.slug: self.study,
            TRAINING.slug: self.training,
            COMMENDATIONS.slug: self.commendation,
            DOCUMENTS.slug: self.document,
            PLANS.slug: self.plan_row,
        }
        for sheet in WORK_SHEETS:
            rows = self.rows.get(sheet.slug, [])
            for r in rows:
                if not r.ok:
                    continue
                self.references(sheet, r)
                self.shape(sheet, r)
                if r.ok and sheet.slug in rules:
                    rules[sheet.slug](r)
            self.keys(sheet, rows)
        return self.plan


def sheet_label(enum: str, code: str) -> str:
    from .format import ENUMS

    return ENUMS[enum].label(code)


def identity(sheet: Sheet) -> tuple[str, ...]:
    """What makes two records of a sheet the same: its key, or else every single-valued column (the required
    ones first: the database is searched by the first)."""
    if sheet.key:
        return sheet.key
    cols = [c for c in sheet.columns if c.kind != CODES and c.ref != "document"]
    return tuple(c.field for c in sorted(cols, key=lambda c: not c.required))


def _lookups(sheet: Sheet, fields: tuple[str, ...]) -> list[str]:
    """Fields as database lookups: codes through the foreign keys; an item's organization is its programme's."""
    assert sheet.model is not None
    names = {f.name for f in sheet.model._meta.get_fields()}
    out = []
    for f in fields:
        col = next(c for c in sheet.columns if c.field == f)
        if col.ref == "programme":
            out.append("programme__term")
        elif col.ref in ("org", "member"):
            out.append(f"{f}__code" if f in names else f"programme__{f}__code")
        else:
            out.append(f)
    return out


def stored_keys(
    sheet: Sheet, keys: Iterable[tuple[Any, ...]], fields: tuple[str, ...] | None = None
) -> set[tuple[Any, ...]]:
    """Which of the keys (values of `fields`, the sheet's key by default) a stored record already has."""
    assert sheet.model is not None
    wanted = set(keys)
    lookups = _lookups(sheet, fields or sheet.key)
    blank_as_empty = [lk.endswith(("__code", "__term")) for lk in lookups]  # a missing link reads as a blank cell
    found: set[tuple[Any, ...]] = set()
    firsts = sorted({k[0] for k in wanted}, key=str)
    for batch in chunks(firsts):
        for values in sheet.model._default_manager.filter(**{f"{lookups[0]}__in": batch}).values_list(*lookups):
            k = tuple("" if v is None and b else v for v, b in zip(values, blank_as_empty, strict=True))
            if k in wanted:
                found.add(k)
    return found


def check_work(rows: dict[str, list[Row]], d: Directory, people: People, problems: list[Problem]) -> WorkPlan:
    return _Checker(rows, d, people, problems).run()


def check_keys(rows: dict[str, list[Row]], problems: list[Problem]) -> None:
    """The key checks alone, on rows that passed the others: a key repeated in the file or already stored, a keyless
    record the same as a stored one. The import runs them again under its lock (load._written_meanwhile)."""
    checker = _Checker(rows, Directory(), People(), problems)
    for sheet in WORK_SHEETS:
        ok = [r for r in rows.get(sheet.slug, []) if r.ok]
        if ok:
            checker.keys(sheet, ok)
