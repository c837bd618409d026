from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """An htmx request (django_htmx sets request.htmx; the header is the same truth, and typed)."""
    return request.headers.get("HX-Request") == "true"
