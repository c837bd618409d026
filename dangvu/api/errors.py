"""Every error of the API as JSON with a Vietnamese message: {"detail": "…"} and, for a form's or a rule's refusal,
{"detail": "…", "errors": [{"field": "…", "message": "…"}]}. An object out of the token holder's scope answers exactly
as one that does not exist (404, the same words): the API never tells that someone is a member elsewhere."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from dangvu.domain.errors import RuleError
from dangvu.locks import BUSY_MESSAGE, is_busy

log = logging.getLogger("django.request")

NOT_FOUND = "Không tìm thấy (hoặc không thuộc phạm vi của khóa)."
UNAUTHORIZED = "Thiếu khóa truy cập, hoặc khóa không đúng, đã hết hạn hay đã bị thu hồi."
FORBIDDEN = "Khóa này chỉ có quyền xem."

# pydantic's error types, said in Vietnamese (https://docs.pydantic.dev/latest/errors/validation_errors/)
MESSAGES = {
    "missing": "Thiếu giá trị.",
    "int_parsing": "Cần một số nguyên.",
    "int_type": "Cần một số nguyên.",
    "int_from_float": "Cần một số nguyên.",
    "bool_parsing": "Cần true hoặc false.",
    "bool_type": "Cần true hoặc false.",
    "string_type": "Cần một chuỗi ký tự.",
    "date_parsing": "Ngày không đúng dạng yyyy-mm-dd.",
    "date_from_datetime_parsing": "Ngày không đúng dạng yyyy-mm-dd.",
    "date_from_datetime_inexact": "Ngày không đúng dạng yyyy-mm-dd.",
    "date_type": "Ngày không đúng dạng yyyy-mm-dd.",
    "dict_type": "Cần một đối tượng JSON.",
    "model_attributes_type": "Cần một đối tượng JSON.",
    "json_invalid": "Nội dung không phải JSON hợp lệ.",
    "list_type": "Cần một danh sách.",
    "literal_error": "Giá trị không nằm trong danh sách cho phép.",
    "enum": "Giá trị không nằm trong danh sách cho phép.",
    "extra_forbidden": "Trường này không có trong yêu cầu.",
}


def field_name(loc: Any) -> str:
    """pydantic's location without ninja's container names ('body', 'query', 'path', the schema's parameter)."""
    parts = [str(p) for p in (loc or ()) if p not in ("body", "query", "path", "payload", "params", "filters")]
    return ".".join(parts)


def message_of(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "string_too_long":
        return f"Dài tối đa {ctx.get('max_length')} ký tự."
    if kind == "string_too_short":
        return f"Cần ít nhất {ctx.get('min_length')} ký tự."
    if kind in ("greater_than_equal", "greater_than"):
        return f"Phải từ {ctx.get('ge', ctx.get('gt'))} trở lên."
    if kind in ("less_than_equal", "less_than"):
        return f"Phải từ {ctx.get('le', ctx.get('lt'))} trở xuống."
    if kind == "string_pattern_mismatch":
        return "Giá trị không đúng dạng."
    return MESSAGES.get(kind, "Giá trị không hợp lệ.")


def install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, body: dict[str, Any], status: int) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [{"field": field_name(e.get("loc")), "message": message_of(e)} for e in exc.errors]
        named = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors)
        return respond(request, {"detail": f"Dữ liệu không hợp lệ — {named}", "errors": errors}, 422)

    @api.exception_handler(RuleError)
    def refused(request: HttpRequest, exc: RuleError) -> HttpResponse:
        return respond(request, {"detail": exc.message, "errors": [{"field": exc.field, "message": exc.message}]}, 422)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, {"detail": NOT_FOUND}, 404)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, {"detail": str(exc) or FORBIDDEN}, 403)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(request, {"detail": UNAUTHORIZED}, 401)
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        wait = int(exc.wait or 1) + 1
        response = respond(request, {"detail": f"Khóa này gửi quá nhiều yêu cầu: thử lại sau {wait} giây."}, 429)
        response["Retry-After"] = str(wait)
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja's own HttpErrors speak English ("Cannot parse request body"): said again in Vietnamese.
        words = {400: "Nội dung yêu cầu không phải JSON hợp lệ.", 405: "Phương thức không dùng được ở địa chỉ này."}
        return respond(request, {"detail": words.get(exc.status_code, "Yêu cầu không hợp lệ.")}, exc.status_code)

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        if is_busy(exc):
            return respond(request, {"detail": BUSY_MESSAGE}, 503)
        log.exception("API: lỗi máy chủ", exc_info=exc)
        return respond(request, {"detail": "Lỗi máy chủ: yêu cầu chưa được thực hiện, không có gì được ghi."}, 500)


class FormRefused(Exception):
    """A web form's errors (the same form the page uses), each with the field it names."""

    def __init__(self, form: Any) -> None:
        super().__init__("form refused")
        self.errors = [
            {"field": "" if name == "__all__" else name, "message": str(message)}
            for name, messages in form.errors.items()
            for message in messages
        ]


def install_forms(api: NinjaAPI) -> None:
    @api.exception_handler(FormRefused)
    def form_refused(request: HttpRequest, exc: FormRefused) -> HttpResponse:
        named = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in exc.errors)
        return api.create_response(request, {"detail": f"Chưa ghi được — {named}", "errors": exc.errors}, status=422)
