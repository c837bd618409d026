"""Reads for a person's landing: the unit their grant names, whether it still exists, and where its work went."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max

from dangvu.domain.orgtree import LINEAGE_LABELS
from dangvu.domain.vietnamese import sort_key
from dangvu.orgs.models import LineageEvent, LineageLink, Organization, OrgVersion, valid_on
from dangvu.orgs.queries import successors

from .scope import ONE_DAY, access, today, visible_orgs


@dataclass(frozen=True)
class Unit:
    """An organization as a link: its name on the day shown, its code, and whether the person may open it then."""

    code: str
    name: str
    on: dt.date
    visible: bool


@dataclass
class EndedUnit:
    """A unit that no longer exists: its name on its last day, that day, the units that took over from it (lineage
    successors; for a unit that simply ended, the units its sub-units went to), its parent's successor, and the
    units the person holds a grant on today."""

    code: str
    name: str
    last_day: dt.date
    last_full_year: int
    ended_on: dt.date  # the first day without it (01/07/2025)
    how: str  # "kết thúc hoạt động theo 31-HD/BTCTW", "sáp nhập", …: the lineage event that ended it
    successors: list[Unit] = field(default_factory=list)
    above: list[Unit] = field(default_factory=list)
    current: list[Unit] = field(default_factory=list)


def _names(org_ids: list[int], on: dt.date) -> dict[int, tuple[str, str]]:
    rows = OrgVersion.objects.filter(valid_on(on), organization_id__in=org_ids).values_list(
        "organization_id", "organization__code", "name"
    )
    return {pk: (code, name) for pk, code, name in rows}


def _units(user: Any, org_ids: list[int], on: dt.date) -> list[Unit]:
    """Units by name (Vietnamese order), marked visible when the person may open them on `on`."""
    if not org_ids:
        return []
    names = _names(org_ids, on)
    seen = set(visible_orgs(user, on).filter(pk__in=list(names)).values_list("pk", flat=True))
    units = [Unit(code, name, on, pk in seen) for pk, (code, name) in names.items()]
    return sorted(units, key=lambda u: sort_key(u.name))


def ended_unit(user: Any, org: Organization) -> EndedUnit | None:
    """None while the organization goes on; else what the landing page says about it."""
    end = OrgVersion.objects.filter(organization=org).aggregate(end=Max("valid_to"))["end"]
    if end is None or end > today():
        return None
    last = end - ONE_DAY
    version = OrgVersion.objects.filter(organization=org, valid_to=end).first()
    assert version is not None
    took_over = [o.pk for o in successors(org)]
    if not took_over:
        # Ended without a successor (a district on 01/07/2025): its sub-units went somewhere — to a new parent,
        # or into the units that absorbed them.
        children = list(OrgVersion.objects.filter(valid_on(last), parent=org).values_list("organization_id", flat=True))
        moved = OrgVersion.objects.filter(valid_on(end), organization_id__in=children, parent__isnull=False)
        took_over = list(moved.values_list("parent_id", flat=True).distinct())
        gone = set(children) - set(moved.values_list("organization_id", flat=True))
        for child in Organization.objects.filter(pk__in=gone):
            took_over += [o.pk for o in successors(child)]
    event = (
        LineageEvent.objects.filter(effective_on=end, links__organization=org, links__role=LineageLink.Role.SOURCE)
        .order_by("id")
        .first()
    )
    how = ""
    if event is not None:
        how = LINEAGE_LABELS.get(event.kind, "").lower() + (f" theo {event.decision_ref}" if event.decision_ref else "")
    above: list[int] = []
    if version.parent_id is not None:
        parent = Organization.objects.get(pk=version.parent_id)
        alive = OrgVersion.objects.filter(valid_on(end), organization=parent).exists()
        above = [parent.pk] if alive else [o.pk for o in successors(parent)]
    day = today()
    acc = access(user)
    current = sorted({t.org for t in acc.terms if t.current and t.org != org.pk})
    return EndedUnit(
        code=org.code,
        name=version.name,
        last_day=last,
        last_full_year=last.year if (last.month, last.day) == (12, 31) else last.year - 1,
        ended_on=end,
        how=how,
        successors=_units(user, sorted(set(took_over) - set(above)), day) or _units(user, took_over, end),
        above=_units(user, above, day) or _units(user, above, end),
        current=_units(user, current, day),
    )
