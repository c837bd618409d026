"""Print the API's OpenAPI schema as committed in docs/api/openapi.json:
`.venv/bin/python -m dangvu.api.schema > docs/api/openapi.json`."""

from __future__ import annotations

import json
import os
from typing import Any


def schema_text() -> str:
    from .main import api

    data: Any = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    import django

    django.setup()
    print(schema_text(), end="")
