"""A congress-term programme as the reports describe it (SEED F20)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from dangvu.audit.services import Actor, audit
from dangvu.domain.vietnamese import fmt_int, nfc
from dangvu.orgs.models import Organization

from .models import ProgrammeItem, TermProgramme
from .services import term_dates_check

ORDER = [
    ProgrammeItem.Kind.PROGRAMME,
    ProgrammeItem.Kind.KEY_TASK,
    ProgrammeItem.Kind.BREAKTHROUGH,
    ProgrammeItem.Kind.TARGET_GROUP,
]
WORDS = {
    ProgrammeItem.Kind.PROGRAMME: "chương trình công tác toàn khóa",
    ProgrammeItem.Kind.KEY_TASK: "nhiệm vụ trọng tâm",
    ProgrammeItem.Kind.BREAKTHROUGH: "khâu đột phá",
    ProgrammeItem.Kind.TARGET_GROUP: "nhóm chỉ tiêu chủ yếu",
}


@transaction.atomic
def programme_create(
    *,
    organization: Organization,
    term: str,
    first_year: int,
    last_year: int,
    title: str,
    items: dict[str, list[str]],
    actor: Actor,
    congress_on: dt.date | None = None,
    next_congress_on: dt.date | None = None,
) -> TermProgramme:
    term_dates_check(first_year, congress_on, next_congress_on)
    p = TermProgramme.objects.create(
        organization=organization,
        term=term,
        first_year=first_year,
        last_year=last_year,
        title=nfc(title),
        congress_on=congress_on,
        next_congress_on=next_congress_on,
    )
    ProgrammeItem.objects.bulk_create(
        [
            ProgrammeItem(programme=p, kind=kind, title=nfc(t), order=i)
            for kind, titles in items.items()
            for i, t in enumerate(titles)
        ]
    )
    audit(actor=actor, action="programme_create", obj=p, after={k: len(v) for k, v in items.items()})
    return p


def programme_sentence(programme: TermProgramme) -> str:
    """'6 chương trình công tác toàn khóa, 5 nhiệm vụ trọng tâm, 2 khâu đột phá và 5 nhóm chỉ tiêu chủ yếu'."""
    counts = {k: programme.items.filter(kind=k).count() for k in ORDER}
    parts = [f"{fmt_int(n)} {WORDS[k]}" for k, n in counts.items() if n]
    return ", ".join(parts[:-1]) + (" và " if len(parts) > 1 else "") + parts[-1] if parts else ""
