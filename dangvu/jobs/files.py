"""Files through Django's storage API (issue 14, item 4): uploads, report drafts and issued reports are names in
storages["default"] (settings.STORAGES), so web processes and workers on different machines share them through a
shared storage. Code that needs a local file (calamine, LibreOffice) works on a temporary copy."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.storage import Storage, storages


def storage() -> Storage:
    return storages["default"]


def save(name: str, local: Path) -> str:
    """Store a local file under `name` (another name if taken); returns the stored name."""
    with local.open("rb") as f:
        return storage().save(name, File(f, name=PurePosixPath(name).name))


def delete(names: Iterable[str]) -> None:
    s = storage()
    for name in names:
        if name and s.exists(name):
            s.delete(name)


@contextmanager
def local_copy(name: str) -> Iterator[Path]:
    """A temporary local copy of a stored file, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="dangvu-") as tmp:
        path = Path(tmp) / PurePosixPath(name).name
        with storage().open(name, "rb") as src, path.open("wb") as out:
            shutil.copyfileobj(src, out)
        yield path


def basename(name: str) -> str:
    return PurePosixPath(name).name
