"""The `site-builder` command: build, check, serve, freeze, reference."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path
from typing import TextIO

from site_builder import __version__
from site_builder import build as pipeline
from site_builder.freeze import freeze_weeks
from site_builder.problems import OUTPUT_FORMATS, BuildFailed, Problem, display_path, format_problem
from site_builder.reference import content_reference, update_readme
from site_builder.render import RenderedSite
from site_builder.urls import Urls, check_base_url

DEFAULT_OUT = "_site"


def main(argv: list[str] | None = None, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    args = _parser().parse_args(argv)
    # A terminated build unwinds like an interrupted one, so its staging folder is removed.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        project = pipeline.Project.at(Path.cwd(), getattr(args, "content", None))
        status: int = args.run(args, project, stdout, stderr)
    except BuildFailed as failure:
        for problem in failure.problems:
            print(format_problem(problem, getattr(args, "format", "text")), file=stderr)
        count = len(failure.problems)
        print(f"error: {_plural(count, 'problem')} found; nothing was written", file=stderr)
        return 1
    except OSError as error:
        print(f"error: {error.strerror or error}{f': {error.filename}' if error.filename else ''}", file=stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return status


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="site-builder", description="Build the Home GPU Leaderboard site.")
    parser.add_argument("--version", action="version", version=f"site-builder {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="validate content and write the site")
    _content_options(build)
    build.add_argument("--out", type=Path, default=Path(DEFAULT_OUT), help="output folder (default: _site)")
    build.add_argument("--base-url", type=_base_url, help="publish address; overrides base_url in content/site.yaml")
    _format_option(build)
    build.set_defaults(run=_build)

    check = commands.add_parser("check", help="validate content only; write nothing")
    _content_options(check)
    _format_option(check)
    check.set_defaults(run=_check)

    serve = commands.add_parser("serve", help="build, then serve the site on 127.0.0.1")
    _content_options(serve)
    serve.add_argument("--out", type=Path, default=Path(DEFAULT_OUT), help="output folder (default: _site)")
    serve.add_argument("--port", type=_port, default=8000, help="port on 127.0.0.1 (default: 8000)")
    serve.set_defaults(run=_serve)

    freeze = commands.add_parser(
        "freeze", help="write the lock file of published weeks, so later edits leave them as published"
    )
    _content_options(freeze)
    freeze.add_argument(
        "post_ids",
        nargs="*",
        metavar="POST_ID",
        help="weeks to freeze, e.g. week-06 (default: every week without a lock)",
    )
    freeze.add_argument("--refresh", action="store_true", help="rewrite the named weeks' existing locks on purpose")
    freeze.set_defaults(run=_freeze)

    reference = commands.add_parser("reference", help="print the content reference (Markdown)")
    reference.add_argument("--update", type=Path, metavar="README", help="rewrite the reference section of this file")
    reference.set_defaults(run=_reference)
    return parser


def _base_url(text: str) -> str:
    try:
        return check_base_url(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (1-65535)")
    return int(text)


def _content_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=None, help="content folder (default: ./content)")


def _format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=OUTPUT_FORMATS,
        default="text",
        help="how to print problems: text (path:line:col: message) or github (GitHub Actions annotations)",
    )


def _build(args: argparse.Namespace, project: pipeline.Project, stdout: TextIO, stderr: TextIO) -> int:
    started = time.perf_counter()
    site = pipeline.build(project, args.out, args.base_url)
    _print_warnings(site.warnings, args, stderr)
    print(_summary(site, args.out, time.perf_counter() - started), file=stdout)
    return 0


def _summary(site: RenderedSite, out: Path, seconds: float) -> str:
    pages = _plural(sum(site.page_counts.values()), "page")
    kinds = ", ".join(_plural(count, kind) for kind, count in site.page_counts.items())
    static = _plural(site.static_count, "static file")
    return f"Wrote {pages} ({kinds}) and {static} to {out}/ in {seconds:.2f} s"


def _check(args: argparse.Namespace, project: pipeline.Project, stdout: TextIO, stderr: TextIO) -> int:
    data = pipeline.check_site(project)
    _print_warnings(data.warnings, args, stderr)
    content = data.content
    print(
        f"Content is valid: {_plural(len(content.models), 'model')}, {_plural(len(content.posts), 'post')}.",
        file=stdout,
    )
    return 0


def _print_warnings(warnings: list[Problem], args: argparse.Namespace, stderr: TextIO) -> None:
    for warning in warnings:
        print(format_problem(warning, getattr(args, "format", "text")), file=stderr)


def _freeze(args: argparse.Namespace, project: pipeline.Project, stdout: TextIO, stderr: TextIO) -> int:
    if args.refresh and not args.post_ids:
        print(
            "error: --refresh rewrites only the weeks you name, e.g. `site-builder freeze --refresh week-06`",
            file=stderr,
        )
        return 2
    written = freeze_weeks(project, args.post_ids, args.refresh)
    for frozen in written:
        verb = "Refreshed" if frozen.refreshed else "Froze"
        shown = display_path(frozen.path, project.root)
        print(f"{verb} Week {frozen.post.meta.week} in {shown}", file=stdout)
    if not written:
        print("Every week already has a lock file; nothing to freeze.", file=stdout)
    return 0


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _serve(args: argparse.Namespace, project: pipeline.Project, stdout: TextIO, stderr: TextIO) -> int:
    from site_builder.serve import serve

    started = time.perf_counter()
    site = pipeline.build(project, args.out)
    _print_warnings(site.warnings, args, stderr)
    print(_summary(site, args.out, time.perf_counter() - started), file=stdout)
    prefix = Urls(site.base_url).prefix
    print(f"Serving {args.out}/ at http://127.0.0.1:{args.port}{prefix} (Ctrl+C stops)", file=stdout, flush=True)
    serve(args.out, args.port, prefix)
    return 0


def _reference(args: argparse.Namespace, project: pipeline.Project, stdout: TextIO, stderr: TextIO) -> int:
    if args.update:
        update_readme(args.update)
        print(f"Updated the content reference in {args.update}", file=stdout)
    else:
        stdout.write(content_reference())
    return 0
