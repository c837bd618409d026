"""Member histories planned against the organization history: each member follows their unit when it
is merged or absorbed, and every history obeys the lifecycle rules (members_load checks them again)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from dangvu.domain import names
from dangvu.domain.membership import AdmissionCategory, EventKind, official_date
from dangvu.domain.orgtree import LineageKind, OrgKind, Sector
from dangvu.orgs.models import LineageEvent, LineageLink, OrgVersion

from .pools import FOUNDED, OCCUPATIONS, PROFESSIONS, PROVINCES, VILLAGES, WARDS, _d


@dataclass
class Unit:
    """A member-holding unit (chi bộ) with its life span, where its members go when it ends, and a weight."""

    org_id: int
    start: dt.date
    end: dt.date
    weight: float
    successor: int | None = None
    successor_event: int | None = None
    sector: str = ""


def member_units(today: dt.date) -> dict[int, Unit]:
    """Member-holding units with their life spans and where their members go when they end."""
    units: dict[int, Unit] = {}
    for v in OrgVersion.objects.filter(kind__in=[OrgKind.BRANCH, OrgKind.GRASSROOTS_BRANCH]).order_by(
        "valid_from", "organization__code"
    ):
        u = units.get(v.organization_id)
        if u is None:
            units[v.organization_id] = Unit(v.organization_id, v.valid_from, v.valid_to, 0.0, sector=v.sector)
        else:
            u.end = max(u.end, v.valid_to)
    successors: dict[int, tuple[list[int], int]] = {}
    for link in (
        LineageLink.objects.filter(role=LineageLink.Role.SOURCE)
        .order_by("event__effective_on", "event_id", "organization__code")
        .exclude(event__kind__in=[LineageKind.RENAMED, LineageKind.MOVED])
        .select_related("event")
    ):
        targets = list(
            LineageLink.objects.filter(event_id=link.event_id, role=LineageLink.Role.TARGET)
            .order_by("organization__code")
            .values_list("organization_id", flat=True)
        )
        successors[link.organization_id] = (targets, link.event_id)
    for u in units.values():
        if u.org_id in successors:
            targets, ev = successors[u.org_id]
            u.successor = targets[0] if targets else None
            u.successor_event = ev
    return units


@dataclass
class Person:
    profile: dict[str, Any]
    events: list[dict[str, Any]]


class MemberPlanner:
    """Plans realistic member histories against the organization history (all rules respected)."""

    def __init__(self, rng: random.Random, units: dict[int, Unit], today: dt.date, province_code: str) -> None:
        self.rng, self.units, self.today, self.prov = rng, units, today, province_code
        for u in units.values():
            u.weight = (
                rng.uniform(8, 22) if u.sector in (Sector.PRIVATE_ENTERPRISE, Sector.AGENCY) else rng.uniform(18, 48)
            )
        self.split_parts: dict[int, list[int]] = defaultdict(list)
        splits = LineageEvent.objects.filter(kind=LineageKind.SPLIT).order_by("effective_on", "id")
        for ev in splits.prefetch_related("links"):
            src = [lk.organization_id for lk in ev.links.all() if lk.role == LineageLink.Role.SOURCE]
            tgt = sorted(lk.organization_id for lk in ev.links.all() if lk.role == LineageLink.Role.TARGET)
            for s in src:
                self.split_parts[s] = tgt
        self.serial = 0

    def pick_unit(self, on: dt.date, exclude: int | None = None) -> Unit | None:
        live = [u for u in self.units.values() if u.start <= on < u.end and u.org_id != exclude]
        if not live:
            return None
        # A unit set up after the founding draws members faster in its first years (transfers, admissions).
        weights = [u.weight * (25 if u.start > FOUNDED and (on - u.start).days < 3 * 365 else 1) for u in live]
        return self.rng.choices(live, weights=weights)[0]

    def rand_date(self, start: dt.date, end: dt.date) -> dt.date:
        span = (end - start).days
        return start + dt.timedelta(days=self.rng.randint(0, max(span, 0)))

    def person(self) -> Person | None:
        rng, today = self.rng, self.today
        self.serial += 1
        gender = "male" if rng.random() < 0.58 else "female"
        full_name = names.person_name(rng, gender)
        # Admission year: the standing stock from before 2008, then a steady ~1.7% a year.
        if rng.random() < 0.6:
            year = int(rng.triangular(1965, 2008, 2004))
        else:
            year = rng.randint(2008, today.year)
        decided = self.rand_date(_d(year), min(_d(year, 12, 31), today - dt.timedelta(days=40)))
        age_years = int(rng.triangular(18, 50, 24))
        birth = decided - dt.timedelta(days=age_years * 365 + rng.randint(40, 330))
        reviewed = decided - dt.timedelta(days=rng.randint(15, 50))
        if (reviewed - birth).days < 18 * 366:
            birth = reviewed - dt.timedelta(days=18 * 366 + rng.randint(30, 400))
        ceremony = decided + dt.timedelta(days=rng.randint(7, 40))
        category = AdmissionCategory.GENERAL
        r = rng.random()
        if decided.year >= 2008:
            if r < 0.05 and age_years <= 19:
                category = AdmissionCategory.HIGH_SCHOOL_STUDENT
            elif r < 0.10:
                category = AdmissionCategory.PRE_ENLISTMENT
            elif r < 0.14:
                category = AdmissionCategory.STUDENT
            elif r < 0.20:
                category = AdmissionCategory.PRIVATE_ENTERPRISE_WORKER
            elif r < 0.23:
                category = AdmissionCategory.RELIGIOUS
        unit = self.pick_unit(decided)
        events: list[dict[str, Any]] = []
        if unit is None or rng.random() < 0.04:
            # Admitted elsewhere, transferred in later.
            arrive = self.rand_date(max(FOUNDED, ceremony + dt.timedelta(days=400)), today - dt.timedelta(days=30))
            unit = self.pick_unit(arrive)
            # Admitted too recently to have arrived by today (the date range is empty): not in the records yet.
            if unit is None or arrive <= ceremony or arrive > today:
                return None
            events.append(
                dict(
                    kind=EventKind.ADMISSION,
                    on=decided,
                    organization_id=None,
                    decided_on=decided,
                    ceremony_on=ceremony,
                    reviewed_on=reviewed,
                    category=category,
                    decision_ref=f"{rng.randint(1, 999)}-QĐ/HU",
                )
            )
            official = official_date(ceremony)
            events.append(dict(kind=EventKind.RECOGNITION, on=official, decided_on=official + dt.timedelta(days=20)))
            events.append(
                dict(
                    kind=EventKind.TRANSFER_IN,
                    on=arrive,
                    organization_id=unit.org_id,
                    counterpart="Đảng bộ tỉnh khác",
                    decision_ref=f"{rng.randint(1, 999)}-GCT/TU",
                )
            )
            t = arrive
        else:
            events.append(
                dict(
                    kind=EventKind.ADMISSION,
                    on=decided,
                    organization_id=unit.org_id,
                    decided_on=decided,
                    ceremony_on=ceremony,
                    reviewed_on=reviewed,
                    category=category,
                    decision_ref=f"{rng.randint(1, 999)}-QĐ/HU",
                )
            )
            official = official_date(ceremony)
            t = decided
            if official <= today:
                if rng.random() < 0.015 and official + dt.timedelta(days=15) < unit.end:
                    events.append(
                        dict(
                            kind=EventKind.REMOVAL,
                            on=official + dt.timedelta(days=15),
                            note="Không đủ điều kiện công nhận chính thức",
                        )
                    )
                    return self._finish(full_name, gender, birth, events)
                decided_official = official + dt.timedelta(days=rng.randint(0, 40))
                if decided_official <= today:
                    events.append(
                        dict(
                            kind=EventKind.RECOGNITION,
                            on=official,
                            decided_on=decided_official,
                            decision_ref=f"{rng.randint(1, 999)}-QĐ/HU",
                        )
                    )
        self._life(events, unit, t, birth)
        return self._finish(full_name, gender, birth, events)

    def _life(self, events: list[dict[str, Any]], unit: Unit, t: dt.date, birth: dt.date) -> None:
        """Year by year: follow the unit when it ends; maybe transfer, be exempted, leave or die."""
        rng, today = self.rng, self.today
        exempted = False
        current = unit
        day = t
        while day < today:
            nxt = min(_d(day.year + 1), today)
            if current.end <= nxt:  # the unit ends inside this year: follow it
                parts = self.split_parts.get(current.org_id)
                target_id = rng.choice(parts) if parts else current.successor
                target = self.units.get(target_id) if target_id else None
                if target is None or not (target.start <= current.end < target.end):
                    target = self.pick_unit(current.end, exclude=current.org_id)
                if target is None:
                    return
                events.append(
                    dict(
                        kind=EventKind.TRANSFER_IN,
                        on=current.end,
                        organization_id=target.org_id,
                        lineage_event_id=current.successor_event,
                        note="Theo quyết định sắp xếp tổ chức",
                    )
                )
                day, current = current.end, target
                continue
            age = (day - birth).days / 365.25
            death_p = 0.001 if age < 50 else 0.006 if age < 70 else 0.03 if age < 80 else 0.08
            when = (
                self.rand_date(day + dt.timedelta(days=1), nxt - dt.timedelta(days=1))
                if nxt - day > dt.timedelta(days=2)
                else None
            )
            if when is None or when <= (events[-1]["on"]):
                day = nxt
                continue
            r = rng.random()
            if r < death_p:
                events.append(dict(kind=EventKind.DEATH, on=when))
                return
            r -= death_p
            if r < 0.006:
                events.append(
                    dict(
                        kind=EventKind.TRANSFER_OUT,
                        on=when,
                        counterpart="Đảng bộ tỉnh khác",
                        decision_ref=f"{rng.randint(1, 999)}-GCT/HU",
                    )
                )
                return
            r -= 0.006
            if r < 0.0012:
                kind = rng.choice([EventKind.REMOVAL, EventKind.REMOVAL, EventKind.EXPULSION, EventKind.RESIGNATION])
                events.append(dict(kind=kind, on=when, decision_ref=f"{rng.randint(1, 999)}-QĐ/UBKTHU"))
                back = when + dt.timedelta(days=rng.randint(37 * 31, 60 * 31))
                if kind == EventKind.REMOVAL and rng.random() < 0.1 and back < today - dt.timedelta(days=60):
                    unit2 = self.pick_unit(back)
                    if unit2 is not None:
                        cer = back + dt.timedelta(days=20)
                        events.append(
                            dict(
                                kind=EventKind.READMISSION,
                                on=back,
                                organization_id=unit2.org_id,
                                decided_on=back,
                                ceremony_on=cer,
                                reviewed_on=back - dt.timedelta(days=20),
                                approval_ref=f"{rng.randint(1, 99)}-CV/TU",
                            )
                        )
                        if official_date(cer) <= today:  # a new probation, then recognition
                            events.append(
                                dict(kind=EventKind.RECOGNITION, on=official_date(cer), decided_on=official_date(cer))
                            )
                        day, current = official_date(cer) if official_date(cer) <= today else back, unit2
                        continue
                return
            r -= 0.0012
            if r < 0.012 and current.sector != Sector.PRIVATE_ENTERPRISE:
                target = self.pick_unit(when, exclude=current.org_id)
                if target is not None:
                    events.append(
                        dict(
                            kind=EventKind.TRANSFER_IN,
                            on=when,
                            organization_id=target.org_id,
                            decision_ref=f"{rng.randint(1, 999)}-GCT/HU",
                        )
                    )
                    current = target
            elif not exempted and age >= 70 and rng.random() < 0.05:
                events.append(dict(kind=EventKind.EXEMPTION, on=when, note="Tuổi cao, sức yếu"))
                exempted = True
            day = nxt

    def _finish(self, full_name: str, gender: str, birth: dt.date, events: list[dict[str, Any]]) -> Person:
        rng, n = self.rng, self.serial
        official = any(e["kind"] == EventKind.RECOGNITION for e in events)
        profile = dict(
            code=f"DV{n:07d}",
            full_name=full_name,
            gender=gender,
            birth_date=birth,
            ethnicity="Kinh" if rng.random() < 0.95 else rng.choice(["Tày", "Mường", "Thái", "Nùng", "Dao", "Hoa"]),
            religion="" if rng.random() < 0.9 else rng.choice(["Phật giáo", "Công giáo"]),
            hometown=f"xã {rng.choice(WARDS)}, tỉnh {rng.choice(PROVINCES)[0]}",
            residence=f"{rng.choice(VILLAGES)} {rng.randint(1, 15)}, xã {rng.choice(WARDS)}",
            citizen_id=f"{self.prov}{(0 if birth.year < 2000 else 2) + (1 if gender == 'female' else 0)}"
            f"{birth.year % 100:02d}{(n * 7919) % 1_000_000:06d}",
            card_number=f"{(n * 104_729 + 10_000_000) % 100_000_000:08d}" if official else None,
            dossier_number=f"{n:06d}{self.prov[-2:]}",
            phone=f"09{rng.randint(10_000_000, 99_999_999)}",
            general_education="12/12" if birth.year > 1960 else "10/10",
            professional_education=rng.choice(PROFESSIONS) if rng.random() < 0.7 else "",
            political_theory=rng.choice(["", "", "elementary", "elementary", "intermediate", "advanced"]),
            occupation=rng.choice(OCCUPATIONS),
        )
        return Person(profile, events)


def plan_members(rng: random.Random, today: dt.date, count: int, province_code: str) -> list[Person]:
    planner = MemberPlanner(rng, member_units(today), today, province_code)
    people: list[Person] = []
    while len(people) < count:
        p = planner.person()
        if p is not None:
            people.append(p)
    return people
