"""`--format github`: each problem as a GitHub Actions annotation, so a pull request shows it on its line."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import POST_MD, FixtureSite

from site_builder.problems import Problem, format_problem, github_annotation

POST = "content/posts/week-01.md"


def test_error_annotation_names_file_line_and_column() -> None:
    problem = Problem("content/models/glm-5.yaml", 23, 5, "unknown key 'hardwre'; did you mean 'hardware'?")
    assert github_annotation(problem) == (
        "::error file=content/models/glm-5.yaml,line=23,col=5,title=site-builder::"
        "unknown key 'hardwre'; did you mean 'hardware'?"
    )


def test_warning_is_a_warning_annotation() -> None:
    problem = Problem("content/posts/week-07.md", 3, 1, "date is in the future", severity="warning")
    assert github_annotation(problem) == (
        "::warning file=content/posts/week-07.md,line=3,col=1,title=site-builder::date is in the future"
    )


def test_message_escapes_percent_and_line_breaks() -> None:
    problem = Problem("content/site.yaml", 1, 1, "100% sure\r\nsecond line")
    assert github_annotation(problem) == (
        "::error file=content/site.yaml,line=1,col=1,title=site-builder::100%25 sure%0D%0Asecond line"
    )


def test_file_property_escapes_commas_and_colons() -> None:
    problem = Problem("content/models/a,b:c%.yaml", 2, 7, "x")
    assert github_annotation(problem) == (
        "::error file=content/models/a%2Cb%3Ac%25.yaml,line=2,col=7,title=site-builder::x"
    )


def test_message_cannot_end_the_command_or_drive_the_terminal() -> None:
    problem = Problem("content/site.yaml", 1, 1, "a\n::error::forged \x1b[31mred")
    annotation = github_annotation(problem)
    assert (
        annotation == "::error file=content/site.yaml,line=1,col=1,title=site-builder::a%0A::error::forged \\x1b[31mred"
    )
    assert "\n" not in annotation


def test_text_format_is_the_plain_line() -> None:
    problem = Problem("content/site.yaml", 4, 2, "oops")
    assert format_problem(problem, "text") == "content/site.yaml:4:2: oops"
    assert format_problem(problem, "github") == github_annotation(problem)


@pytest.mark.parametrize("command", ["check", "build"])
def test_command_prints_annotations_then_the_summary(make_site: Callable[..., FixtureSite], command: str) -> None:
    site = make_site({POST: POST_MD.replace("quant: Q4_K_M", "quant: Q4_K_S")})
    result = site.run(command, "--format", "github")
    assert result.code == 1
    assert result.out == ""
    assert result.err.splitlines() == [
        f"::error file={POST},line=10,col=7,title=site-builder::"
        "unknown quantization 'Q4_K_S': not among the quantizations of alpha; did you mean 'Q4_K_M'?",
        "error: 1 problem found; nothing was written",
    ]
    assert not (site.root / "_site").exists()


def test_valid_content_prints_no_annotation(make_site: Callable[..., FixtureSite]) -> None:
    result = make_site().run("check", "--format", "github")
    assert (result.code, result.err) == (0, "")
    assert result.out == "Content is valid: 2 models, 1 post.\n"


def test_unknown_format_is_refused(make_site: Callable[..., FixtureSite], capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site()
    with pytest.raises(SystemExit) as exit_info:
        site.run("check", "--format", "json")
    assert exit_info.value.code == 2
    # The list of choices is quoted differently across Python versions.
    assert "site-builder check: error: argument --format: invalid choice: 'json'" in capsys.readouterr().err
