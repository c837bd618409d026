"""Member histories for the national profile, planned in worker processes and written as COPY text.

Same life as the district planner (dangvu.synth.district.MemberPlanner), drawn in fewer steps so that
7 million people fit in minutes: instead of walking year by year, each person's next death, move,
exit, exemption and transfer are drawn as waiting times (the same yearly rates), and the person follows
their branch when it is split, merged, absorbed or dissolved (transfer with the lineage event, as
orgs.services._relocate records it). Spans are derived from the events with derive()'s rules
(span_rows mirrors domain.membership.derive; a sample is checked against derive itself).

Chunk c holds members c*chunk+1 … (c+1)*chunk and draws from Random(seed, c): the output does not
depend on the number of worker processes. Dates are day ordinals; lines are COPY text format.
No Django here: workers only compute.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
from dataclasses import dataclass, field

from dangvu.domain.membership import AdmissionCategory, EventKind, Status
from dangvu.domain.periods import OPEN_END

ADM, REC, TIN, TOUT = EventKind.ADMISSION, EventKind.RECOGNITION, EventKind.TRANSFER_IN, EventKind.TRANSFER_OUT
EXEMPT, DEATH, READMIT = EventKind.EXEMPTION, EventKind.DEATH, EventKind.READMISSION
REMOVAL, EXPULSION, RESIGNATION = EventKind.REMOVAL, EventKind.EXPULSION, EventKind.RESIGNATION
ORDER = {k: i for i, k in enumerate(EventKind)}  # derive() sorts a day's events in this order
EXITS = frozenset({REMOVAL, EXPULSION, RESIGNATION, DEATH})

BASE = dt.date(1900, 1, 1).toordinal()
LAST = dt.date(2101, 1, 1).toordinal()
OPEN = OPEN_END.toordinal()
FOUNDED = dt.date(1976, 1, 1).toordinal()
NULL = "\\N"
YEAR = 365.25
INF = 10**9

# Yearly rates, as in the district planner (per day here).
DEATH_BANDS = [
    (int(lo * YEAR), int(hi * YEAR), rate / YEAR)
    for lo, hi, rate in [(0, 50, 0.001), (50, 70, 0.006), (70, 80, 0.03), (80, 90, 0.08), (90, 200, 0.2)]
]
OUT_RATE = 0.002 / YEAR  # transfer outside the organizations held here (army, police, abroad)
EXIT_RATE = 0.0012 / YEAR  # removal, expulsion, resignation
MOVE_RATE = 0.015 / YEAR  # transfer to another branch (three in four within the province)
EXEMPT_RATE = 0.05 / YEAR  # from 70 years of age, once
OUTSIDE = [
    "Đảng bộ Quân đội",
    "Đảng bộ Công an Trung ương",
    "Đảng bộ Ngoài nước",
    "Đảng bộ Khối các cơ quan Trung ương",
]
POLITICAL = [
    "",
    "",
    "",
    "elementary",
    "elementary",
    "elementary",
    "intermediate",
    "intermediate",
    "advanced",
    "bachelor",
]


@dataclass
class Units:
    """Member-holding units (branches and grassroots branches), by index."""

    org: list[int]
    start: list[int]
    end: list[int]
    province: list[int]
    private: list[bool]
    successor: list[tuple[int, ...]]  # unit indexes the members go to when the unit ends
    lineage: list[str]  # the middle columns of the transfer that follows the unit's end (see lineage_middle)
    cum: list[float]  # cumulative weights, all units
    by_province: list[list[int]]
    cum_by_province: list[list[float]]


@dataclass
class Context:
    seed: int
    today: int
    reform: int
    persons: int
    chunk: int
    units: Units
    names: dict[str, list[tuple[str, str, str]]]  # gender -> [(name, folded, name_sort)]
    prov_prefix: list[str]  # "001": the citizen ID's province digits
    prov_region: list[str]
    places: list[list[str]]  # per province: "xã X, huyện Y, tỉnh Z"
    ethnic: list[tuple[float, tuple[str, ...]]]
    religions: list[tuple[str, ...]]
    occupations: list[str]
    professions: list[str]
    degrees: list[str]
    dates: list[str] = field(default_factory=list)  # ordinal - BASE -> "YYYY-MM-DD"
    plus_year: list[int] = field(default_factory=list)  # ordinal - BASE -> official_date()'s ordinal

    @property
    def chunks(self) -> int:
        return -(-self.persons // self.chunk)

    def prepare(self) -> None:
        """Date tables: 'YYYY-MM-DD' and official_date (12 months later, 29/02 -> 28/02) by ordinal."""
        self.dates, self.plus_year = [], []
        for o in range(BASE, LAST):
            d = dt.date.fromordinal(o)
            self.dates.append(d.isoformat())
            nxt = dt.date(d.year + 1, 2, 28) if (d.month, d.day) == (2, 29) else d.replace(year=d.year + 1)
            self.plus_year.append(nxt.toordinal())


@dataclass
class Chunk:
    index: int
    members: bytes
    events: bytes
    spans: bytes
    persons: int
    n_events: int
    n_spans: int
    official: int  # on today
    probationary: int


CTX: Context | None = None


def init(ctx: Context) -> None:
    """Pool initializer (with fork the context is inherited, not pickled)."""
    global CTX
    CTX = ctx


def span_rows(events: list[tuple[int, int, str, int]]) -> list[tuple[int, str, int, int]]:
    """(unit, status, start, end) from (day, order, kind, unit) sorted by (day, order): derive()'s rules for
    the kinds this planner writes (admission, recognition, transfers, exemption, exits, readmission)."""
    out: list[tuple[int, str, int, int]] = []
    member = False
    unit = -1
    status = Status.PROBATIONARY
    start = -1
    for on, _, kind, u in events:
        if kind == ADM or kind == READMIT:
            member, status, unit, start = True, Status.PROBATIONARY, u, on
        elif kind == REC:
            if unit >= 0 and 0 <= start < on:
                out.append((unit, status, start, on))
            status, start = Status.OFFICIAL, on
        elif kind == TIN or kind == TOUT:
            if unit >= 0 and 0 <= start < on:
                out.append((unit, status, start, on))
            unit, start = (u if kind == TIN else -1), on
        elif kind in EXITS and member:
            if unit >= 0 and 0 <= start < on:
                out.append((unit, status, start, on))
            member, unit, start = False, -1, -1
    if member and unit >= 0 and start >= 0:
        out.append((unit, status, start, OPEN))
    return out


def make_chunk(c: int) -> Chunk:
    ctx = CTX
    assert ctx is not None, "init() first"
    U = ctx.units
    rng = random.Random(ctx.seed * 1_000_003 + c)
    r = rng.random
    log = math.log
    bis = bisect.bisect
    D = ctx.dates
    P12 = ctx.plus_year
    today, reform = ctx.today, ctx.reform
    today_year = dt.date.fromordinal(today).year
    ustart, uend, uorg, uprov, upriv, usucc, ulin = U.start, U.end, U.org, U.province, U.private, U.successor, U.lineage
    cum, total = U.cum, U.cum[-1]
    bprov, cprov = U.by_province, U.cum_by_province
    names_m, names_f = ctx.names["male"], ctx.names["female"]
    nm, nf = len(names_m), len(names_f)
    chunks = ctx.chunks
    counters: dict[tuple[int, int, int], int] = {}
    mem: list[str] = []
    evl: list[str] = []
    spl: list[str] = []
    n_official = n_prob = 0

    def expo(rate: float) -> int:
        return 1 + int(-log(1.0 - r()) / rate)

    def pick(on: int, prov: int = -1, exclude: int = -1) -> int:
        """A unit live on the day, by weight (three in four within prov when given)."""
        if on < FOUNDED:
            return -1
        for _ in range(8):
            if prov >= 0 and r() < 0.75:
                cp = cprov[prov]
                u = bprov[prov][bis(cp, r() * cp[-1])]
            else:
                u = bis(cum, r() * total)
            if ustart[u] <= on < uend[u] and u != exclude:
                return u
        n = len(ustart)
        k = int(r() * n)
        for i in range(n):  # rare: scan from a random place
            u = (k + i) % n
            if ustart[u] <= on < uend[u] and u != exclude:
                return u
        return -1

    def terminal(t: int, birth: int) -> tuple[int, str]:
        when, kind = INF, DEATH
        cur = t
        for lo, hi, rate in DEATH_BANDS:
            bs, be = birth + lo, birth + hi
            if cur >= be:
                continue
            x = max(cur, bs) + expo(rate)
            if x < be:
                when = x
                break
            cur = be
        x = t + expo(OUT_RATE)
        if x < when:
            when, kind = x, TOUT
        x = t + expo(EXIT_RATE)
        if x < when:
            when, kind = x, REMOVAL
        return when, kind

    def ref(kind: str, on: int) -> str:
        return f"{1 + int(r() * 999)}-{kind}/{'ĐU' if on >= reform else 'HU'}"

    first = c * ctx.chunk + 1
    last = min((c + 1) * ctx.chunk, ctx.persons)
    for mid in range(first, last + 1):
        male = r() < 0.64
        # Admission: the standing stock from before 2008, then a steady flow (as the district planner).
        if r() < 0.6:
            year = int(rng.triangular(1965, 2008, 2004))
        else:
            year = 2008 + int(r() * (today_year - 2007))
        y0 = dt.date(year, 1, 1).toordinal()
        y1 = min(y0 + 364, today - 40)
        if y1 <= y0:
            y0 = y1 - 300
        decided = y0 + int(r() * max(y1 - y0, 1))
        age = int(rng.triangular(18, 50, 24))
        birth = decided - (age * 365 + 40 + int(r() * 291))
        reviewed = decided - 15 - int(r() * 36)
        if reviewed - birth < 18 * 366:
            birth = reviewed - 18 * 366 - 30 - int(r() * 371)
        ceremony = decided + 7 + int(r() * 34)
        official = P12[ceremony - BASE]
        category = AdmissionCategory.GENERAL
        x = r()
        if year >= 2008:
            if x < 0.05 and age <= 19:
                category = AdmissionCategory.HIGH_SCHOOL_STUDENT
            elif x < 0.10:
                category = AdmissionCategory.PRE_ENLISTMENT
            elif x < 0.14:
                category = AdmissionCategory.STUDENT
            elif x < 0.20:
                category = AdmissionCategory.PRIVATE_ENTERPRISE_WORKER
            elif x < 0.23:
                category = AdmissionCategory.RELIGIOUS
        adm_tail = f"{D[decided - BASE]}\t{D[ceremony - BASE]}\t{D[reviewed - BASE]}\t{NULL}\t{category}\t\t\t\t{NULL}"
        evs: list[tuple[int, int, str, int, str]] = []  # (day, order, kind, unit, middle columns)
        u = pick(decided)
        forced = -1  # a removal at the end of probation
        decided_official = INF
        if u < 0 or r() < 0.04:
            # Admitted elsewhere (before 1976, in the army, abroad …), arrives here later by transfer.
            base = max(FOUNDED, ceremony + 400)
            arrive = base + int(r() * 730) if decided < FOUNDED else base + int(r() * max(today - 30 - base, 1))
            u = pick(arrive) if arrive < today - 30 else -1
            if u >= 0:
                evs.append((decided, 0, ADM, -1, f"{1 + int(r() * 999)}-QĐ/HU\t{adm_tail}"))
                evs.append((official, 1, REC, -1, f"{1 + int(r() * 999)}-QĐ/HU\t{D[official + 20 - BASE]}{REC_TAIL}"))
                evs.append(
                    (
                        arrive,
                        2,
                        TIN,
                        u,
                        f"{1 + int(r() * 999)}-GCT/TU\t{NULL}{TIN_MID}{OUTSIDE[int(r() * 4)]}\t\t{NULL}",
                    )
                )
                t = arrive
            else:  # too recent to have arrived: admitted here after all
                u = pick(decided)
        if not evs:
            evs.append((decided, 0, ADM, u, f"{ref('QĐ', decided)}\t{adm_tail}"))
            t = decided
            if official <= today and r() < 0.015:
                forced = official + 15
            else:
                decided_official = official + int(r() * 41)
        # Life: the earliest of death, leaving, exits; moves, exemption and the unit's own end on the way.
        prov = uprov[u]
        T, tkind = terminal(t, birth)
        if forced >= 0:
            T, tkind = min(T, forced), (REMOVAL if forced <= T else tkind)
        elif decided_official <= today and t == decided and official < T:  # recognized while still a member
            evs.append((official, 1, REC, -1, f"{ref('QĐ', official)}\t{D[decided_official - BASE]}{REC_TAIL}"))
        next_move = t + expo(MOVE_RATE)
        seventy = birth + int(70 * YEAR)
        exempt_at = max(t, seventy) + expo(EXEMPT_RATE)
        readmit_ok = forced < 0
        last_day = t
        while True:
            ue = uend[u]
            nt = min(T, ue, next_move, exempt_at)
            if nt >= today:
                break
            if nt == T:
                if tkind == DEATH:
                    evs.append((T, 10, DEATH, -1, EMPTY_MID))
                    break
                if tkind == TOUT:
                    evs.append(
                        (
                            T,
                            3,
                            TOUT,
                            -1,
                            f"{1 + int(r() * 999)}-GCT/TU\t{NULL}{TIN_MID}{OUTSIDE[int(r() * 4)]}\t\t{NULL}",
                        )
                    )
                    break
                if T == forced:
                    evs.append(
                        (
                            T,
                            7,
                            REMOVAL,
                            -1,
                            f"{ref('QĐ', T)}{REMOVAL_MID}Không đủ điều kiện công nhận chính thức\t{NULL}",
                        )
                    )
                    break
                kind = (REMOVAL, REMOVAL, EXPULSION, RESIGNATION)[int(r() * 4)]
                evs.append((T, ORDER[kind], kind, -1, f"{1 + int(r() * 999)}-QĐ/UBKT{REMOVAL_MID}\t{NULL}"))
                back = T + 37 * 31 + int(r() * 23 * 31)
                if kind == REMOVAL and readmit_ok and r() < 0.1 and back < today - 60:
                    u2 = pick(back, prov)
                    if u2 >= 0:
                        cer = back + 20
                        evs.append(
                            (
                                back, 11, READMIT, u2,
                                f"{ref('QĐ', back)}\t{D[back - BASE]}\t{D[cer - BASE]}\t{D[back - 20 - BASE]}\t{NULL}\t"
                                f"\t{1 + int(r() * 99)}-CV/TU\t\t\t{NULL}",
                            )
                        )  # fmt: skip
                        u, t, readmit_ok, last_day = u2, back, False, back
                        T, tkind = terminal(back, birth)
                        off2 = P12[cer - BASE]
                        dec2 = off2 + int(r() * 41)
                        if off2 < T and dec2 <= today:
                            evs.append((off2, 1, REC, -1, f"{ref('QĐ', off2)}\t{D[dec2 - BASE]}{REC_TAIL}"))
                        next_move = back + expo(MOVE_RATE)
                        exempt_at = max(back, seventy) + expo(EXEMPT_RATE) if exempt_at < INF else INF
                        continue
                break
            if nt == ue:  # the branch ends: follow it (split, merge, absorption, dissolution)
                succ = usucc[u]
                v = succ[int(r() * len(succ))] if succ else pick(ue, prov, u)
                if v < 0 or not ustart[v] <= ue < uend[v]:
                    raise RuntimeError(f"unit {uorg[u]} ends on day {ue} with nowhere for its members to go")
                middle = ulin[u] if succ else f"{ref('GCT', ue)}\t{NULL}{TIN_MID}\t\t{NULL}"
                evs.append((ue, 2, TIN, v, middle))
                u, last_day = v, ue
                continue
            if nt == next_move:
                if not upriv[u] and nt > last_day:
                    v = pick(nt, uprov[u], u)
                    if v >= 0:
                        evs.append((nt, 2, TIN, v, f"{ref('GCT', nt)}\t{D[nt - 3 - BASE]}{TIN_MID}\t\t{NULL}"))
                        u, last_day = v, nt
                next_move = nt + expo(MOVE_RATE)
                continue
            # exemption
            if nt > last_day:
                evs.append((nt, 5, EXEMPT, -1, f"{ref('QĐ', nt)}{REMOVAL_MID}Tuổi cao, sức yếu\t{NULL}"))
                last_day = nt
            exempt_at = INF
        evs.sort(key=lambda e: (e[0], e[1]))
        spans = span_rows([(e[0], e[1], e[2], e[3]) for e in evs])
        official_ever = False
        for on, _, ev_kind, ev_u, middle in evs:
            if ev_kind == REC:
                official_ever = True
            evl.append(f"{ev_kind}\t{D[on - BASE]}\t{middle}\t{mid}\t{uorg[ev_u] if ev_u >= 0 else NULL}\n")
        if spans and spans[-1][3] == OPEN:
            if spans[-1][1] == Status.OFFICIAL:
                n_official += 1
            else:
                n_prob += 1
        # The profile.
        first_prov = uprov[next((e[3] for e in evs if e[3] >= 0), u)]
        gender = "male" if male else "female"
        name, folded, name_sort = names_m[int(r() * nm)] if male else names_f[int(r() * nf)]
        for su, status, s0, s1 in spans:  # with the name beside each span (members.search, scope first)
            spl.append(
                f"{status}\t{D[s0 - BASE]}\t{D[s1 - BASE] if s1 != OPEN else '9999-12-31'}\t{mid}\t{uorg[su]}\t"
                f"{folded}\t{name_sort}\n"
            )
        by = dt.date.fromordinal(birth).year
        cg = (0 if by < 2000 else 2) + (0 if male else 1)
        key = (first_prov, cg, by % 100)
        n = counters.get(key, 0)
        counters[key] = n + 1
        serial = n * chunks + c
        if serial >= 1_000_000:
            raise RuntimeError("citizen ID space exhausted for one province/year; use smaller chunks")
        cid = f"{ctx.prov_prefix[first_prov]}{cg}{by % 100:02d}{(serial * 7919 + 123_457) % 1_000_000:06d}"
        card = f"{(mid * 104_729 + 10_000_000) % 100_000_000:08d}" if official_ever else NULL
        share, groups = ctx.ethnic[first_prov]
        ethnicity = groups[int(r() * len(groups))] if r() < share else "Kinh"
        religion = ctx.religions[first_prov][int(r() * len(ctx.religions[first_prov]))] if r() < 0.08 else ""
        places = ctx.places[first_prov]
        intro = f"{names_m[int(r() * nm)][0]}, {names_f[int(r() * nf)][0]}"
        youth = birth + int(16 * YEAR) + int(r() * 1500)
        youth_s = D[youth - BASE] if by >= 1955 and youth < decided - 30 and r() < 0.85 else NULL
        mem.append(
            f"{mid}\tDV{mid:08d}\t{name}\t{folded}\t\t{gender}\t{D[birth - BASE]}\t{places[int(r() * len(places))]}\t"
            f"{ethnicity}\t{religion}\t{places[int(r() * len(places))]}\t\t"
            f"{VILLAGES[int(r() * 4)]} {1 + int(r() * 20)}, {places[int(r() * len(places))]}\t"
            f"{cid}\t{card}\t{ctx.prov_prefix[first_prov][1:]}{mid:08d}\t09{int(r() * 100_000_000):08d}\t"
            f"{'12/12' if by > 1960 else '10/10'}\t"
            f"{ctx.professions[int(r() * len(ctx.professions))] if r() < 0.7 else ''}\t"
            f"{ctx.degrees[int(r() * len(ctx.degrees))]}\t{POLITICAL[int(r() * 10)]}\t"
            f"{ctx.occupations[int(r() * len(ctx.occupations))]}\t{youth_s}\t{intro}\t{NULL}\t{name_sort}\n"
        )
    return Chunk(
        c,
        "".join(mem).encode(),
        "".join(evl).encode(),
        "".join(spl).encode(),
        last - first + 1,
        len(evl),
        len(spl),
        n_official,
        n_prob,
    )


# Column tails shared by several event kinds (decision_ref is written first by the caller):
# decided_on, ceremony_on, reviewed_on, until, category, approval_ref, counterpart, note, lineage_event_id.
REC_TAIL = f"\t{NULL}\t{NULL}\t{NULL}\t\t\t\t\t{NULL}"
TIN_MID = f"\t{NULL}\t{NULL}\t{NULL}\t\t\t"  # after decided_on, up to counterpart
REMOVAL_MID = f"\t{NULL}\t{NULL}\t{NULL}\t{NULL}\t\t\t\t"  # after decision_ref, up to note
EMPTY_MID = f"\t{NULL}\t{NULL}\t{NULL}\t{NULL}\t\t\t\t\t{NULL}"
VILLAGES = ["Thôn", "Tổ dân phố", "Khu phố", "Xóm"]

MEMBER_COLUMNS = (
    "id, code, full_name, full_name_folded, birth_name, gender, birth_date, birth_place, ethnicity, religion, "
    "hometown, hometown_old, residence, citizen_id, card_number, dossier_number, phone, general_education, "
    "professional_education, degree, political_theory, occupation, youth_union_on, introducers, "
    "party_age_confirmed_from, name_sort"
)
EVENT_COLUMNS = (
    'kind, "on", decision_ref, decided_on, ceremony_on, reviewed_on, until, category, approval_ref, counterpart, '
    "note, lineage_event_id, member_id, organization_id"
)
SPAN_COLUMNS = "status, valid_from, valid_to, member_id, organization_id, name_folded, name_sort"


def lineage_middle(event_id: int, decision_ref: str, decided_on: dt.date | None) -> str:
    """A transfer caused by a lineage event, as orgs.services._relocate records it."""
    decided = decided_on.isoformat() if decided_on else NULL
    return f"{decision_ref}\t{decided}{TIN_MID}\t\t{event_id}"
