"""The JSON Schemas published for editors' tooling agree with the content and the validator."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from conftest import REPO, FixtureSite
from jsonschema import Draft202012Validator, FormatChecker

from site_builder.json_schemas import json_schema
from site_builder.load import load_content
from site_builder.yaml_source import read_yaml

MakeSite = Callable[..., FixtureSite]
BASE = "https://example.test/board/"


def as_json(data: Any) -> Any:
    """YAML as an editor's tooling sees it: dates are strings."""
    return json.loads(
        json.dumps(data, default=lambda value: value.isoformat() if isinstance(value, dt.date) else value)
    )


def validator(name: str) -> Draft202012Validator:
    schema = json_schema(BASE, name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def errors(name: str, data: Any) -> list[str]:
    return [error.message for error in validator(name).iter_errors(as_json(data))]


def test_the_real_content_files_match_their_schemas() -> None:
    loaded = load_content(REPO / "content", REPO)
    assert loaded.problems == [] and loaded.site is not None and loaded.models and loaded.posts
    assert errors("site", loaded.site.document.data) == []
    for model in loaded.models:
        assert errors("model-record", model.document.data) == [], model.file.path
    for post in loaded.posts:
        assert errors("post-front-matter", post.front_matter.data) == [], post.file.path
    assert loaded.hardware is not None
    assert errors("hardware", loaded.hardware.document.data) == []


def test_figures_are_strings_and_unknown_keys_are_flagged() -> None:
    record = {"name": "A", "vendor": "B", "quantizations": [{"format": "Q4", "hardware": "x", "vram": 22}]}
    found = errors("model-record", record)
    assert "22 is not valid under any of the given schemas" in found
    assert errors("model-record", {"name": "A", "vendor": "B", "licence": "MIT"}) == [
        "Additional properties are not allowed ('licence' was unexpected)"
    ]
    figures = {"name": "A", "vendor": "B", "total_params": "309B", "context_window": "10M"}
    assert errors("model-record", figures) == []


def test_field_docstrings_become_descriptions() -> None:
    properties = json_schema(BASE, "post-front-matter")["properties"]
    assert isinstance(properties, dict)
    assert properties["draft"]["description"].startswith("True while the post is being written")
    assert properties["date"] == {
        "description": "Publication date (YYYY-MM-DD), not before the date of the week before.",
        "format": "date",
        "title": "Date",
        "type": "string",
    }


def test_the_build_publishes_the_schemas_under_the_base_url(make_site: MakeSite) -> None:
    site = make_site()
    assert site.run("build", "--today", "2026-01-20").code == 0
    published = sorted(path.name for path in (site.root / "_site/schemas").iterdir())
    assert published == [
        "hardware.schema.json",
        "model-record.schema.json",
        "post-front-matter.schema.json",
        "site.schema.json",
    ]
    schema = json.loads((site.root / "_site/schemas/model-record.schema.json").read_text())
    assert schema["$id"] == f"{BASE}schemas/model-record.schema.json"
    assert schema == json_schema(BASE, "model-record")


@pytest.mark.parametrize("name", ["model-record", "post-front-matter"])
def test_scaffolds_point_at_the_published_schemas(make_site: MakeSite, name: str) -> None:
    site = make_site()
    assert (
        site.run(
            "new-model" if name == "model-record" else "new-week", *(["beta"] if name == "model-record" else [])
        ).code
        == 0
    )
    path = site.root / ("content/models/beta.yaml" if name == "model-record" else "content/posts/week-02.md")
    lines = path.read_text().splitlines()
    schema_line = lines[0] if name == "model-record" else lines[1]
    assert schema_line == f"# yaml-language-server: $schema={BASE}schemas/{name}.schema.json"
    document = read_yaml("\n".join(lines if name == "model-record" else lines[1 : lines.index("---", 1)]))
    expected = ["'' should be non-empty", "'' should be non-empty"] if name == "model-record" else []
    assert errors(name, document.data) == expected


def test_the_models_download_validates_against_the_published_record_schema(make_site: MakeSite) -> None:
    site = make_site()
    assert site.run("build").code == 0
    out = site.root / "_site"
    models = json.loads((out / "models.json").read_text(encoding="utf-8"))
    published = json.loads((out / "schemas/model-record.schema.json").read_text(encoding="utf-8"))
    assert models["record_schema"] == "https://example.test/board/schemas/model-record.schema.json"
    check = Draft202012Validator(published, format_checker=FormatChecker())
    assert models["models"], "the download lists the site's models"
    for model in models["models"]:
        assert [error.message for error in check.iter_errors(model["record"])] == [], model["id"]
    assert models["models"][0]["record"]["total_params"] == "7B", "figures are published as written"
