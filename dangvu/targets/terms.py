"""Which congress term a day belongs to, for an organization: the recorded congress dates first, then the
recorded programmes' years, then the five-year rule (domain.targets.Term, header.term_of) [I]."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dangvu.domain.reports.header import TERM_FIRST_CONGRESS, TERM_YEARS
from dangvu.domain.targets import Term, term_by_rule
from dangvu.orgs.models import Organization

from .models import TermProgramme


@dataclass(frozen=True)
class TermOf:
    """A term and the programme recorded for it (None when the term is only known by the rule)."""

    term: Term
    programme: TermProgramme | None


def term_on(org: Organization, day: dt.date) -> TermOf:
    """The organization's term on a day. Dated programmes decide by congress dates (the congress day opens the
    new term); undated ones by years, the congress year opening the next term (2015 → 2015–2020, not
    2010–2015) [I]; with none recorded, five-year terms from TERM_FIRST_CONGRESS [I]."""
    programmes = list(TermProgramme.objects.filter(organization=org).order_by("-first_year", "-pk"))
    for p in programmes:
        if p.congress_on and p.as_term().contains(day):
            return TermOf(p.as_term(), p)
    for p in programmes:
        if not p.congress_on and p.as_term().contains(day):
            return TermOf(p.as_term(), p)
    return TermOf(term_by_rule(day, first_congress=TERM_FIRST_CONGRESS, years=TERM_YEARS), None)


def term_named(org: Organization, first_year: int, last_year: int) -> TermOf:
    """The term '2015-2020' of an organization: its programme for those years when recorded, else the years."""
    p = (
        TermProgramme.objects.filter(organization=org, first_year=first_year, last_year=last_year)
        .order_by("-pk")
        .first()
    )
    return TermOf(p.as_term(), p) if p else TermOf(Term(first_year, last_year), None)
