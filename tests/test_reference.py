"""The README's content reference is generated from the schema and must match it."""

from conftest import REPO, FixtureSite

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


def test_readme_error_example_is_what_the_tool_prints(frozen_site: FixtureSite) -> None:
    """The README shows a misspelt key and an unknown quantization; both edits are made here for real."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = readme.split("**Mistakes in content are reported all at once**", 1)[1].split("```")[1].strip()
    glm = frozen_site.root / "content/models/glm-5.yaml"
    glm.write_text(glm.read_text().replace("    hardware: 8x H200 minimum", "    hardwre: 8x H200 minimum"))
    post = frozen_site.root / "content/posts/week-06.md"
    post.write_text(post.read_text().replace("quant: Q3_K_S", "quant: Q3_K_M", 1))
    result = frozen_site.run("check")
    assert result.code == 1
    assert result.err.strip() == example


def test_readme_build_summary_is_what_the_tool_prints(frozen_site: FixtureSite) -> None:
    """The README's example is the frozen example site's summary (tests/fixtures/site), not the real content's."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = readme.split("`build` ends by saying what it wrote", 1)[1].split("```")[1].strip()
    printed = frozen_site.run("build").out.strip()
    assert printed.rsplit(" in ", 1)[0] == example.rsplit(" in ", 1)[0]
