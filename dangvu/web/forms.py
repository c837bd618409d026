"""Forms: parse and check the shape of input; the services decide the rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest

from dangvu.domain.assessment.levels import NEW_LABELS

# Dates are typed and shown as the reports print them (dd/mm/yyyy), whatever the browser's language: a native
# <input type=date> shows mm/dd/yyyy on an English browser. ISO is accepted too (links, bookmarks).
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


class DateInput(forms.TextInput):
    """A text input for dd/mm/yyyy with a numeric keypad on phones."""

    def __init__(self, attrs: dict[str, Any] | None = None, **kw: Any) -> None:
        base = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", "class": "date"}
        super().__init__(attrs={**base, **(attrs or {})}, **kw)

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):
            return f"{value.day:02d}/{value.month:02d}/{value.year}"
        return super().format_value(value)


class VnDateField(forms.DateField):
    """dd/mm/yyyy (or ISO); with `future=False`, a day after today is refused: an event cannot have happened
    tomorrow."""

    input_formats = DATE_FORMATS
    default_error_messages = {"invalid": "Ngày không hợp lệ: viết theo dạng ngày/tháng/năm, ví dụ 05/05/2008."}

    def __init__(self, *, future: bool = True, **kw: Any) -> None:
        self.future = future
        kw.setdefault("widget", DateInput())
        super().__init__(**kw)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not self.future and value > today():
            raise forms.ValidationError(
                f"Ngày {value.day}/{value.month}/{value.year} ở sau hôm nay: sự kiện chưa xảy ra không thể ghi.",
                code="future",
            )
        if value and value.year < 1900:
            raise forms.ValidationError("Năm phải từ 1900 trở đi.", code="too_old")


def date_field(label: str, required: bool = True, *, future: bool = True) -> forms.DateField:
    """A date typed as dd/mm/yyyy; `future=False` for the day of an event (admission, decision, transfer…)."""
    return VnDateField(label=label, required=required, future=future)


def event_date_field(label: str, required: bool = True) -> forms.DateField:
    """The day something happened: never after today."""
    return VnDateField(label=label, required=required, future=False)


class LoginForm(forms.Form):
    username = forms.CharField(label="Tên đăng nhập", max_length=150)
    password = forms.CharField(label="Mật khẩu", widget=forms.PasswordInput)
    otp_token = forms.CharField(
        label="Mã xác thực (nếu đã bật)",
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, request: HttpRequest, *args: Any, **kw: Any) -> None:
        self.request = request
        self.user: Any = None
        self.device: Any = None
        super().__init__(*args, **kw)

    def clean(self) -> dict[str, Any]:
        from django_otp import devices_for_user, match_token

        data = super().clean() or {}
        if self.errors:
            return data
        user = authenticate(self.request, username=data["username"], password=data["password"])
        if user is None:
            raise forms.ValidationError("Tên đăng nhập hoặc mật khẩu không đúng.")
        if not user.is_active:
            raise forms.ValidationError("Tài khoản đã bị khóa.")
        if any(True for _ in devices_for_user(user, confirmed=True)):
            token = (data.get("otp_token") or "").strip()
            device = match_token(user, token) if token else None
            if device is None:
                raise forms.ValidationError("Tài khoản này bật xác thực hai bước: cần mã xác thực đúng.")
            self.device = device
        self.user = user
        return data


class TotpConfirmForm(forms.Form):
    token = forms.CharField(label="Mã 6 chữ số từ ứng dụng", max_length=8)


class AsOfForm(forms.Form):
    as_of = date_field("Tại ngày", required=False)


class MemberSearchForm(forms.Form):
    q = forms.CharField(label="Tìm (họ tên, mã)", required=False)
    status = forms.ChoiceField(
        label="Tình trạng",
        required=False,
        choices=[("", "Tất cả"), ("official", "Chính thức"), ("probationary", "Dự bị")],
    )
    gender = forms.ChoiceField(
        label="Giới tính", required=False, choices=[("", "Tất cả"), ("male", "Nam"), ("female", "Nữ")]
    )
    unit = forms.CharField(label="Mã chi bộ", required=False)
    as_of = date_field("Tại ngày", required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Lý do", widget=forms.Textarea, required=False)


# ---------------------------------------------------------------- lifecycle


class EventForm(forms.Form):
    """Fields shared by the lifecycle forms; each kind keeps the ones its service takes."""

    on = date_field("Ngày hiệu lực")
    decision_ref = forms.CharField(label="Số quyết định", required=False, max_length=120)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea)


class AdmitForm(forms.Form):
    org = forms.CharField(label="Mã chi bộ kết nạp")
    decided_on = date_field("Ngày quyết định")
    ceremony_on = date_field("Ngày lễ kết nạp", required=False)
    reviewed_on = date_field("Ngày chi bộ xét", required=False)
    decision_ref = forms.CharField(label="Số quyết định", required=False, max_length=120)
    approval_ref = forms.CharField(label="Văn bản chấp thuận (trên 60 tuổi)", required=False, max_length=120)


class RecognizeForm(forms.Form):
    decided_on = date_field("Ngày quyết định công nhận")
    decision_ref = forms.CharField(label="Số quyết định", required=False, max_length=120)


class TransferInForm(forms.Form):
    to = forms.CharField(label="Mã chi bộ đến")
    on = date_field("Ngày chuyển đến")
    decision_ref = forms.CharField(label="Số quyết định", required=False, max_length=120)
    counterpart = forms.CharField(label="Nơi đi (ngoài hệ thống)", required=False, max_length=255)


class TransferOutForm(forms.Form):
    on = date_field("Ngày chuyển đi")
    counterpart = forms.CharField(label="Nơi chuyển đến", max_length=255)
    decision_ref = forms.CharField(label="Số quyết định", required=False, max_length=120)


class SimpleEventForm(forms.Form):
    on = date_field("Ngày hiệu lực")
    until = date_field("Đến ngày", required=False)
    decision_ref = forms.CharField(label="Số quyết định", required=False, max_length=120)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea)


class RestoreForm(forms.Form):
    org = forms.CharField(label="Mã chi bộ")
    on = date_field("Ngày hiệu lực")
    decision_ref = forms.CharField(label="Số quyết định", required=False, max_length=120)


# ---------------------------------------------------------------- review

LEVEL_CHOICES = [("", "—")] + [(k, v) for k, v in NEW_LABELS.items()]


class SelfReviewForm(forms.Form):
    level = forms.ChoiceField(label="Tự xếp loại", choices=LEVEL_CHOICES[1:])
    comment = forms.CharField(label="Bản tự kiểm điểm (tóm tắt)", widget=forms.Textarea, required=False)


class CycleOpenForm(forms.Form):
    year = forms.IntegerField(label="Năm", min_value=2008, max_value=2100)
    rated_on = date_field("Ngày xếp loại", required=False)


def today() -> dt.date:
    from dangvu.accounts.scope import today as t

    return t()
