"""Demo work records for 2008 to today: plans and targets, admissions pipeline, cadre moves, posts and succession
plans, training, study, inspections, petitions, documents, commendations from the review results, badges, free
indicators. (Discipline is generated with the reviews, in ratings.py, because the review's caps read it.)"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from dangvu.assessment.models import Result
from dangvu.audit.services import Actor
from dangvu.domain.badges import MILESTONES, OCCASIONS
from dangvu.domain.documents import IMPLEMENTING_PROGRAMME_KIND, PROGRAMME
from dangvu.domain.membership import derive, party_age_years
from dangvu.domain.orgtree import GRASSROOTS
from dangvu.members.models import MemberEvent, MembershipSpan
from dangvu.members.services import as_domain
from dangvu.orgs.models import OrgAncestry, Organization, OrgVersion
from dangvu.targets.models import Plan, Target
from dangvu.targets.programmes import programme_create
from dangvu.work.models import (
    BadgeAward,
    CadreMove,
    Candidate,
    Commendation,
    Document,
    FreeIndicator,
    Inspection,
    Petition,
    Post,
    StudySession,
    SuccessionPlan,
    TrainingClass,
)
from dangvu.work.services import document_register, records_load

ACTOR = Actor("trình sinh dữ liệu mẫu")
D = dt.date


def _units(root: Organization, on: dt.date, kinds: tuple[str, ...]) -> list[int]:
    ids = OrgAncestry.objects.on(on).filter(ancestor=root).values("organization_id")
    return list(
        OrgVersion.objects.filter(organization_id__in=ids, kind__in=kinds, valid_from__lte=on, valid_to__gt=on)
        .order_by("organization__code")
        .values_list("organization_id", flat=True)
    )


def generate_work(
    seed: int,
    root: Organization,
    today: dt.date,
    terms: tuple[tuple[int, int], ...] = ((2010, 2015), (2015, 2020), (2020, 2025)),
    badges: bool = True,
) -> dict[str, int]:
    """Records of every kind for root's subtree, year by year while it has grassroots organizations."""
    rng = random.Random(seed * 13 + root.pk)
    counts: dict[str, int] = {}
    first, last = 2008, today.year
    # Terms and their programmes with the review targets (F15, F16, F20).
    for a, b in terms:
        p = programme_create(
            organization=root,
            term=f"{a}–{b}",
            first_year=a,
            last_year=b,
            actor=ACTOR,
            title=f"Nghị quyết Đại hội Đảng bộ nhiệm kỳ {a}–{b}",
            items={
                "programme": [f"Chương trình công tác toàn khóa số {i}" for i in range(1, 7)],
                "key_task": [f"Nhiệm vụ trọng tâm {i}" for i in range(1, 6)],
                "breakthrough": ["Cải cách hành chính", "Phát triển đảng viên trong doanh nghiệp"],
                "target_group": [f"Nhóm chỉ tiêu {i}" for i in range(1, 6)],
            },
        )
        Target.objects.create(
            programme=p,
            organization=root,
            indicator="review.members_good_or_better",
            op=">=",
            value=Decimal("0.90"),
            first_year=a,
            last_year=b,
            title="Nghị quyết Đại hội đề ra",
        )
        Target.objects.create(
            programme=p,
            organization=root,
            indicator="review.grassroots_good_or_better",
            op=">=",
            value=Decimal("0.80"),
            first_year=a,
            last_year=b,
            title="Nghị quyết Đại hội đề ra",
        )
    from dangvu.targets.indicators import compute

    # The plan each year: near what the committee then achieved (the seeds report 95–120% of plan).
    admitted = {y: compute(root, D(y, 1, 1), D(y, 12, 31), ["admissions"])[0].value for y in range(first, last + 1)}
    plans = [
        Plan(organization=root, indicator="admissions", year=y, value=int(int(n) * rng.uniform(0.85, 1.05)))
        for y, n in admitted.items()
        if n
    ]
    plans += [
        Plan(organization=root, indicator="new_organizations.private_enterprise", year=y, value=1, wording="chỉ tiêu")
        for y in range(first, min(last, 2024) + 1)
    ]
    Plan.objects.bulk_create(plans)
    counts["plans"] = len(plans)
    moves, classes, studies, inspections, petitions, frees = [], [], [], [], [], []
    tw_docs = {}
    for code, term, subject in (
        ("Số 15-NQ/TW, ngày 30/7/2007", "khóa X", "Đổi mới phương thức lãnh đạo của Đảng"),
        ("Số 4-NQ/TW, ngày 30/10/2016", "khóa XII", "Xây dựng, chỉnh đốn Đảng"),
        ("Số 21-NQ/TW, ngày 16/6/2022", "khóa XIII", "Củng cố tổ chức cơ sở đảng"),
    ):
        number = int(code.split()[1].split("-")[0])
        existing = Document.objects.filter(issuer="TW", type="NQ", number=number, term=term).first()
        tw_docs[code] = existing or document_register(code=code, term=term, subject=subject, actor=ACTOR)
    n_docs = 0
    for year in range(first, last + 1):
        on = D(year, 6, 30)
        grassroots = _units(root, on, ("grassroots_committee", "grassroots_branch"))
        if not grassroots:
            continue
        for i in range(rng.randint(90, 130)):
            kind = rng.choice(["reassignment", "rotation", "appointment", "appointment", "reappointment"])
            moves.append(
                dict(
                    kind=kind,
                    person_name=f"Cán bộ {year}-{i}",
                    organization_id=rng.choice(grassroots),
                    on=D(year, rng.randint(1, 12), rng.randint(1, 28)),
                    position="Trưởng phòng",
                )
            )
        for i in range(rng.randint(40, 70)):
            kind = rng.choice(["awareness", "new_member", "elementary", "professional", "professional"])
            classes.append(
                dict(
                    kind=kind,
                    organization_id=root.pk,
                    title=f"Lớp {TrainingClass.Kind(kind).label.lower()} {i + 1}/{year}",
                    started_on=D(year, rng.randint(1, 11), rng.randint(1, 28)),
                    attendances=rng.randint(60, 250),
                )
            )
        for g in grassroots:
            expected = rng.randint(20, 80)
            studies.append(
                dict(
                    organization_id=g,
                    held_on=D(year, rng.randint(2, 11), 10),
                    expected=expected,
                    participants=expected - rng.randint(0, max(1, expected // 15)),
                )
            )
        for _ in range(rng.randint(12, 25)):
            inspections.append(
                dict(
                    kind=rng.choice(["inspection", "supervision", "supervision", "violation_inspection"]),
                    organization_id=rng.choice(grassroots),
                    planned=rng.random() < 0.8,
                    started_on=D(year, rng.randint(1, 10), 5),
                    concluded_on=D(year, 11, 20),
                    violation_found=rng.random() < 0.15,
                )
            )
        for _ in range(rng.randint(3, 12)):
            received = D(year, rng.randint(1, 11), rng.randint(1, 28))
            petitions.append(
                dict(
                    kind=rng.choice(["denunciation", "complaint"]),
                    organization_id=rng.choice(grassroots),
                    received_on=received,
                    handled_on=received + dt.timedelta(days=10),
                    concluded_on=received + dt.timedelta(days=45) if rng.random() < 0.9 else None,
                )
            )
        for k in range(rng.randint(4, 8)):
            n_docs += 1
            typ = rng.choice(["KH", "NQ", "BC", "CTr", "HD", "TB"])
            term = (
                "2005–2010"
                if year <= 2010
                else "2010–2015"
                if year <= 2015
                else "2015–2020"
                if year <= 2020
                else "2020–2025"
                if year <= 2025
                else "2025–2030"
            )
            implements = [rng.choice(list(tw_docs.values()))] if typ in ("CTr", "KH") else []
            Document.objects.create(
                # Issued by the root's committee (its organization keys the series, HD 36 II.1); the symbol is
                # the district's until the 2025 reform, a commune committee's after.
                issuer="HU" if year < 2025 else "ĐU",
                type=typ,
                # A programme implementing a central resolution is an action programme (as document_register).
                programme_kind=IMPLEMENTING_PROGRAMME_KIND if typ == PROGRAMME and implements else "",
                number=100 * (year % 100) + k + 1,
                term=term,
                issued_on=D(year, rng.randint(1, 12), rng.randint(1, 28)),
                subject=f"Văn bản {typ} năm {year}",
                organization=root,
            ).implements.set(implements)
        if year in (2011, 2016, 2021):
            frees.append(
                dict(
                    organization_id=root.pk,
                    code="turnout",
                    name="Tỷ lệ cử tri đi bầu",
                    unit="%",
                    period_start=D(year, 5, 22) if year != 2011 else D(2011, 5, 22),
                    period_end=D(year, 5, 23),
                    value=Decimal(str(round(rng.uniform(98.5, 99.8), 2))),
                )
            )
    for model, rows in (
        (CadreMove, moves),
        (TrainingClass, classes),
        (StudySession, studies),
        (Inspection, inspections),
        (Petition, petitions),
        (FreeIndicator, frees),
    ):
        records_load(model, rows, actor=ACTOR)
        counts[model._meta.model_name or ""] = len(rows)
    counts["document"] = n_docs
    # Commendations decided at each review conference in January: exemplary and top-level organizations.
    comm = []
    in_root = OrgAncestry.objects.filter(ancestor=root).values("organization_id")
    for r in Result.objects.filter(
        organization__isnull=False,
        organization_id__in=in_root,
        level__in=["excellent", "clean_strong"],
        unit_kind__in=["grassroots_committee", "grassroots_branch"],
    ).order_by("year", "id"):
        title = "Trong sạch vững mạnh tiêu biểu" if r.exemplary else "Trong sạch vững mạnh"
        comm.append(
            dict(
                organization_id=r.organization_id,
                title=title,
                year=r.year,
                decided_on=D(r.year + 1, 1, 12),
                granted_by="Ban Thường vụ cấp ủy",
                kind="certificate",
            )
        )
    records_load(Commendation, comm, actor=ACTOR)
    counts["commendation"] = len(comm)
    if badges:
        counts["badge"] = _badges(today)
    counts["candidate"] = _candidates(rng, root, today)
    counts["post"], counts["successionplan"] = _posts(rng, root, terms, today)
    return counts


def _posts(
    rng: random.Random, root: Organization, terms: tuple[tuple[int, int], ...], today: dt.date
) -> tuple[int, int]:
    """Each grassroots organization's secretary, deputy and committee members for each term, chosen among its
    official members at the congress (mid-year of the term's first year); and the succession plan for the next
    term approved in the term's second year."""
    posts, plans = [], []
    for a, b in terms:
        congress = D(a, 6, 30)
        if congress > today:
            continue
        rows = (
            MembershipSpan.objects.on(congress)
            .official()
            .filter(
                organization__ancestry__ancestor__ancestry__ancestor=root,
                organization__ancestry__ancestor_kind__in=list(GRASSROOTS),
                organization__ancestry__valid_from__lte=congress,
                organization__ancestry__valid_to__gt=congress,
            )
            .values_list("organization__ancestry__ancestor_id", "member_id")
            .distinct()
            .order_by("organization__ancestry__ancestor_id", "member_id")
        )
        by_unit: dict[int, list[int]] = {}
        for unit, member in rows:
            by_unit.setdefault(unit, []).append(member)
        term = f"{a}–{b}"
        ended = D(b, 6, 30) if D(b, 6, 30) <= today else None
        for unit, members in by_unit.items():
            chosen = rng.sample(members, min(len(members), 5))
            for i, member in enumerate(chosen):
                title = ["secretary", "deputy_secretary"][i] if i < 2 else "committee_member"
                posts.append(
                    dict(
                        member_id=member,
                        organization_id=unit,
                        title=title,
                        term=term,
                        started_on=congress,
                        ended_on=ended,
                    )
                )
            for member in rng.sample(members, min(len(members), 2)):
                plans.append(
                    dict(
                        member_id=member,
                        organization_id=unit,
                        title="secretary",
                        term=f"{b}–{b + 5}",
                        approved_on=D(a + 1, 9, 15),
                    )
                )
    records_load(Post, posts, actor=ACTOR)
    records_load(SuccessionPlan, plans, actor=ACTOR)
    return len(posts), len(plans)


def _badges(today: dt.date) -> int:
    """Badges awarded at the first occasion after each milestone, for members alive then, since 2008."""
    events: dict[int, list[MemberEvent]] = {}
    for e in MemberEvent.objects.order_by("member_id", "on"):
        events.setdefault(e.member_id, []).append(e)
    rows = []
    for mid, evs in events.items():
        h = derive([as_domain(e) for e in evs])
        if h.first_admitted_on is None:
            continue
        awarded = set()
        for year in range(2008, today.year + 1):
            for month, day in OCCASIONS:
                occasion = D(year, month, day)
                if occasion > today or (h.died_on and occasion >= h.died_on):
                    continue
                age = party_age_years(h, occasion)
                for m in MILESTONES:
                    if m <= age and m not in awarded and party_age_years(h, occasion - dt.timedelta(days=120)) < m:
                        rows.append(
                            dict(
                                member_id=mid,
                                milestone=m,
                                awarded_on=occasion,
                                decision_ref=f"{year % 100}{month:02d}-QĐ/TU",
                            )
                        )
                        awarded.add(m)
    records_load(BadgeAward, rows, actor=ACTOR)
    return len(rows)


def _candidates(rng: random.Random, root: Organization, today: dt.date) -> int:
    branches = _units(root, today, ("branch", "grassroots_branch"))
    if not branches:
        return 0
    rows = []
    from dangvu.domain import names

    for i in range(40):
        gender = rng.choice(["male", "female"])
        voted = today - dt.timedelta(days=rng.randint(10, 120)) if i % 3 == 0 else None
        rows.append(
            dict(
                full_name=names.person_name(rng, gender),
                gender=gender,
                birth_date=D(rng.randint(1985, 2006), rng.randint(1, 12), rng.randint(1, 28)),
                organization_id=rng.choice(branches),
                awareness_course_on=today - dt.timedelta(days=300),
                dossier_complete=voted is not None,
                branch_vote_on=voted,
                stage="voted" if voted else "preparing",
            )
        )
    records_load(Candidate, rows, actor=ACTOR)
    return len(rows)
