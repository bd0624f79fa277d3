"""The README's weekly routine: its commands exist and run as written, and its preview address is true."""

from __future__ import annotations

import re
import subprocess

import pytest
from conftest import REPO
from ruamel.yaml import YAML

from site_builder.cli import main
from site_builder.urls import Urls

README = (REPO / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(set(re.findall(r"scripts/site-builder ([a-z][a-z-]*)", README)))


def editor_section() -> str:
    return README.split("\n## For editors\n", 1)[1].split("\n## ", 1)[0]


def test_editor_section_opens_with_the_weekly_routine() -> None:
    section = editor_section()
    assert section.lstrip().startswith("### Every week\n")
    routine = section.split("\n### ", 2)[1]
    steps = ["new-week", "serve", "check", "freeze", "git commit", "pull request", "Merge", "publishes"]
    positions = [routine.find(step) for step in steps]
    assert -1 not in positions, dict(zip(steps, positions, strict=True))
    assert positions == sorted(positions), "the routine's steps are out of order"


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command_is_a_site_builder_command(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0, capsys.readouterr().err
    assert capsys.readouterr().out.startswith(f"usage: site-builder {command}")


def test_readme_check_runs_as_written_from_the_clone() -> None:
    result = subprocess.run(
        ["scripts/site-builder", "check"], cwd=REPO, capture_output=True, text=True, check=False, timeout=600
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Content is valid: ")


def test_readme_preview_address_is_where_serve_serves_the_site() -> None:
    base_url = YAML(typ="safe").load((REPO / "content/site.yaml").read_text(encoding="utf-8"))["base_url"]
    address = f"http://127.0.0.1:8000{Urls(base_url).prefix}"
    routine = editor_section().split("\n### ", 2)[1]
    assert f"preview at {address} " in routine
    assert f"`{address}`" in routine
    assert not re.search(r"127\.0\.0\.1:8000(?!/)", README), "a preview address without the site's path"
