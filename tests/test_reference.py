"""The README's content reference is generated from the schema and must match it."""

from conftest import REPO

from site_builder.reference import content_reference, readme_reference
from site_builder.schema import ModelRecord, Quantization


def test_readme_reference_matches_schema() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme_reference(readme) == content_reference(), (
        "README.md is out of date: run `.venv/bin/site-builder reference --update README.md`"
    )


def test_reference_lists_every_field_with_its_docstring() -> None:
    reference = content_reference()
    for schema in (ModelRecord, Quantization):
        for name, field in schema.model_fields.items():
            assert field.description, f"{schema.__name__}.{name} has no docstring"
            assert f"| `{name}` |" in reference
            assert field.description in reference


def test_reference_describes_figure_formats() -> None:
    reference = content_reference()
    assert "| `vram` | size, e.g. `22 GB`, `~1.5 TB`, `200 GB+` | no |" in reference
    assert "| `speed` | speed, e.g. `20-25 t/s`, `~20 t/s`, `60+ t/s` | no |" in reference
