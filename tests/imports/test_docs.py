"""docs/import-format.md is what the generator writes from format.py: the documented format cannot drift."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command

from dangvu.imports.docs import render
from dangvu.imports.format import ENUMS, SHEETS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "import-format.md"


def test_the_committed_format_document_is_what_the_generator_writes() -> None:
    assert DOCS.read_text(encoding="utf-8") == render(), "run: dangvu template --docs docs/import-format.md"


def test_the_document_names_every_sheet_column_and_allowed_value() -> None:
    text = render()
    for sheet in SHEETS:
        assert f"### {sheet.name} (`{sheet.csv_name}`)" in text
        for col in sheet.columns:
            assert f"| {col.header} |" in text
    for e in ENUMS.values():
        for code, label in e.labels.items():
            if code:
                assert f"| {label} | `{code}` |" in text
    assert "| Mã cấp ủy quyết định |" in text  # the ratings sheet's columns, from assessment.exchange


def test_the_template_command_writes_the_document(tmp_path) -> None:
    call_command("template", "--docs", str(tmp_path / "f.md"))
    assert (tmp_path / "f.md").read_text(encoding="utf-8") == render()
