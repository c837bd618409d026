"""Headers Django 5.2 does not set itself: a content security policy (no CDN, no inline script) and a
permissions policy. Static files come from 'self'; htmx is vendored (web/static/web/htmx.min.js)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=()"


def security_headers(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        # The admin has inline scripts and styles of its own; keep the policy to our pages.
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS)
        return response

    return middleware


def refuse_nul_bytes(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """A NUL byte in the address or the parameters is a 400 (the product's page), never a server error: PostgreSQL's
    text cannot hold one, and the query that would carry it (`/to-chuc/%00/`, `?kind=%00`) fails with a DataError.
    Form posts are checked whether url-encoded or multipart (a hostile client may send either; the CSRF check reads
    the same parsed body next); uploaded files' contents are left to their forms and the importer."""

    def middleware(request: HttpRequest) -> HttpResponse:
        params = list(request.GET.lists())
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            params += list(request.POST.lists())
        if "\x00" in request.path or any("\x00" in k or any("\x00" in v for v in vs) for k, vs in params):
            raise BadRequest("NUL")
        return get_response(request)

    return middleware
