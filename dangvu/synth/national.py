"""dangvu generate --profile national: the whole country on PostgreSQL, loaded with COPY.

63 provinces with about 700 districts, 52,000 grassroots organizations and 260,000 branches from
1976, the changes of 2015–2024, and the reform of 01/07/2025 (34 provinces, districts ended,
grassroots organizations under 3,300 new commune committees); about 5.6 million members today
with their whole histories (7.4 million people ever admitted).

How it stays fast and faithful:
* organizations: an in-memory ledger that applies the services' rules (national_orgs), ancestry from
  domain.orgtree.AncestryBuilder — the same rows orgs.services.rebuild_ancestry writes;
* members: planned in `workers` processes (national_members), chunk by chunk, each chunk seeded by
  (seed, chunk) so the result does not depend on the number of processes;
* loading: one transaction. The tables are truncated (they are checked empty first), their
  secondary indexes, unique and foreign-key constraints dropped, the rows sent with COPY … FREEZE
  (frozen and all-visible: index-only scans work at once, no VACUUM needed), then the indexes and
  constraints recreated (the foreign keys are validated again) and the tables analyzed;
* proof: 1 member in 1,000 is read back and checked with domain.membership.derive (spans equal,
  every rule), age_check on admissions, and every event's unit was a branch live on the day.
Deterministic for a seed and a `today`.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.management.base import CommandError
from django.db import connection, connections, transaction

from dangvu.audit.services import Actor, audit
from dangvu.domain import names
from dangvu.domain.membership import MEMBER_HOLDING_KINDS, Event, EventKind, age_check, derive
from dangvu.domain.orgtree import OrgKind, Sector
from dangvu.domain.vietnamese import fmt_int, fold, nfc, person_sort_text, sort_key
from dangvu.work.due import rebuild as rebuild_alerts

from . import national_geo as geo
from . import national_indexes as ni
from . import national_members as nm
from .national_orgs import REFORM, NationalMap, build_map, stats

GENERATOR = Actor("trình sinh dữ liệu mẫu (toàn quốc)")
TARGET_MEMBERS = 5_600_000
CHUNK = 50_000
SAMPLE_EVERY = 1000
LOAD_TABLES = [
    "orgs_organization",
    "orgs_lineageevent",
    "orgs_lineagelink",
    "orgs_orgversion",
    "orgs_organcestry",
    "members_member",
    "members_memberevent",
    "members_membershipspan",
]


@dataclass
class NationalSummary:
    seed: int
    today: dt.date
    persons: int = 0
    official: int = 0
    probationary: int = 0
    organizations: int = 0
    versions: int = 0
    lineage_events: int = 0
    ancestry_rows: int = 0
    member_events: int = 0
    spans: int = 0
    before: dict[str, int] = field(default_factory=dict)  # kinds active on 30/06/2025
    after: dict[str, int] = field(default_factory=dict)  # and on today
    checked: int = 0
    alerts: int = 0  # stored alerts (work.Due) rebuilt for `today`
    seconds: dict[str, float] = field(default_factory=dict)
    slowest: list[tuple[str, float]] = field(default_factory=list)  # the longest index builds and checks

    def __str__(self) -> str:
        b, a = self.before, self.after
        grassroots = b.get(OrgKind.GRASSROOTS_COMMITTEE, 0) + b.get(OrgKind.GRASSROOTS_BRANCH, 0)
        lines = [
            f"Toàn quốc (seed {self.seed}, ngày {self.today:%d/%m/%Y}): {fmt_int(self.official + self.probationary)} "
            f"đảng viên hiện có ({fmt_int(self.official)} chính thức, {fmt_int(self.probationary)} dự bị); "
            f"{fmt_int(self.persons)} hồ sơ đã lập.",
            f"Trước 01/07/2025: {b.get(OrgKind.PROVINCE, 0)} tỉnh, {fmt_int(b.get(OrgKind.DISTRICT, 0))} huyện, "
            f"{fmt_int(grassroots)} tổ chức cơ sở đảng, {fmt_int(b.get(OrgKind.BRANCH, 0))} chi bộ trực thuộc.",
        ]
        if a.get(OrgKind.COMMUNE):
            lines.append(
                f"Từ 01/07/2025: {a.get(OrgKind.PROVINCE, 0)} tỉnh, {fmt_int(a.get(OrgKind.COMMUNE, 0))} đảng bộ xã, "
                f"phường; {fmt_int(a.get(OrgKind.GRASSROOTS_COMMITTEE, 0) + a.get(OrgKind.GRASSROOTS_BRANCH, 0))} "
                "tổ chức cơ sở đảng khác."
            )
        lines += [
            f"Bản ghi: {fmt_int(self.organizations)} tổ chức, {fmt_int(self.versions)} phiên bản, "
            f"{fmt_int(self.lineage_events)} sự kiện tổ chức, {fmt_int(self.ancestry_rows)} dòng quan hệ cấp trên, "
            f"{fmt_int(self.member_events)} sự kiện đảng viên, {fmt_int(self.spans)} khoảng sinh hoạt.",
            f"Đã kiểm tra {fmt_int(self.checked)} lịch sử (1/{SAMPLE_EVERY}) bằng domain.membership.derive: đạt.",
            f"Cảnh báo lưu sẵn: {fmt_int(self.alerts)} dòng.",
            "Thời gian (s): " + ", ".join(f"{k} {v:.1f}" for k, v in self.seconds.items()),
            "Lâu nhất (s, hai phiên song song): " + ", ".join(f"{k} {v:.1f}" for k, v in self.slowest),
        ]
        return "\n".join(lines)


class _Progress:
    """tqdm writes '\\r' frames; Django's OutputWrapper would add a newline to each."""

    def __init__(self, out: Any) -> None:
        self.out = out

    def write(self, s: str) -> None:
        if hasattr(self.out, "ending"):
            self.out.write(s, ending="")
        else:
            self.out.write(s)

    def flush(self) -> None:
        self.out.flush()


# ---------------------------------------------------------------- context for the member planner


def build_context(m: NationalMap, *, seed: int, today: dt.date, persons: int) -> nm.Context:
    L = m.ledger
    ids = sorted(L.weight)
    index = {org: i for i, org in enumerate(ids)}
    starts = [L.versions[o][0].start.toordinal() for o in ids]
    ends = [L.versions[o][-1].end.toordinal() for o in ids]
    provinces = [L.province[o] for o in ids]
    weights = [L.weight[o] for o in ids]
    successor: list[tuple[int, ...]] = []
    lineage: list[str] = []
    for o in ids:
        if o in L.successor:
            targets, ev = L.successor[o]
            successor.append(tuple(index[t] for t in targets))
            _, _, ref, ref_on, _ = L.events[ev]
            lineage.append(nm.lineage_middle(ev, ref, ref_on))
        else:
            successor.append(())
            lineage.append("")
    cum, acc = [], 0.0
    for w in weights:
        acc += w
        cum.append(acc)
    by_province: list[list[int]] = [[] for _ in geo.PROVINCES]
    for i, p in enumerate(provinces):
        by_province[p].append(i)
    cum_by_province = []
    for lst in by_province:
        c, a = [], 0.0
        for i in lst:
            a += weights[i]
            c.append(a)
        cum_by_province.append(c)
    units = nm.Units(
        org=ids,
        start=starts,
        end=ends,
        province=provinces,
        private=[L.versions[o][0].sector == Sector.PRIVATE_ENTERPRISE for o in ids],
        successor=successor,
        lineage=lineage,
        cum=cum,
        by_province=by_province,
        cum_by_province=cum_by_province,
    )
    rng = random.Random(f"dangvu-national-names-{seed}")
    pool = {
        # (name, folded, Member.name_sort): the search and sort columns, computed once per name of the pool
        g: [(n, fold(n), person_sort_text(n)) for n in (nfc(names.person_name(rng, g)) for _ in range(20_000))]
        for g in ("male", "female")
    }
    places: list[list[str]] = [[] for _ in geo.PROVINCES]
    for d in m.districts:
        prov = geo.PROVINCES[d.province]
        dname = L.versions[d.org][0].name.removeprefix("Đảng bộ ")
        for kid in L.kids[d.org]:
            v = L.versions[kid][0]
            if v.sector == Sector.COMMUNE_WARD and v.kind == OrgKind.GRASSROOTS_COMMITTEE:
                places[d.province].append(
                    f"{v.name.removeprefix('Đảng bộ ')}, {dname}, {'thành phố' if prov.city else 'tỉnh'} {prov.name}"
                )
    ethnic = [(0.6, geo.MOUNTAIN_ETHNIC) if p.code in geo.MOUNTAIN else geo.ETHNIC[p.region] for p in geo.PROVINCES]
    ctx = nm.Context(
        seed=seed,
        today=today.toordinal(),
        reform=REFORM.toordinal(),
        persons=persons,
        chunk=CHUNK,
        units=units,
        names=pool,
        prov_prefix=[f"0{p.code:02d}" for p in geo.PROVINCES],
        prov_region=[p.region for p in geo.PROVINCES],
        places=places,
        ethnic=ethnic,
        religions=[geo.RELIGIONS[p.region] for p in geo.PROVINCES],
        occupations=[o for o, w in geo.OCCUPATIONS for _ in range(w)],
        professions=geo.PROFESSIONS,
        degrees=geo.DEGREES,
    )
    ctx.prepare()
    return ctx


def calibrate(ctx: nm.Context, target: int) -> int:
    """How many people to plan so that `target` are members today: the share still in the party
    today, measured on a pilot of 40,000 people drawn from a seed of its own."""
    pilot = nm.Context(**{**ctx.__dict__, "seed": ctx.seed + 7_777_777, "persons": 40_000, "chunk": 40_000})
    nm.init(pilot)
    try:
        c = nm.make_chunk(0)
    finally:
        nm.init(ctx)
    share = (c.official + c.probationary) / c.persons
    return round(target / share)


# ---------------------------------------------------------------- loading


def _ensure_empty(cur: Any) -> list[str]:
    """The tables to truncate: ours and every table that references them (TRUNCATE … CASCADE would
    empty those too), each checked empty first."""
    cur.execute(
        """
        WITH RECURSIVE refs(rel) AS (
            SELECT c.oid FROM pg_class c WHERE c.relname = ANY(%s) AND c.relkind = 'r'
            UNION
            SELECT con.conrelid FROM pg_constraint con JOIN refs ON con.confrelid = refs.rel WHERE con.contype = 'f'
        ) SELECT rel::regclass::text FROM refs
        """,
        [LOAD_TABLES],
    )
    tables = sorted(r[0] for r in cur.fetchall())
    for t in tables:
        cur.execute(f"SELECT EXISTS (SELECT 1 FROM {t})")
        if cur.fetchone()[0]:
            raise CommandError(f"Bảng {t} đã có dữ liệu; hồ sơ toàn quốc cần một cơ sở dữ liệu trống.")
    return tables


def _copy(cur: Any, table: str, columns: str, data: bytes) -> None:
    with cur.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FREEZE)") as cp:
        cp.write(data)


def _batched(lines: Iterable[str], size: int = 400_000) -> Iterable[bytes]:
    buf: list[str] = []
    for line in lines:
        buf.append(line)
        if len(buf) >= size:
            yield "".join(buf).encode()
            buf = []
    if buf:
        yield "".join(buf).encode()


def _d(d: dt.date | None) -> str:
    return d.isoformat() if d else "\\N"


def _load_orgs(cur: Any, m: NationalMap, s: NationalSummary) -> None:
    L = m.ledger
    _copy(cur, "orgs_organization", "id, code", "".join(f"{i}\t{c}\n" for i, c in enumerate(L.codes) if i).encode())
    _copy(
        cur,
        "orgs_lineageevent",
        "id, kind, effective_on, decision_ref, decision_on, note",
        "".join(
            f"{i}\t{k}\t{on.isoformat()}\t{ref}\t{_d(ref_on)}\t{note}\n"
            for i, (k, on, ref, ref_on, note) in enumerate(L.events)
            if i
        ).encode(),
    )
    for data in _batched(f"{ev}\t{org}\t{role}\n" for ev, org, role in L.links):
        _copy(cur, "orgs_lineagelink", "event_id, organization_id, role", data)
    folded: dict[str, str] = {}
    keys: dict[str, str] = {}  # OrgVersion.name_sort, as the model fills it

    def version_lines() -> Iterable[str]:
        vid = 0
        for org, vs in enumerate(L.versions):
            for v in vs:
                vid += 1
                f = folded.get(v.name) or folded.setdefault(v.name, fold(v.name))
                key = keys.get(v.name) or keys.setdefault(v.name, sort_key(v.name))
                parent = v.parent if v.parent is not None else "\\N"
                yield (
                    f"{vid}\t{v.start.isoformat()}\t{v.end.isoformat()}\t{v.name}\t{f}\t{key}\t"
                    f"{v.kind}\t{v.sector}\t"
                    f"{v.event}\t{org}\t{parent}\n"
                )
        s.versions = vid

    for data in _batched(version_lines()):
        _copy(
            cur,
            "orgs_orgversion",
            "id, valid_from, valid_to, name, name_folded, name_sort, kind, sector, event_id, organization_id, "
            "parent_id",
            data,
        )
    s.organizations, s.lineage_events = L.count, len(L.events) - 1


def _load_ancestry(cur: Any, m: NationalMap, s: NationalSummary) -> None:
    dates: dict[dt.date, str] = {}

    def iso(d: dt.date) -> str:
        return dates.get(d) or dates.setdefault(d, d.isoformat())

    n = 0

    def lines() -> Iterable[str]:
        nonlocal n
        for org, anc, depth, kind, start, end in m.ledger.ancestry():
            n += 1
            yield f"{depth}\t{kind}\t{iso(start)}\t{iso(end)}\t{anc}\t{org}\n"

    for data in _batched(lines()):
        _copy(cur, "orgs_organcestry", "depth, ancestor_kind, valid_from, valid_to, ancestor_id, organization_id", data)
    s.ancestry_rows = n


def _check_sample(cur: Any, m: NationalMap) -> int:
    """Read back 1 member in SAMPLE_EVERY and hold the history to the rules: derive() accepts it and gives
    the stored spans; admissions pass the age check; every event's unit was a branch live that day."""
    L = m.ledger
    cur.execute(f"SELECT id, birth_date FROM members_member WHERE id % {SAMPLE_EVERY} = 1")
    births = dict(cur.fetchall())
    cur.execute(
        'SELECT member_id, kind, "on", organization_id, ceremony_on, until, approval_ref, reviewed_on '
        f'FROM members_memberevent WHERE member_id % {SAMPLE_EVERY} = 1 ORDER BY member_id, "on", id'
    )
    events: dict[int, list[Event]] = defaultdict(list)
    for mid, kind, on, org, ceremony, until, approval, reviewed in cur.fetchall():
        events[mid].append(Event(kind, on, org, ceremony, until, approval, reviewed))
    cur.execute(
        "SELECT member_id, organization_id, status, valid_from, valid_to FROM members_membershipspan "
        f"WHERE member_id % {SAMPLE_EVERY} = 1 ORDER BY member_id, valid_from, id"
    )
    spans: dict[int, list[tuple[int, str, dt.date, dt.date]]] = defaultdict(list)
    for mid, org, status, start, end in cur.fetchall():
        spans[mid].append((org, status, start, end))
    for mid, birth in births.items():
        evs = events[mid]
        history = derive(evs)  # raises LifecycleError on a broken rule
        got = [(sp.org_id, str(sp.status), sp.period.start, sp.period.end) for sp in history.spans]
        if got != spans[mid]:
            raise RuntimeError(f"DV{mid:08d}: khoảng sinh hoạt khác với derive(): {spans[mid]} ≠ {got}")
        for e in evs:
            if e.kind in (EventKind.ADMISSION, EventKind.READMISSION):
                age_check(birth, e.reviewed_on or e.on, approval_ref=e.approval_ref)
            if e.org_id is not None:
                v = L.current(e.org_id, e.on)
                if v.kind not in MEMBER_HOLDING_KINDS:
                    raise RuntimeError(f"DV{mid:08d}: {e.kind} ngày {e.on} vào '{v.name}' không phải chi bộ.")
    return len(births)


# ---------------------------------------------------------------- the command's entry point


def generate_national(
    *,
    seed: int,
    members: int | None = None,
    today: dt.date | None = None,
    workers: int = 2,
    out: IO[str] | Any = None,
) -> NationalSummary:
    from tqdm import tqdm

    out = out or sys.stdout
    if connection.vendor != "postgresql":
        raise CommandError(
            "Hồ sơ toàn quốc (--profile national) chỉ chạy trên PostgreSQL: dữ liệu được nạp bằng COPY. "
            f"Cơ sở dữ liệu hiện tại là {connection.vendor}; hãy đặt "
            "DANGVU_DATABASE_URL=postgresql://người_dùng@máy:cổng/tên_csdl rồi chạy 'dangvu migrate'."
        )
    today = today or dt.date.today()
    target = members or TARGET_MEMBERS
    s = NationalSummary(seed, today)
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        s.seconds[name] = now - clock
        clock = now

    def say(msg: str) -> None:
        out.write(msg)
        out.flush()

    if connection.in_atomic_block:
        raise CommandError("Hồ sơ toàn quốc tự quản lý giao dịch của mình; không gọi nó bên trong một giao dịch.")
    with connection.cursor() as cur:
        _ensure_empty(cur)
    say("Lập bản đồ tổ chức 1976–nay …")
    m = build_map(seed, reform=today >= REFORM)
    s.before = stats(m, min(today, REFORM) - dt.timedelta(days=1))
    s.after = stats(m, today)
    ctx = build_context(m, seed=seed, today=today, persons=0)
    ctx.persons = calibrate(ctx, target)
    s.persons = ctx.persons
    lap("bản đồ")
    say(f"Lập {fmt_int(ctx.persons)} hồ sơ đảng viên ({workers} tiến trình), nạp bằng COPY …")
    nm.init(ctx)
    connections.close_all()  # the workers are forked: they must not share the parent's connection
    pool = mp.get_context("fork").Pool(max(workers, 1), initializer=nm.init, initargs=(ctx,))
    try:
        with transaction.atomic(), connection.cursor() as wrapper:
            cur = wrapper.cursor  # psycopg's cursor, for COPY
            cur.execute("SET LOCAL work_mem = '256MB'")
            tables = _ensure_empty(cur)
            secondary = ni.read_secondary(cur, LOAD_TABLES)
            cur.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY")  # checked empty; enables FREEZE
            for stmt in secondary.drops:
                cur.execute(stmt)
            pending: list[Any] = []
            chunks = iter(range(ctx.chunks))
            for c in chunks:  # keep the workers busy while the organizations load
                pending.append(pool.apply_async(nm.make_chunk, (c,)))
                if len(pending) >= 2 * workers + 2:
                    break
            _load_orgs(cur, m, s)
            _load_ancestry(cur, m, s)
            lap("tổ chức")
            bar = tqdm(total=ctx.persons, file=_Progress(out), unit=" người", unit_scale=True, mininterval=2)
            while pending:
                chunk: nm.Chunk = pending.pop(0).get()
                nxt = next(chunks, None)
                if nxt is not None:
                    pending.append(pool.apply_async(nm.make_chunk, (nxt,)))
                _copy(cur, "members_member", nm.MEMBER_COLUMNS, chunk.members)
                _copy(cur, "members_memberevent", nm.EVENT_COLUMNS, chunk.events)
                _copy(cur, "members_membershipspan", nm.SPAN_COLUMNS, chunk.spans)
                s.member_events += chunk.n_events
                s.spans += chunk.n_spans
                s.official += chunk.official
                s.probationary += chunk.probationary
                bar.update(chunk.persons)
            bar.close()
            pool.close()
            for t in LOAD_TABLES:
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), COALESCE((SELECT MAX(id) FROM {t}), 0) + 1, "
                    "false)"
                )
        lap("đảng viên")
    finally:
        pool.terminate()
        pool.join()
    # Committed, without the secondary indexes and constraints: built now on sessions of their own (national_indexes),
    # the stored alerts rebuilt while the foreign keys are checked. A failure from here leaves the tables empty.
    with connection.cursor() as cur:
        try:
            say("Lập chỉ mục và ràng buộc (hai phiên song song), cảnh báo lưu sẵn …")
            seconds, s.alerts = ni.rebuild(
                cur, secondary, parallel=2, analyze=LOAD_TABLES, alongside=lambda: rebuild_alerts(on=today)
            )
            s.slowest = sorted(seconds.items(), key=lambda kv: -kv[1])[:6]
            lap("chỉ mục, cảnh báo")
            with transaction.atomic():
                s.checked = _check_sample(cur, m)
                audit(
                    actor=GENERATOR,
                    action="synth_national",
                    object_type="members.member",
                    object_id=f"{s.persons} rows",
                    after={
                        "seed": seed,
                        "today": today.isoformat(),
                        "members": s.persons,
                        "organizations": s.organizations,
                    },
                )
            lap("kiểm tra")
        except BaseException:
            connection.close()  # a statement may have been cut short: a fresh session for the repair
            with connection.cursor() as repair:
                ni.restore_empty(repair, tables, secondary)
                repair.execute("DELETE FROM work_duecoverage")  # work_due references the tables: emptied with them
            raise
    return s
