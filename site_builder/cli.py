"""The `site-builder` command: build, check, serve, reference."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path
from typing import TextIO

from site_builder import __version__
from site_builder import build as pipeline
from site_builder.parallel import default_jobs
from site_builder.problems import BuildFailed
from site_builder.reference import content_reference, update_readme
from site_builder.render import RenderedSite
from site_builder.timing import StageTimes
from site_builder.urls import Urls, check_base_url

DEFAULT_OUT = "_site"


def main(argv: list[str] | None = None, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    args = _parser().parse_args(argv)
    # A terminated build unwinds like an interrupted one, so its staging folder is removed.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        project = pipeline.Project.at(Path.cwd(), getattr(args, "content", None))
        status: int = args.run(args, project, stdout)
    except BuildFailed as failure:
        for problem in failure.problems:
            print(problem, file=stderr)
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
    _jobs_option(build)
    build.add_argument("--profile", action="store_true", help="print the time spent in each stage")
    build.set_defaults(run=_build)

    check = commands.add_parser("check", help="validate content only; write nothing")
    _content_options(check)
    _jobs_option(check)
    check.set_defaults(run=_check)

    serve = commands.add_parser("serve", help="build, then serve the site on 127.0.0.1")
    _content_options(serve)
    serve.add_argument("--out", type=Path, default=Path(DEFAULT_OUT), help="output folder (default: _site)")
    serve.add_argument("--port", type=_port, default=8000, help="port on 127.0.0.1 (default: 8000)")
    serve.set_defaults(run=_serve)

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


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of processes (1 or more)")
    return int(text)


def _jobs_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--jobs", type=_jobs, default=default_jobs(), help="processes to use (default: one per core; 1: no others)"
    )


def _content_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=None, help="content folder (default: ./content)")


def _build(args: argparse.Namespace, project: pipeline.Project, stdout: TextIO) -> int:
    started = time.perf_counter()
    times = StageTimes()
    site = pipeline.build(project, args.out, args.base_url, args.jobs, times)
    print(_summary(site, args.out, time.perf_counter() - started), file=stdout)
    if args.profile:
        print(times.report(), file=stdout)
    return 0


def _summary(site: RenderedSite, out: Path, seconds: float) -> str:
    pages = _plural(sum(site.page_counts.values()), "page")
    kinds = ", ".join(_plural(count, kind) for kind, count in site.page_counts.items())
    static = _plural(site.static_count, "static file")
    return f"Wrote {pages} ({kinds}) and {static} to {out}/ in {seconds:.2f} s"


def _check(args: argparse.Namespace, project: pipeline.Project, stdout: TextIO) -> int:
    content = pipeline.check(project, args.jobs)
    print(
        f"Content is valid: {_plural(len(content.models), 'model')}, {_plural(len(content.posts), 'post')}.",
        file=stdout,
    )
    return 0


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _serve(args: argparse.Namespace, project: pipeline.Project, stdout: TextIO) -> int:
    from site_builder.serve import serve

    started = time.perf_counter()
    site = pipeline.build(project, args.out)
    print(_summary(site, args.out, time.perf_counter() - started), file=stdout)
    prefix = Urls(site.base_url).prefix
    print(f"Serving {args.out}/ at http://127.0.0.1:{args.port}{prefix} (Ctrl+C stops)", file=stdout, flush=True)
    serve(args.out, args.port, prefix)
    return 0


def _reference(args: argparse.Namespace, project: pipeline.Project, stdout: TextIO) -> int:
    if args.update:
        update_readme(args.update)
        print(f"Updated the content reference in {args.update}", file=stdout)
    else:
        stdout.write(content_reference())
    return 0
