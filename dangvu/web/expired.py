"""A stored file offered for download that `dangvu prune` removed (dangvu.jobs.prune): a page that says it expired,
status 410, never a 404 that reads like a mistake nor an error page when the file goes while the request reads it."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from dangvu.jobs import files


def expired_page(request: HttpRequest, *, what: str, again: str = "", back: str = "") -> HttpResponse:
    return render(request, "web/expired.html", {"what": what, "again": again, "back": back}, status=410)


def serve_or_expired(
    request: HttpRequest, stored: str, filename: str, *, what: str, again: str = "", back: str = ""
) -> HttpResponseBase:
    """The stored file, or the expired page when it is gone (opened, not checked first: pruning may remove it between
    a check and the open; once open, the file is read whole even if it is removed meanwhile)."""
    if stored:
        try:
            f = files.storage().open(stored, "rb")
        except FileNotFoundError:
            pass
        else:
            return FileResponse(f, as_attachment=True, filename=filename)
    return expired_page(request, what=what, again=again, back=back)
