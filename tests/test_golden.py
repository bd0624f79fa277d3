"""Golden HTML: a few pages of the tiny fixture site, compared byte for byte with tests/golden/.

Any change to the templates or the renderer shows up here as a diff. The fixture's static
files are fixed stand-ins, so restyling the site does not churn these files.
When the change is intended, rewrite the golden files, read the diff (`git diff tests/golden`)
and commit it with the change:

    UPDATE_GOLDEN=1 scripts/test tests/test_golden.py
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FixtureSite

GOLDEN = Path(__file__).resolve().parent / "golden"
PAGES = ["index.html", "models/alpha/index.html", "posts/week-01/index.html"]
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
UPDATE_COMMAND = "UPDATE_GOLDEN=1 scripts/test tests/test_golden.py"


@pytest.fixture
def built(make_site: Callable[..., FixtureSite]) -> Path:
    site = make_site()
    site.write("static/style.css", "body { color: black; }\n")
    site.write("static/favicon.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>\n")
    site.write("static/tables.js", "// stand-in\n")
    result = site.run("build")
    assert result.code == 0, result.err
    return site.root / "_site"


@pytest.mark.parametrize("page", PAGES)
def test_page_matches_golden_file(built: Path, page: str) -> None:
    actual = (built / page).read_bytes()
    golden = GOLDEN / page
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(actual)
    assert golden.is_file(), f"no golden file {golden}; create it with: {UPDATE_COMMAND}"
    expected = golden.read_bytes()
    if actual != expected:
        diff = difflib.unified_diff(
            expected.decode("utf-8").splitlines(keepends=True),
            actual.decode("utf-8").splitlines(keepends=True),
            fromfile=f"tests/golden/{page}",
            tofile=f"built {page}",
        )
        pytest.fail(f"{page} differs from its golden file; if intended, run: {UPDATE_COMMAND}\n{''.join(diff)}")


def test_golden_folder_holds_only_the_compared_pages() -> None:
    found = sorted(path.relative_to(GOLDEN).as_posix() for path in GOLDEN.rglob("*") if path.is_file())
    assert found == sorted(PAGES)
