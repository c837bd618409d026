"""What the navigation needs to know about the person: computed once from their grants."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dangvu.accounts.models import Role
from dangvu.accounts.scope import access


def nav(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    acc = access(user)
    from dangvu.members.models import Member

    code = Member.objects.filter(pk=acc.member_id).values_list("code", flat=True).first() if acc.member_id else None
    labels = dict(Role.choices)
    return {
        "nav": {
            "orgs": acc.admin or bool(acc.read),
            "office": acc.admin or bool(acc.office),
            "write": acc.admin or bool(acc.write),
            "member_code": code,
            "role_labels": sorted({labels[r] for r in acc.roles}) or (["Quản trị"] if acc.admin else []),
        }
    }
