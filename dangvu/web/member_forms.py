"""The member pages' forms: the list's filters, a new profile, and one form per lifecycle event.

Every unit is chosen with the scoped picker (`OrgField`), every day of an event with `event_date_field` (refused
when after today, on its own field); the services check the rules again, so imports and the command line meet
the same refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from dangvu.members.models import Member
from dangvu.web.forms import DATE_FORMATS, date_field, event_date_field
from dangvu.web.pickers import OrgField, PickerForm

PICK = "Gõ vài chữ của tên (không cần dấu) rồi chọn trong danh sách."


def _ref(label: str = "Số quyết định") -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=120)


class MemberSearchForm(PickerForm):
    q = forms.CharField(label="Tìm (họ tên, mã, số thẻ, số CCCD)", required=False)
    status = forms.ChoiceField(
        label="Tình trạng",
        required=False,
        choices=[("", "Tất cả"), ("official", "Chính thức"), ("probationary", "Dự bị")],
    )
    gender = forms.ChoiceField(
        label="Giới tính", required=False, choices=[("", "Tất cả"), ("male", "Nam"), ("female", "Nữ")]
    )
    unit = OrgField(label="Chi bộ, đảng bộ", required=False)
    as_of = date_field("Tại ngày", required=False)


# ---------------------------------------------------------------- lifecycle


class EventForm(PickerForm):
    """A lifecycle form; `day_field` is the field holding the day of the event (the pickers look the units up on
    it), and `service_fields` maps a field named by a service's refusal to the field that shows it."""

    day_field = "on"
    service_fields: dict[str, str] = {"organization": "org"}

    def field_for(self, service_field: str) -> str | None:
        name = self.service_fields.get(service_field, service_field)
        if name == "on":
            name = self.day_field
        return name if name in self.fields else None


class AdmitForm(EventForm):
    day_field = "decided_on"
    service_fields = {"organization": "org", "birth_date": "reviewed_on", "kind": "decided_on"}
    org = OrgField(label="Chi bộ kết nạp", help_text=PICK)
    decided_on = event_date_field("Ngày quyết định kết nạp")
    ceremony_on = event_date_field("Ngày lễ kết nạp", required=False)
    reviewed_on = event_date_field("Ngày chi bộ xét", required=False)
    decision_ref = _ref()
    approval_ref = _ref("Văn bản chấp thuận (trên 60 tuổi)")


class RecognizeForm(EventForm):
    day_field = "decided_on"
    service_fields = {"ceremony_on": "decided_on"}
    decided_on = event_date_field("Ngày quyết định công nhận")
    decision_ref = _ref()


class TransferInForm(EventForm):
    service_fields = {"organization": "to"}
    to = OrgField(label="Chi bộ đến", help_text=PICK)
    on = event_date_field("Ngày chuyển đến")
    decision_ref = _ref()
    counterpart = forms.CharField(label="Nơi đi (ngoài hệ thống)", required=False, max_length=255)


class TransferOutForm(EventForm):
    on = event_date_field("Ngày chuyển đi")
    counterpart = forms.CharField(label="Nơi chuyển đến", max_length=255)
    decision_ref = _ref()


class SimpleEventForm(EventForm):
    on = event_date_field("Ngày hiệu lực")
    until = date_field("Đến ngày (nếu có)", required=False)
    decision_ref = _ref()
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("on") and data.get("until") and data["until"] <= data["on"]:
            self.add_error("until", "Ngày kết thúc phải sau ngày hiệu lực.")
        return data


class RestoreForm(EventForm):
    org = OrgField(label="Chi bộ sinh hoạt", help_text=PICK)
    on = event_date_field("Ngày hiệu lực")
    decision_ref = _ref()


def typed_day(data: Any, name: str) -> dt.date | None:
    """The day typed in a form not yet validated (the pickers look units up on it); None when unreadable."""
    raw = (data.get(name) or "").strip() if data else ""
    for f in DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw, f).date()
        except ValueError:
            continue
    return None


def event_form(form_class: type[EventForm], data: Any, *, user: Any, prefix: str | None = None) -> EventForm:
    """The form bound to the person, its pickers looking units up on the day typed (today when none)."""
    key = f"{prefix}-{form_class.day_field}" if prefix else form_class.day_field
    return form_class(data, user=user, on=typed_day(data, key), prefix=prefix)


# ---------------------------------------------------------------- a new profile

# The profile as the party member's profile form groups it (lý lịch đảng viên, mẫu 2-HSĐV).
PROFILE_GROUPS: list[tuple[str, list[str]]] = [
    (
        "Sơ yếu lý lịch",
        [
            "full_name",
            "birth_name",
            "gender",
            "birth_date",
            "birth_place",
            "hometown",
            "hometown_old",
            "residence",
            "ethnicity",
            "religion",
            "occupation",
            "citizen_id",
            "phone",
        ],
    ),
    ("Trình độ", ["general_education", "professional_education", "degree", "political_theory"]),
    ("Vào Đoàn, vào Đảng", ["youth_union_on", "introducers", "card_number", "dossier_number"]),
]


class ProfileForm(forms.ModelForm):
    birth_date = event_date_field("Ngày sinh")
    youth_union_on = event_date_field("Ngày vào Đoàn", required=False)

    class Meta:
        model = Member
        fields = [name for _, names in PROFILE_GROUPS for name in names]
        labels = {
            "full_name": "Họ và tên đang dùng",
            "birth_name": "Họ và tên khai sinh (nếu khác)",
            "citizen_id": "Số CCCD (12 chữ số)",
            "card_number": "Số thẻ đảng viên (8 chữ số)",
            "general_education": "Giáo dục phổ thông (ví dụ 12/12)",
        }

    def groups(self) -> list[tuple[str, list[Any]]]:
        return [(title, [self[n] for n in names]) for title, names in PROFILE_GROUPS]

    def validate_unique(self) -> None:
        """Not here: Django's own check would say "already exists" of a citizen ID held anywhere in the country.
        The service says only what the person may know (members.identifiers)."""
