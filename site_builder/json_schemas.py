"""JSON Schemas of the content files, generated from the pydantic models and published with the site.

Editors' YAML tooling reads the `# yaml-language-server: $schema=...` line that the scaffolds
write, then completes and checks keys as the editor types.
"""

from __future__ import annotations

import functools
import json

from pydantic import BaseModel

from site_builder.schema import HardwareFile, ModelRecord, PostFrontMatter, SiteConfig

SCHEMAS: dict[str, type[BaseModel]] = {
    "hardware": HardwareFile,
    "model-record": ModelRecord,
    "post-front-matter": PostFrontMatter,
    "site": SiteConfig,
}
"""Published as `schemas/<name>.schema.json` under the base URL."""


def schema_path(name: str) -> str:
    return f"schemas/{name}.schema.json"


def schema_url(base_url: str, name: str) -> str:
    return base_url + schema_path(name)


def schema_comment(base_url: str, name: str) -> str:
    """The first line of a scaffold, pointing editors' tooling at the published schema."""
    return f"# yaml-language-server: $schema={schema_url(base_url, name)}"


def json_schema(base_url: str, name: str) -> dict[str, object]:
    schema = SCHEMAS[name].model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": schema_url(base_url, name), **schema}


@functools.cache
def schema_files(base_url: str) -> dict[str, bytes]:
    """Output path to JSON text, for every content schema."""
    return {
        schema_path(name): (json.dumps(json_schema(base_url, name), indent=2, ensure_ascii=False) + "\n").encode()
        for name in SCHEMAS
    }
