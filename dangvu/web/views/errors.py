"""The product's error pages: 400, 403 (and a refused CSRF token), 404 and 500, in Vietnamese and in the layout,
each saying what the person can do next. The login lock (429) is axes' response with web/locked.html.

The message of a PermissionDenied or Http404 raised by the scope (dangvu/accounts/scope.py) is shown on the page;
Django's own messages are English ("No Organization matches the given query.", a resolver's list of patterns)
and are never shown: a message is kept only when it is a sentence with Vietnamese letters in it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token


def _message(exception: Any) -> str:
    """The exception's own words when they are Vietnamese (scope's "Bạn chỉ có quyền xem hồ sơ này."), else ''."""
    args = getattr(exception, "args", ())
    text = args[0] if args and isinstance(args[0], str) else ""
    return text if any(ord(ch) > 127 for ch in text) else ""


def _back(request: HttpRequest) -> str:
    """The page the person came from, when it is one of ours (the Referer header): 'Quay lại' goes there."""
    ref = request.META.get("HTTP_REFERER", "")
    if (
        ref
        and ref != request.build_absolute_uri()
        and url_has_allowed_host_and_scheme(ref, {request.get_host()}, require_https=request.is_secure())
    ):
        return ref
    return ""


def _page(request: HttpRequest, template: str, status: int, **context: Any) -> HttpResponse:
    context.setdefault("back", _back(request))
    context.setdefault("path", request.path)
    return HttpResponse(loader.render_to_string(template, context, request), status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "400.html", 400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "403.html", 403, message=_message(exception))


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "404.html", 404, message=_message(exception))


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request's context: the error may come from the database or a context processor."""
    return HttpResponse(loader.render_to_string("500.html", {"minimal": True}), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF_FAILURE_VIEW: an old tab or an expired session posting a form."""
    return _page(request, "403_csrf.html", 403)
