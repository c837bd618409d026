"""Write the work-record sheets, after organizations and members, inside the import's transaction.

Each sheet goes through work.services.records_load (every row full_clean'ed like the one-by-one services,
one bulk insert, its audit entry); documents first (the other sheets name them), then programmes before
their items and targets. Links are written after both ends exist: the documents a document implements, a
class's attendees (whose political-theory level is raised by work.services.theory_raise, as
training_class_record does), a study session's attendees.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from dangvu.audit.services import Actor
from dangvu.domain.errors import RuleError
from dangvu.members.models import Member
from dangvu.work.models import Document, StudySession, TrainingClass
from dangvu.work.services import records_load, theory_raise

from .check_orgs import chunks
from .check_work import DocIndex, WorkPlan, doc_key, referenced
from .format import CODES, DOCUMENTS, INT, PROGRAMMES, STUDY, TEXT, TRAINING, WORK_SHEETS, Sheet
from .read import Problem, Refused, Row


class _Ids:
    def __init__(self, plan: WorkPlan, org_ids: dict[str, int]) -> None:
        self.orgs = org_ids
        self.documents = DocIndex()
        for key, pk in plan.documents.items():
            self.documents.add(key, pk)
        self.programmes: dict[tuple[str, str], int] = dict(plan.programmes)
        self.members: dict[str, int] = {}
        for batch in chunks(sorted(referenced(plan.rows, "member"))):
            self.members.update(Member.objects.filter(code__in=batch).values_list("code", "pk"))

    def document(self, text: str) -> int | None:
        return self.documents[text] if text else None


def _fields(sheet: Sheet, r: Row, ids: _Ids) -> dict[str, Any]:
    assert sheet.model is not None
    model_fields = {f.name: f for f in sheet.model._meta.get_fields() if isinstance(f, models.Field)}
    out: dict[str, Any] = {}
    for col in sheet.columns:
        v = r[col.field]
        if col.kind == CODES:
            continue  # links, written once the rows exist
        if col.ref == "programme":
            out["programme_id"] = ids.programmes[(r["organization"], v)] if v else None
        elif col.field not in model_fields:
            continue  # a programme item's organization: part of its programme's key
        elif col.ref == "org":
            out[f"{col.field}_id"] = ids.orgs[v] if v else None
        elif col.ref == "member":
            out[f"{col.field}_id"] = ids.members[v] if v else None
        elif col.ref == "document":
            out[f"{col.field}_id"] = ids.document(v)
        else:
            f = model_fields[col.field]
            if ((col.kind == TEXT and v == "") or (col.kind == INT and v is None)) and f.has_default():
                v = f.get_default()
            out[col.field] = v
    if sheet is TRAINING and not r["attendances"]:
        out["attendances"] = len(r["attendees"])  # as training_class_record counts them
    return out


def apply_work(plan: WorkPlan, org_ids: dict[str, int], *, actor: Actor) -> dict[str, int]:
    """Write every work sheet; returns rows written per sheet slug. Raises Refused naming the row should a
    model rule the checks did not foresee refuse one (the caller's transaction then writes nothing)."""
    ids = _Ids(plan, org_ids)
    counts: dict[str, int] = {}
    for sheet in WORK_SHEETS:
        rows = plan.rows.get(sheet.slug, [])
        if not rows:
            continue
        assert sheet.model is not None
        try:
            objs = records_load(
                sheet.model,
                [_fields(sheet, r, ids) for r in rows],
                actor=actor,
                action=f"import_{sheet.slug}",
                numbers=[r.number for r in rows],
            )
        except RuleError as e:
            raise Refused([Problem(sheet.name, int(e.field) if e.field.isdigit() else None, "", str(e))]) from None
        counts[sheet.slug] = len(objs)
        if sheet is DOCUMENTS:
            for r, o in zip(rows, objs, strict=True):
                ids.documents.add(doc_key(r), o.pk)
            Document.implements.through.objects.bulk_create(
                [
                    Document.implements.through(from_document_id=o.pk, to_document_id=ids.document(text))
                    for r, o in zip(rows, objs, strict=True)
                    for text in r["implements"]
                ],
                batch_size=2000,
            )
        elif sheet is PROGRAMMES:
            ids.programmes.update({(r["organization"], r["term"]): o.pk for r, o in zip(rows, objs, strict=True)})
        elif sheet is TRAINING:
            _attendees(TrainingClass, rows, objs, ids)
            _theory(rows, objs, ids, actor)  # type: ignore[arg-type]
        elif sheet is STUDY:
            _attendees(StudySession, rows, objs, ids)
    return counts


def _attendees(model: type[TrainingClass] | type[StudySession], rows: list[Row], objs: list[Any], ids: _Ids) -> None:
    """The members named as attending a class or a study session."""
    through: Any = model.attendees.through
    owner = f"{model._meta.model_name}_id"
    through.objects.bulk_create(
        [
            through(**{owner: o.pk, "member_id": ids.members[code]})
            for r, o in zip(rows, objs, strict=True)
            for code in r["attendees"]
        ],
        batch_size=2000,
    )


def _theory(rows: list[Row], classes: list[TrainingClass], ids: _Ids, actor: Actor) -> None:
    for r, c in sorted(zip(rows, classes, strict=True), key=lambda rc: rc[1].started_on):
        if r["attendees"]:
            members = list(
                Member.objects.filter(pk__in=[ids.members[code] for code in r["attendees"]]).order_by("code")
            )
            theory_raise(c, members, actor=actor)
