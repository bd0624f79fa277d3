"""CI and the dependency locks: the workflow lints clean and is pinned, and the locks match pyproject.toml."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from ruamel.yaml import YAML

WORKFLOWS = sorted((REPO / ".github/workflows").glob("*.y*ml"))
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<comment>.*)$")
PINNED = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")
VERSION_COMMENT = re.compile(r"\s+# v\d+\.\d+\.\d+")


def load_workflow(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def steps(workflow: Any) -> list[tuple[str, dict[str, Any]]]:
    return [(job_id, step) for job_id, job in workflow["jobs"].items() for step in job.get("steps", [])]


def test_there_is_a_workflow() -> None:
    assert [path.name for path in WORKFLOWS] == ["pages.yml"]


def test_zizmor_finds_nothing() -> None:
    zizmor = Path(sys.executable).parent / "zizmor"
    result = subprocess.run(
        [str(zizmor), "--offline", "--no-progress", str(REPO / ".github/workflows")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path: Path) -> None:
    lines = [match for line in path.read_text(encoding="utf-8").splitlines() if (match := USES_LINE.match(line))]
    assert len(lines) == sum(1 for _, step in steps(load_workflow(path)) if "uses" in step), "a `uses:` was missed"
    for match in lines:
        assert PINNED.fullmatch(match["ref"]), f"{match['ref']} is not pinned to a full commit SHA"
        assert VERSION_COMMENT.fullmatch(match["comment"]), f"{match['ref']}: no `# vX.Y.Z` comment"


def test_checkouts_keep_no_credentials_and_jobs_have_timeouts() -> None:
    for path in WORKFLOWS:
        workflow = load_workflow(path)
        for job_id, job in workflow["jobs"].items():
            assert isinstance(job.get("timeout-minutes"), int), f"{path.name}: job {job_id} has no timeout-minutes"
        for job_id, step in steps(workflow):
            if str(step.get("uses", "")).startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, f"{path.name}: {job_id} keeps credentials"
            if str(step.get("uses", "")).startswith("actions/setup-python@"):
                assert step["with"]["cache"] == "pip", f"{path.name}: {job_id} does not cache pip downloads"


def test_pages_workflow_deploys_without_cancelling_and_reviews_pull_requests() -> None:
    workflow = load_workflow(REPO / ".github/workflows/pages.yml")
    jobs = workflow["jobs"]
    assert workflow["permissions"] == {}
    deploy = jobs["deploy"]
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert set(deploy["needs"]) == {"test", "build"}
    build_steps = [step for job_id, step in steps(workflow) if job_id == "build"]
    configure = next(step for step in build_steps if "configure-pages" in step.get("uses", ""))
    assert configure["if"] == "github.event_name != 'pull_request'"
    assert jobs["build"]["permissions"]["pages"] == "read", "configure-pages reads the Pages API"
    runs = [step["run"] for step in build_steps if "run" in step]
    assert "scripts/site-builder check --format github" in runs
    preview = next(step for step in build_steps if "upload-artifact@" in step.get("uses", ""))
    assert (preview["if"], preview["with"]["path"]) == ("github.event_name == 'pull_request'", "_site")
    assert [step["run"] for job_id, step in steps(workflow) if job_id == "test" and "run" in step] == ["scripts/test"]


def test_ci_runs_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in first_block.splitlines()]
    assert commands == ["scripts/build", "scripts/test"], "the README opens with the two set-up commands"
    ci_run = (REPO / ".ci/run").read_text(encoding="utf-8").splitlines()
    assert ci_run[-1] == "exec scripts/test"


# --- the dependency locks ------------------------------------------------------------------------

LOCKED_LINE = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+) \\$")


def locked(path: Path) -> dict[str, tuple[str, list[str]]]:
    """name -> (version, the lock's `# via` lines) for every pinned requirement in a lock file."""
    found: dict[str, tuple[str, list[str]]] = {}
    name = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if match := LOCKED_LINE.match(line):
            name = canonicalize_name(match["name"])
            found[name] = (match["version"], [])
        elif line.lstrip().startswith("#"):
            if name:
                found[name][1].append(line)
        elif line.strip() and not line.strip().startswith("--hash=sha256:"):
            pytest.fail(f"{path.name}: unexpected line {line!r}")
    return found


def declared(*extras: str) -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    texts = project["dependencies"] + [text for extra in extras for text in project["optional-dependencies"][extra]]
    return {canonicalize_name(Requirement(text).name) for text in texts}


def direct(lock: dict[str, tuple[str, list[str]]]) -> set[str]:
    """The locked names that pyproject.toml asks for (the lock says `via site-builder (pyproject.toml)`)."""
    return {name for name, (_, via) in lock.items() if any("site-builder (pyproject.toml)" in line for line in via)}


@pytest.mark.parametrize(("lock_name", "extras"), [("site", ()), ("test", ("test",))])
def test_lock_covers_exactly_the_declared_dependencies(lock_name: str, extras: tuple[str, ...]) -> None:
    lock = locked(REPO / "requirements" / f"{lock_name}.txt")
    assert direct(lock) == declared(*extras), "pyproject.toml and the lock disagree: run scripts/lock"


@pytest.mark.parametrize("lock_name", ["site", "test", "build"])
def test_every_locked_requirement_has_hashes(lock_name: str) -> None:
    text = (REPO / "requirements" / f"{lock_name}.txt").read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    for block in blocks:
        assert "--hash=sha256:" in block, f"{lock_name}.txt: {block.splitlines()[0]} has no hash"


def test_site_and_test_locks_pin_the_same_versions() -> None:
    site = locked(REPO / "requirements/site.txt")
    test = locked(REPO / "requirements/test.txt")
    assert set(site) <= set(test)
    assert {name: site[name][0] for name in site} == {name: test[name][0] for name in site}


def test_scripts_install_from_the_locks_with_hashes() -> None:
    venv = (REPO / "scripts/_venv.sh").read_text(encoding="utf-8")
    assert '--require-hashes -r "requirements/$lock.txt"' in venv
    assert "--require-hashes -r requirements/build.txt" in venv
    assert "--no-deps --no-build-isolation -e ." in venv, "the project is built with the locked setuptools"
    assert 'cat pyproject.toml "requirements/$1.txt" requirements/build.txt | sha256sum' in venv, (
        "the stamp follows the locks"
    )


def test_build_lock_covers_the_build_system() -> None:
    requires = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]
    wanted = {canonicalize_name(Requirement(text).name) for text in requires}
    assert set(locked(REPO / "requirements/build.txt")) == wanted, "run scripts/lock"
