"""Finding members by what a person types: name words, member code, party card number or citizen ID.

What a query means (`parse`):
* a name: every typed word, diacritics and case folded, is the start of a word of the name, in any order —
  "nguyen van an" finds "Nguyễn Văn An" (and "Nguyễn Văn Anh"), "ng v an" finds them too, "an nguyen" as well;
* a member code ("DV0001234"), a card number (8 digits) or a citizen ID (12 digits): exactly, never a part of one.
A query whose words are all one letter long is refused with a message (`TOO_SHORT`): one letter is the start of a
word of most names, and the list in name order already shows them.

How it is indexed, two paths for name words:
* the whole country and very large scopes (migration 0005): PostgreSQL, a pg_trgm GIN index on
  ' ' || full_name_folded, matched by LIKE '% word%'; SQLite, an FTS5 table queried with prefix terms; the
  country's matches are then kept if in the scope;
* a scope of at most DANGVU_SEARCH_SCOPE_FIRST_UNITS units (a province and below; migration 0006; `page` chooses
  in the statement itself): the scope's own
  spans, read unit by unit from span_search_idx (organization_id, valid_to) with the member's folded name and sort
  key copied beside each span (MembershipSpan.name_folded, name_sort), tested and sorted there — a province reads its
  ~113 k rows, not the trigram index's posting lists for 5,6 million members.
Ordering and paging go by the name's sort key (Member.name_sort, the Vietnamese order, given name first; the span's
copy on the scope-first path) and the member's id, a page at a time from the last row shown (`after`), so no page
counts or loads the whole scope.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import BooleanField, CharField, Exists, F, Func, Q, QuerySet, Value
from django.db.models.expressions import RawSQL

from dangvu.domain.vietnamese import fold

from .models import Member, MembershipSpan

# The shortest word a name search needs, when no longer word is typed beside it [I]: one letter narrows nothing.
MIN_WORD = 2
TOO_SHORT = "Gõ ít nhất 2 chữ cái của họ tên (ví dụ “ng v an”), hoặc mã đảng viên, số thẻ, số CCCD."
CITIZEN_ID = re.compile(r"\d{12}")  # CCCD: 12 digits (Luật Căn cước 2023, Điều 12)
CARD_NUMBER = re.compile(r"\d{8}")  # số thẻ đảng viên: 8 digits (HD 12-HD/BTCTW, the card's number) [P]
CODE = re.compile(r"[A-Za-z]*\d[A-Za-z0-9]*")  # the system's own member code ("DV0001234")
_WORD = re.compile(r"[a-z0-9]+")

# The largest scope, in units on the day, searched by name from its own spans (the scope-first path) rather than from
# the name index of the whole country [I]: measured on the national data set (BENCHMARKS.md, "Member search, scope
# first": 239 and 5.133 units faster scope first, 11.693 units and more faster on the name index; the machine
# loaded). Setting DANGVU_SEARCH_SCOPE_FIRST_UNITS (settings.py reads the environment); 0 turns the path off.
SCOPE_FIRST_UNITS = 8_000


def scope_first_limit() -> int:
    return int(getattr(settings, "DANGVU_SEARCH_SCOPE_FIRST_UNITS", SCOPE_FIRST_UNITS))


@dataclass(frozen=True)
class Terms:
    """A query, understood: name words (folded), or an identifier to match exactly."""

    words: tuple[str, ...] = ()
    code: str = ""
    citizen_id: str = ""
    card_number: str = ""
    too_short: bool = False

    @property
    def identifier(self) -> tuple[str, str] | None:
        """(field, value) when the query is a citizen ID or a card number: such a search is audited."""
        if self.citizen_id:
            return "citizen_id", self.citizen_id
        if self.card_number:
            return "card_number", self.card_number
        return None

    def __bool__(self) -> bool:
        return bool(self.words or self.code or self.citizen_id or self.card_number)


def parse(q: str) -> Terms:
    text = (q or "").strip()
    if not text:
        return Terms()
    compact = re.sub(r"[\s.\-]", "", text)
    if CITIZEN_ID.fullmatch(compact):
        return Terms(citizen_id=compact)
    if CARD_NUMBER.fullmatch(compact):
        return Terms(card_number=compact)
    if " " not in text and CODE.fullmatch(text):
        return Terms(code=text.upper())
    words = tuple(dict.fromkeys(w for w in _WORD.findall(fold(text)) if not w.isdigit()))
    if not words or max(len(w) for w in words) < MIN_WORD:
        return Terms(too_short=True)
    return Terms(words=words)


class _Spaced(Func):
    """' ' || name: the expression of PostgreSQL's trigram index (member_name_trgm_idx), so that the first word
    starts after a space like every other."""

    template = "(' ' || %(expressions)s)"
    output_field = CharField()


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like_words(column: str, words: tuple[str, ...]) -> Q:
    """Every word the start of a word of `column` (a folded name): LIKE '% word%' on ' ' || column. The longest
    word first: the least common, usually, so most rows fail the first test."""
    spaced = _Spaced(column)
    cond = Q()
    for w in sorted(words, key=len, reverse=True):
        cond &= Q(_Like(spaced, f"% {_escape_like(w)}%"))
    return cond


def name_condition(words: tuple[str, ...], *, prefix: str = "", db: str = "default") -> Q:
    """Every word the start of a word of the folded name, on the member (prefix "") or a related row's member
    ("member__"). PostgreSQL: LIKE '% word%' on the indexed expression; SQLite: an FTS5 prefix query."""
    if not words:
        return Q()
    if connections[db].vendor == "postgresql":
        return _like_words(f"{prefix}full_name_folded", words)
    match = " AND ".join(f'"{w}"*' for w in words)  # words are [a-z0-9]+: nothing to quote
    hits = RawSQL("SELECT rowid FROM members_member_fts WHERE members_member_fts MATCH %s", [match])
    return Q(**{"member_id__in" if prefix == "member__" else "pk__in": hits})


class _Like(Func):
    """expression LIKE pattern, as a condition (the pattern a parameter)."""

    arg_joiner = " LIKE "
    template = "%(expressions)s"
    conditional = True

    def __init__(self, expression: Func, pattern: str) -> None:
        super().__init__(expression, Value(pattern), output_field=BooleanField())


def identifier_match(terms: Terms) -> Member | None:
    """The one member holding the typed citizen ID or card number (unique columns), whoever's scope they are in:
    the caller keeps them only if the person may see their identifiers."""
    found = terms.identifier
    if found is None:
        return None
    field, value = found
    return Member.objects.filter(**{field: value}).first()


def matching(terms: Terms, *, identified: Member | None = None, db: str = "default") -> Q:
    """The condition on spans for a query: name words, or the exact code, or the member found by an identifier
    (`identified`: already checked by the caller against what the person may see; None, no one)."""
    if not terms:
        return Q()
    if terms.identifier is not None:  # the one member it names, or no one (one indexed lookup, no OR)
        return Q(member_id=identified.pk) if identified is not None else Q(pk__in=[])
    if terms.words:
        return name_condition(terms.words, prefix="member__", db=db)
    return Q(member__code=terms.code)


@dataclass
class Scoped:
    """The scope-first branch of a name search within a scope: the spans with the name words tested on the span's
    own copy of the folded name, and the scope's units (ids on the day) whose number decides whether it runs."""

    spans: QuerySet[MembershipSpan]
    units: QuerySet[Any]
    base: QuerySet[MembershipSpan]  # the same spans before any name condition: the page's rows are read from it


def scoped_branch(terms: Terms, spans: QuerySet[MembershipSpan], units: QuerySet[Any] | None) -> Scoped | None:
    """The scope-first branch for a name search within a scope (`units`; None, the whole country: no branch), on
    the same base `spans` as the other path (the day, the scope, the status and gender filters). Only for name
    words: a code or an identifier is one indexed lookup either way, and the unfiltered list walks the name order."""
    if not terms.words or units is None or scope_first_limit() <= 0:
        return None
    return Scoped(spans.filter(_like_words("name_folded", terms.words)), units, spans)


def _after(spans: QuerySet[MembershipSpan], key_field: str, last: tuple[str, int] | None) -> QuerySet[MembershipSpan]:
    if last is None:
        return spans
    key, pk = last
    return spans.filter(Q(**{f"{key_field}__gte": key}) & (Q(**{f"{key_field}__gt": key}) | Q(member_id__gt=pk)))


def page(
    spans: QuerySet[MembershipSpan], *, after: str = "", size: int, scoped: Scoped | None = None
) -> tuple[list[MembershipSpan], bool]:
    """`size` spans in Vietnamese name order after the member whose code is `after`, and whether more follow.
    Keyset paging on (name_sort, id): a later page costs what the first does.

    With a scope-first branch (`scoped`), both paths are one statement, UNION ALL, each half under a condition on
    the scope's size — EXISTS (its units past the setting's number): PostgreSQL evaluates it once (an InitPlan) and
    runs only the half that applies (a one-time filter), so the choice costs no round trip. The scope-first half
    reads the scope's spans from span_search_idx and sorts its matches by the span's copy of the key; the other
    walks Member.name_sort (member_name_sort_idx) or takes the trigram index's matches, keeping those in the
    scope."""
    last = Member.objects.filter(code=after).values_list("name_sort", "pk").first() if after else None
    key_field = "member__name_sort"
    found = _after(spans, key_field, last)
    # First the page's members alone: the columns this needs are all in indexes (member_name_sort_idx includes the
    # folded name, span_member_cover_idx the span's dates, unit and status; on the scope-first path span_search_idx
    # holds them all), so a province's search reads no table row; then the page's spans and members, 50 rows by key.
    if scoped is None:
        ids = list(found.order_by(key_field, "member_id").values_list("member_id", flat=True)[: size + 1])
    else:
        limit = scope_first_limit()
        large = Exists(scoped.units[limit : limit + 1])
        near = _after(scoped.spans, "name_sort", last).filter(~large).annotate(key=F("name_sort"))
        far = found.filter(large).annotate(key=F(key_field))
        both = near.values_list("member_id", "key").union(far.values_list("member_id", "key"), all=True)
        ids = [pk for pk, _ in both.order_by("key", "member_id")[: size + 1]]
    rank = {pk: i for i, pk in enumerate(ids[:size])}
    source = spans if scoped is None else scoped.base.select_related("member", "organization")
    rows = sorted(source.filter(member_id__in=list(rank)), key=lambda s: rank[s.member_id])
    return rows, len(ids) > size
