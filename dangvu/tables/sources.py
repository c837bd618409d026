"""The records a table counts, read as facts: grouped for the figures (one statement per table and date for any
number of roots, through orgs.queries.tally_by_root, as the indicators are), one by one for a cell's list.

A root's figure is its subtree's records as the subtree stood on the date (events: on the event's own day), so
a unit's figure is the sum of its units' and of its own (HD 11-HD/BTCTW I.2 [V]: aggregated from the grassroots
upward); the review's figures are assessment.stats's, so the tables and the review statistics agree by design.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from dangvu.assessment.models import Result
from dangvu.assessment.stats import _pending, review_stats_by_root
from dangvu.domain.assessment.levels import NEW_LABELS, NOT_RATED_LABELS, OLD_ORG_LABELS, RANK
from dangvu.domain.membership import ADMISSION_CATEGORY_LABELS, EVENT_LABELS, EXITS, EventKind, Status
from dangvu.domain.orgtree import GRASSROOTS, ORG_KIND_LABELS, SECTOR_LABELS
from dangvu.members.models import Member, MemberEvent, MembershipSpan
from dangvu.orgs.models import OrgAncestry, OrgVersion
from dangvu.orgs.queries import tally_by_root

from .definitions import Table
from .evaluate import Fact, as_date, years

STATUS_LABELS: dict[str, str] = {Status.OFFICIAL: "Chính thức", Status.PROBATIONARY: "Dự bị"}
LEVEL_LABELS = {**OLD_ORG_LABELS, **NEW_LABELS}
STATE_RATED, STATE_NOT_RATED, STATE_PENDING = "Đã xếp loại", "Không xếp loại", "Chưa có kết quả"
GROUP_LABELS = {"grassroots": "Tổ chức cơ sở đảng", "branches": "Chi bộ trực thuộc"}

# Each field a condition reads → the raw values it needs: {raw key: path from the source's rows}.
_MEMBER = {
    "gender": {"gender": "member__gender"},
    "ethnicity": {"ethnicity": "member__ethnicity"},
    "religion": {"religion": "member__religion"},
    "general_education": {"general_education": "member__general_education"},
    "education_level": {"general_education": "member__general_education"},
    "professional_education": {"professional_education": "member__professional_education"},
    "degree": {"degree": "member__degree"},
    "professional_level": {
        "professional_education": "member__professional_education",
        "degree": "member__degree",
    },
    "political_theory": {"political_theory": "member__political_theory"},
    "occupation": {"occupation": "member__occupation"},
    "age": {"birth_date": "member__birth_date"},
}
RAW: dict[str, dict[str, dict[str, str]]] = {
    "members": {**_MEMBER, "status": {"status": "status"}, "party_age": {"party_since": "party_since"}},
    "organizations": {"kind": {"kind": "kind"}, "sector": {"sector": "sector"}},
    "admissions": {
        **_MEMBER,
        "category": {"category": "category"},
        "age": {"birth_date": "member__birth_date", "_day": "on"},
    },
    "exits": {"kind": {"kind": "member__events__kind"}, "gender": {"gender": "member__gender"}},
}
# Stored codes → the words the definitions and the pages use.
LABELS: dict[str, Mapping[str, str]] = {
    "gender": dict(Member.Gender.choices),
    "political_theory": dict(Member.PoliticalTheory.choices),
    "status": STATUS_LABELS,
    "sector": SECTOR_LABELS,
    "category": {"": ADMISSION_CATEGORY_LABELS["general"], **ADMISSION_CATEGORY_LABELS},
}
KIND_LABELS = {"organizations": ORG_KIND_LABELS, "exits": EVENT_LABELS}


def raw_paths(table: Table) -> dict[str, str]:
    paths: dict[str, str] = {}
    for f in sorted(table.fields()):
        paths.update(RAW[table.source][f])
    return paths


def labelled(source: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(raw)
    for k, v in raw.items():
        labels = KIND_LABELS[source] if k == "kind" else LABELS.get(k)
        if labels is not None and isinstance(v, str):
            out[k] = labels.get(v, v)
    return out


def _party_since() -> Coalesce:
    """The start of party age: the committee's confirmed date, else the first admission decision (QĐ 24-QĐ/TW 4.5
    [V]). Time outside the party of readmitted members is not subtracted here [I]: domain.membership.party_age_days
    does it from the whole history, which a grouped count cannot read; such members are few."""
    first = (
        MemberEvent.objects.filter(member_id=OuterRef("member_id"), kind=EventKind.ADMISSION)
        .order_by("on")
        .values("on")[:1]
    )
    return Coalesce(F("member__party_age_confirmed_from"), Subquery(first))


def year_start(on: dt.date) -> dt.date:
    return dt.date(on.year, 1, 1)


@dataclass(frozen=True)
class _Rows:
    qs: QuerySet[Any]
    unit: str
    day: str | dt.date
    ended: bool = False
    exclude_roots: bool = False


def _rows(table: Table, on: dt.date) -> _Rows:
    """The source's rows for the date, with what scopes them to a subtree."""
    s = table.source
    if s == "members":
        qs: QuerySet[Any] = MembershipSpan.objects.on(on)
        if "party_age" in table.fields():
            qs = qs.annotate(party_since=_party_since())
        return _Rows(qs, "organization_id", on)
    if s == "organizations":
        # The units under the root (the root itself is the level the table is for, not one of its units).
        return _Rows(OrgVersion.objects.on(on), "organization_id", on, exclude_roots=True)
    if s == "admissions":
        # As the indicators count them ("admissions": admission decisions, not readmissions), by the event's unit
        # on the event's day.
        qs = MemberEvent.objects.filter(kind=EventKind.ADMISSION, on__range=(year_start(on), on))
        return _Rows(qs, "organization_id", "on")
    if s == "exits":
        # As the indicators count them ("exits"): the spans ending on an exit of their member, in the span's unit's
        # subtree of the day before.
        qs = MembershipSpan.objects.filter(
            member__events__kind__in=list(EXITS),
            member__events__on=F("valid_to"),
            member__events__on__range=(year_start(on), on),
        )
        return _Rows(qs, "organization_id", "valid_to", ended=True)
    raise ValueError(s)


def facts_by_root(table: Table, roots: list[int], on: dt.date) -> dict[int, list[Fact]]:
    """The table's facts for each root: (raw values labelled, count)."""
    if table.source.startswith("review_"):
        return _review_facts(table, roots, on)
    r = _rows(table, on)
    paths = raw_paths(table)
    keys = list(paths)
    t = tally_by_root(
        r.qs, roots, unit=r.unit, day=r.day, by=tuple(paths[k] for k in keys), ended=r.ended,
        exclude_roots=r.exclude_roots,
    )  # fmt: skip
    return {
        root: [(labelled(table.source, dict(zip(keys, key, strict=True))), n) for key, n in counts.items()]
        for root, counts in t.items()
    }


def _level_fact(level: str, not_rated: str, exemplary: bool) -> dict[str, Any]:
    return {
        "state": STATE_RATED if level else STATE_NOT_RATED,
        "level": LEVEL_LABELS.get(level, ""),
        "rank": RANK.get(level),
        "not_rated": NOT_RATED_LABELS.get(not_rated, ""),
        "exemplary": "Tiêu biểu" if exemplary else "",
    }


def _review_facts(table: Table, roots: list[int], on: dt.date) -> dict[int, list[Fact]]:
    """From assessment.stats.review_stats_by_root: the year of the date, the subtree as it stood on the date."""
    stats = review_stats_by_root(roots, on.year, structure_on=on)
    out: dict[int, list[Fact]] = {}
    for root, groups in stats.items():
        facts: list[Fact] = []
        names = ["members"] if table.source == "review_members" else ["grassroots", "branches"]
        for name in names:
            g = groups[name]
            group = {"group": GROUP_LABELS.get(name, "")}
            # exemplary members are among the top level's: split them off so the facts add up
            for level, n in g.levels.items():
                top_exemplary = g.exemplary if RANK[level] == 4 else 0
                if top_exemplary:
                    facts.append(({**group, **_level_fact(level, "", True)}, top_exemplary))
                facts.append(({**group, **_level_fact(level, "", False)}, n - top_exemplary))
            for reason, n in g.not_rated.items():
                facts.append(({**group, **_level_fact("", reason, False)}, n))
            if g.pending:
                facts.append(({**group, **_level_fact("", "", False), "state": STATE_PENDING}, g.pending))
        out[root] = facts
    return out


# ---------------------------------------------------------------- a cell's records, one by one


@dataclass(frozen=True)
class Record:
    """One record a cell counts: a member (code, name, card number) or an organization, with its unit."""

    kind: str  # "member" | "organization"
    code: str
    name: str
    unit_id: int
    card_number: str = ""
    day: dt.date | None = None  # an event's day (admissions, exits)


def _in_subtree(root_id: int, unit: str, day: str | dt.date, *, ended: bool = False) -> Exists:
    """The row's unit was in root's subtree on the row's day (ended: the day before, an exit's unit)."""
    d = OuterRef(day) if isinstance(day, str) else day
    lo, hi = ("valid_from__lt", "valid_to__gte") if ended else ("valid_from__lte", "valid_to__gt")
    return Exists(OrgAncestry.objects.filter(ancestor_id=root_id, organization_id=OuterRef(unit), **{lo: d, hi: d}))


def records(table: Table, root_id: int, on: dt.date) -> list[tuple[Record, dict[str, Any]]]:
    """Every record of the table's source under the root, with its raw values labelled (for derive/evaluate)."""
    if table.source.startswith("review_"):
        return _review_records(table, root_id, on)
    r = _rows(table, on)
    qs = r.qs.filter(_in_subtree(root_id, r.unit, r.day, ended=r.ended))
    if r.exclude_roots:
        qs = qs.exclude(organization_id=root_id)
    paths = raw_paths(table)
    if table.source == "organizations":
        who = {"_code": "organization__code", "_name": "name", "_unit": "organization_id"}
    else:
        who = {
            "_code": "member__code",
            "_name": "member__full_name",
            "_unit": "organization_id",
            "_card": "member__card_number",
        }
        if table.yearly and isinstance(r.day, str):
            who["_when"] = r.day
    out = []
    # aliases of their own: a raw key may be a field's name ("kind"), which values() refuses as an alias
    for row in qs.values(**{f"r{k}": F(v) for k, v in {**who, **paths}.items()}):
        row = {k[1:]: v for k, v in row.items()}
        raw = {k: row[k] for k in paths}
        rec = Record(
            "organization" if table.source == "organizations" else "member",
            row["_code"],
            row["_name"],
            row["_unit"],
            row.get("_card") or "",
            row.get("_when") if table.yearly else None,
        )
        out.append((rec, labelled(table.source, raw)))
    return out


def _review_records(table: Table, root_id: int, on: dt.date) -> list[tuple[Record, dict[str, Any]]]:
    year = on.year
    out: list[tuple[Record, dict[str, Any]]] = []
    if table.source == "review_members":
        qs = Result.objects.filter(year=year, member__isnull=False).filter(_in_subtree(root_id, "unit_id", on))
        for code, name, card, unit, level, nr, ex in qs.values_list(
            "member__code", "member__full_name", "member__card_number", "unit_id", "level", "not_rated", "exemplary"
        ):
            out.append((Record("member", code, name, unit, card or ""), _level_fact(level, nr, ex)))
        return out
    qs = (
        Result.objects.filter(year=year, organization__isnull=False)
        .filter(_in_subtree(root_id, "organization_id", on))
        .exclude(organization_id=root_id)
    )
    names = dict(OrgVersion.objects.on(on).values_list("organization_id", "name"))
    for org_id, code, kind, level, nr, ex in qs.values_list(
        "organization_id", "organization__code", "unit_kind", "level", "not_rated", "exemplary"
    ):
        group = _group(kind)
        if group:
            fact = {"group": group, **_level_fact(level, nr, ex)}
            out.append((Record("organization", code, names.get(org_id, code), org_id), fact))
    pending = _pending(year, on).filter(_in_subtree(root_id, "organization_id", on)).exclude(organization_id=root_id)
    for org_id, code, name, kind, too_new in pending.values_list(
        "organization_id", "organization__code", "name", "kind", "too_new"
    ):
        if not too_new:
            fact = {"group": _group(kind), **_level_fact("", "", False), "state": STATE_PENDING}
            out.append((Record("organization", code, name, org_id), fact))
    return out


def _group(kind: str) -> str:
    if kind in GRASSROOTS:
        return GROUP_LABELS["grassroots"]
    return GROUP_LABELS["branches"] if kind == "branch" else ""


# ---------------------------------------------------------------- the members' tables: one read, many counts


def member_keys(tables: list[Table]) -> dict[str, str]:
    """The raw values every members' table of the set needs: {raw key: path}."""
    paths: dict[str, str] = {}
    for t in tables:
        if t.source == "members":
            paths.update(raw_paths(t))
    return paths


def member_rows(root_id: int, on: dt.date, paths: dict[str, str]) -> list[tuple[Any, ...]]:
    """The root's members on the date, one row each: (unit id, raw values in `paths` order). The members' tables
    share this one read and count it in Python, each by its own fields: nine grouped statements over a province's
    members (each joining the members' table) cost nine times the read (bench/tables.py, BENCHMARKS.md)."""
    # The subtree's units as a list, not a subquery: PostgreSQL then probes span_org_status_idx unit by unit; with
    # the subquery it read every span valid on the date of the national data set (1 s for a district under load).
    units = list(OrgAncestry.objects.on(on).filter(ancestor_id=root_id).values_list("organization_id", flat=True))
    qs: QuerySet[Any] = MembershipSpan.objects.on(on).filter(organization_id__in=units)
    if "party_since" in paths:
        qs = qs.annotate(party_since=_party_since())
    return list(qs.values_list("organization_id", *paths.values()))


# Dates turned into the whole years a condition reads before the facts are grouped (a province's birth dates and
# party-age starts are tens of thousands of distinct values; the years, a hundred).
_YEARS = {"birth_date": "age", "party_since": "party_age"}


@dataclass(frozen=True)
class Prepared:
    """The shared member rows of one date, ready for every members' table: each row is (the roots it counts for,
    raw values in `keys` order…, then the years columns: age in full years, age by calendar year, party age)."""

    keys: list[str]
    rows: list[tuple[Any, ...]]


def member_prepare(
    rows: list[tuple[Any, ...]], paths: dict[str, str], roots_of: Mapping[int, tuple[int, ...]], on: dt.date
) -> Prepared:
    keys = list(paths)
    memo: dict[tuple[Any, str], int | None] = {}

    def year_of(value: Any, rule: str) -> int | None:
        if (value, rule) not in memo:
            memo[(value, rule)] = years(as_date(value), on, rule)
        return memo[(value, rule)]

    b = keys.index("birth_date") + 1 if "birth_date" in keys else None
    p = keys.index("party_since") + 1 if "party_since" in keys else None
    out = [
        (
            roots_of.get(r[0], ()),
            *r[1:],
            year_of(r[b], "full_years") if b else None,
            year_of(r[b], "calendar_year") if b else None,
            year_of(r[p], "full_years") if p else None,
        )
        for r in rows
    ]
    return Prepared([*keys, "age:full_years", "age:calendar_year", "party_age"], out)


def member_facts(table: Table, prepared: Prepared) -> dict[int, list[Fact]]:
    """The table's facts per root from the shared rows: each row counts for the roots its unit is under."""
    raw = list(raw_paths(table))
    wanted = [_YEARS.get(k, k) for k in raw]
    columns = [
        f"age:{table.age_rule}" if k == "birth_date" else ("party_age" if k == "party_since" else k) for k in raw
    ]
    at = [prepared.keys.index(c) + 1 for c in columns]
    # counted by Counter over itemgetter (C loops: a province's 370 thousand rows), grouped by the roots' tuple
    # (a few dozen), then spread over the roots
    grouped = Counter(map(itemgetter(0, *at), prepared.rows)) if at else Counter((r[0],) for r in prepared.rows)
    counts: dict[int, dict[tuple[Any, ...], int]] = {}
    for (roots, *values), n in grouped.items():
        key = tuple(values)
        for root in roots:
            c = counts.setdefault(root, {})
            c[key] = c.get(key, 0) + n
    return {
        root: [(labelled("members", dict(zip(wanted, key, strict=True))), n) for key, n in c.items()]
        for root, c in counts.items()
    }


def roots_of_units(root_id: int, unit_ids: list[int], on: dt.date) -> dict[int, tuple[int, ...]]:
    """Each unit of the root's subtree → (root, the directly subordinate unit it is under, if any)."""
    under: dict[int, list[int]] = {}
    for org_id, unit_id in (
        OrgAncestry.objects.on(on).filter(ancestor_id__in=unit_ids).values_list("organization_id", "ancestor_id")
    ):
        under.setdefault(org_id, []).append(unit_id)
    subtree = OrgAncestry.objects.on(on).filter(ancestor_id=root_id).values_list("organization_id", flat=True)
    return {org_id: (root_id, *under.get(org_id, ())) for org_id in subtree}
