"""Search-as-you-type pickers for an organization or a member: the input shows "Tên (MÃ)", the form gets the code.

The browser fills a <datalist> from `/chon/to-chuc/?q=` or `/chon/dang-vien/?q=` (htmx, scoped to what the
person sees); typing a bare code still works. A `PickerForm` hands the person and the day to its picker fields so
a code outside the person's scope is refused on its field with the same words as one that does not exist (an
error must not tell who is a member elsewhere).

Use:
    class F(PickerForm):
        org = OrgField(label="Chi bộ")
    form = F(request.POST or None, user=request.user, on=day)
    form.cleaned_data["org"]  # the code, checked in scope
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.urls import reverse

_TAIL_CODE = re.compile(r"\(([^()]+)\)\s*$")


def code_of(text: str) -> str:
    """'Chi bộ Thôn 2 (VPHX0414B03)' → 'VPHX0414B03'; a bare code is returned as typed (trimmed)."""
    text = (text or "").strip()
    m = _TAIL_CODE.search(text)
    return (m.group(1) if m else text).strip()


class PickerInput(forms.TextInput):
    """A text input tied to a datalist that htmx refills as the person types."""

    url_name = ""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs)
        self.on: dt.date | None = None
        # The person the form is for (PickerForm, bind_pickers): a typed code is shown with its name only when in
        # their scope (a code typed for someone outside it must not come back named: issue 13's POST sweep).
        # A widget no form bound (a form filled by the server only) names any code, as before.
        self.user: Any = None

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        ctx = super().get_context(name, value, attrs)
        a = ctx["widget"]["attrs"]
        list_id = f"{a.get('id') or 'id_' + name}-goi-y"
        url = reverse(self.url_name)
        if self.on is not None:
            url += f"?on={self.on.isoformat()}"
        a.update(
            {
                "list": list_id,
                "autocomplete": "off",
                "hx-get": url,
                "hx-trigger": "input changed delay:250ms, focus once",
                "hx-target": f"#{list_id}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
                "class": (a.get("class", "") + " picker").strip(),
            }
        )
        ctx["widget"]["list_id"] = list_id
        return ctx

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> Any:
        from django.utils.html import format_html
        from django.utils.safestring import mark_safe

        html = super().render(name, self.display(value), attrs, renderer)
        ctx = self.get_context(name, value, attrs)
        return mark_safe(html + format_html('<datalist id="{}"></datalist>', ctx["widget"]["list_id"]))

    def display(self, value: Any) -> Any:
        return value


class OrgPickerInput(PickerInput):
    url_name = "pick_org"

    def display(self, value: Any) -> Any:
        from dangvu.orgs.models import OrgVersion

        code = code_of(str(value)) if value else ""
        if not code or code != str(value).strip():
            return value  # already "Tên (MÃ)", or empty
        from dangvu.accounts.scope import visible_orgs

        if self.user is not None and not visible_orgs(self.user, self.on).filter(code=code).exists():
            return value
        v = OrgVersion.objects.filter(organization__code=code).order_by("-valid_from").first()
        return f"{v.name} ({code})" if v else value


class MemberPickerInput(PickerInput):
    url_name = "pick_member"

    def display(self, value: Any) -> Any:

        code = code_of(str(value)) if value else ""
        if not code or code != str(value).strip():
            return value
        from dangvu.accounts.scope import visible_members
        from dangvu.members.models import Member

        members = Member.objects.all() if self.user is None else visible_members(self.user, self.on)
        m = members.filter(code=code).only("full_name").first()
        return f"{m.full_name} ({code})" if m else value


class _PickerField(forms.CharField):
    missing = ""

    def __init__(self, **kw: Any) -> None:
        kw.setdefault("max_length", 300)
        super().__init__(**kw)
        self.user: Any = None
        self.on: dt.date | None = None

    def to_python(self, value: Any) -> str:
        return code_of(super().to_python(value) or "")

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and self.user is not None and not self.in_scope(value):
            raise forms.ValidationError(self.missing, code="not_found")

    def in_scope(self, code: str) -> bool:
        raise NotImplementedError


class OrgField(_PickerField):
    """An organization in the person's scope (on the form's day): cleaned to its code."""

    widget = OrgPickerInput
    missing = "Không tìm thấy tổ chức này trong phạm vi của bạn: gõ vài chữ của tên rồi chọn trong danh sách."

    def in_scope(self, code: str) -> bool:
        from dangvu.accounts.scope import visible_orgs

        return visible_orgs(self.user, self.on).filter(code=code).exists()


class MemberField(_PickerField):
    """A member in the person's scope: cleaned to the member's code."""

    widget = MemberPickerInput
    missing = "Không tìm thấy đảng viên này trong phạm vi của bạn: gõ vài chữ của họ tên rồi chọn trong danh sách."

    def in_scope(self, code: str) -> bool:
        from dangvu.accounts.scope import visible_members

        return visible_members(self.user, self.on).filter(code=code).exists()


class PickerForm(forms.Form):
    """A form whose picker fields check codes in the person's scope on `on` (default today)."""

    def __init__(self, *args: Any, user: Any = None, on: dt.date | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        for f in self.fields.values():
            if isinstance(f, _PickerField):
                f.user, f.on = user, on
                if isinstance(f.widget, PickerInput):
                    f.widget.on, f.widget.user = on, user


def bind_pickers(form: forms.BaseForm, *, user: Any, on: dt.date | None = None) -> forms.BaseForm:
    """The same for a ModelForm or a form built by a factory."""
    for f in form.fields.values():
        if isinstance(f, _PickerField):
            f.user, f.on = user, on
            if isinstance(f.widget, PickerInput):
                f.widget.on, f.widget.user = on, user
    return form
