"""The JSON API, /api/v1/ (issue 15, item 3; docs/api.md): django-ninja, token authentication only (no session, so
no CSRF), a throttle per token, every error as JSON in Vietnamese. Its OpenAPI schema is served at
/api/v1/openapi.json and committed as docs/api/openapi.json (tests/api/test_schema.py keeps them equal:
`.venv/bin/python -m dangvu.api.schema > docs/api/openapi.json` after a change)."""

from __future__ import annotations

import importlib.util
from typing import Any

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Router
from ninja.renderers import JSONRenderer

from . import errors, reads, writes
from .auth import TokenAuth, TokenThrottle


class Utf8Json(JSONRenderer):
    """Vietnamese as UTF-8 in the answers ("Nguyễn", not "Nguy\\u1ec5n")."""

    json_dumps_params: Any = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=Utf8Json(),
    title="Đảng vụ API",
    version="1",
    description="Hồ sơ tổ chức đảng, đảng viên, đánh giá xếp loại, chỉ số và báo cáo — trong phạm vi của người giữ "
    "khóa, như trên trang web. Xác thực: `Authorization: Bearer dv_…` (khóa tạo ở trang Tài khoản → Khóa API).",
    auth=TokenAuth(),
    throttle=[TokenThrottle()],
    docs_url=None,  # docs/api.md and the schema: no page loading a script from a CDN
    urls_namespace="api-v1",
)
errors.install(api)
errors.install_forms(api)
api.add_router("", reads.router)
api.add_router("", writes.router)

# The statistics tables (issue 15, item 1) bring their own router, dangvu/tables/api.py (`router = Router()`): mounted
# here under /tables when that app is installed. Regenerate docs/api/openapi.json after it lands.
if importlib.util.find_spec("dangvu.tables") is not None and importlib.util.find_spec("dangvu.tables.api"):
    from dangvu.tables.api import router as tables_router  # type: ignore[import-not-found,unused-ignore]

    api.add_router("/tables", tables_router)


# Last: any other address under /api/v1/ answers the API's JSON 404, not the web's page.
unknown = Router()


@unknown.api_operation(["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False, auth=None)
def not_found(request: HttpRequest, rest: str) -> Any:
    raise Http404


api.add_router("", unknown)
