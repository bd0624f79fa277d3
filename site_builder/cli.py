"""The `site-builder` command: build, check, serve, new-week, new-model, freeze, reference."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import signal
import sys
import time
from pathlib import Path
from typing import NoReturn, TextIO

from site_builder import __version__, manifest
from site_builder.cache import CACHE_DIR, Cache
from site_builder.collector import fewer_collections
from site_builder.manifest import Summary
from site_builder.parallel import default_jobs
from site_builder.problems import OUTPUT_FORMATS, BuildFailed, Problem, display_path, format_problem
from site_builder.project import Project
from site_builder.schedule import Schedule, describe_unpublished, today_from_environment
from site_builder.search import available as search_available
from site_builder.timing import StageTimes
from site_builder.urls import Urls, check_base_url

# The pipeline's modules (Jinja, pydantic, markdown-it...) are imported by the commands that use
# them, so that a build with nothing to do answers before they would have loaded.

DEFAULT_OUT = "_site"


def main(argv: list[str] | None = None, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    args = _parser().parse_args(argv)
    # A terminated build unwinds like an interrupted one, so its staging folder is removed.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        project = Project.at(Path.cwd(), getattr(args, "content", None))
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


def run() -> NoReturn:
    """The command's entry point: `main`, then exit without the interpreter's teardown. Everything
    the command makes is written and closed by then; the teardown would only free, one by one, the
    objects of a large build (a tenth of an edited build's time)."""
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="site-builder", description="Build the Home GPU Leaderboard site.")
    parser.add_argument("--version", action="version", version=f"site-builder {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="validate content and write the site")
    _content_options(build)
    _schedule_options(build)
    _format_option(build)
    build.add_argument("--out", type=Path, default=Path(DEFAULT_OUT), help="output folder (default: _site)")
    build.add_argument("--base-url", type=_base_url, help="publish address; overrides base_url in content/site.yaml")
    _jobs_option(build)
    build.add_argument("--profile", action="store_true", help="print the time spent in each stage")
    _cache_option(build)
    build.set_defaults(run=_build)

    check = commands.add_parser("check", help="validate content only; write nothing")
    _content_options(check)
    _schedule_options(check)
    _format_option(check)
    _jobs_option(check)
    _cache_option(check)
    check.set_defaults(run=_check)

    serve = commands.add_parser(
        "serve", help="build with drafts, serve on 127.0.0.1, rebuild and reload open pages on every save"
    )
    _content_options(serve)
    serve.add_argument("--out", type=Path, default=Path(DEFAULT_OUT), help="output folder (default: _site)")
    serve.add_argument("--port", type=_port, default=8000, help="port on 127.0.0.1 (default: 8000; 0: any free port)")
    serve.add_argument("--today", type=_date, help="date that counts as today (default: the UTC date)")
    _cache_option(serve)
    serve.set_defaults(run=_serve)

    new_week = commands.add_parser("new-week", help="write the next week's post as a draft, from the latest one")
    _content_options(new_week)
    new_week.add_argument("--today", type=_date, help="date that counts as today (default: the UTC date)")
    new_week.set_defaults(run=_new_week)

    new_model = commands.add_parser("new-model", help="write a commented skeleton record for a new model")
    _content_options(new_model)
    new_model.add_argument("id", help="the model's id, which is its file name, e.g. qwen3.5-27b")
    new_model.set_defaults(run=_new_model)

    freeze = commands.add_parser(
        "freeze", help="write the lock file of published weeks, so later edits leave them as published"
    )
    _content_options(freeze)
    freeze.add_argument(
        "post_ids",
        nargs="*",
        metavar="POST_ID",
        help="weeks to freeze, e.g. week-06 (default: every published week without a lock)",
    )
    freeze.add_argument("--refresh", action="store_true", help="rewrite the named weeks' existing locks on purpose")
    freeze.add_argument("--today", type=_date, help="date that counts as today (default: the UTC date)")
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
    if not text.isdigit() or not 0 <= int(text) < 65536:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (0-65535)")
    return int(text)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def _schedule_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--drafts", action="store_true", help="include drafts and posts dated after today")
    parser.add_argument(
        "--today", type=_date, help="date that counts as today (default: SOURCE_DATE_EPOCH if set, else the UTC date)"
    )


def _schedule(args: argparse.Namespace, include_unpublished: bool) -> Schedule:
    """The one place that decides what "today" is."""
    return Schedule(args.today or today_from_environment(os.environ), include_unpublished)


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of processes (1 or more)")
    return int(text)


def _jobs_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--jobs", type=_jobs, default=default_jobs(), help="processes to use (default: one per core; 1: no others)"
    )


def _cache_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help=f"build everything afresh, neither reading nor writing the cache in {CACHE_DIR}/",
    )


def _cache(args: argparse.Namespace, project: Project, remember: bool = False, read_only: bool = False) -> Cache | None:
    return None if args.no_cache else Cache(project.root / CACHE_DIR, remember=remember, read_only=read_only)


def _content_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=None, help="content folder (default: ./content)")


def _format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=OUTPUT_FORMATS,
        default="text",
        help="how to print problems: text (path:line:col: message) or github (GitHub Actions annotations)",
    )


def _print_warnings(warnings: list[Problem], args: argparse.Namespace, stderr: TextIO) -> None:
    for warning in warnings:
        print(format_problem(warning, getattr(args, "format", "text")), file=stderr)


def _build(args: argparse.Namespace, project: Project, stdout: TextIO, stderr: TextIO) -> int:
    schedule = _schedule(args, args.drafts)
    cache = _cache(args, project)
    print(_timed_build(project, args.out, schedule, args, stderr, cache, args.base_url), file=stdout)
    return 0


def _timed_build(
    project: Project,
    out: Path,
    schedule: Schedule,
    args: argparse.Namespace,
    stderr: TextIO,
    cache: Cache | None,
    base_url: str | None = None,
    in_place: bool = False,
    warm_up: bool = False,
) -> str:
    """Build, unless nothing changed; print warnings to `stderr` and return the summary (with the
    time per stage for `--profile`). With `warm_up` (`serve`'s first build), a site with nothing
    to do is still read and rendered from the cache, writing nothing, so that the first save finds
    in `cache` what it made."""
    with fewer_collections():
        started = time.perf_counter()
        times = StageTimes()
        options = manifest.Options(
            project.root, project.sources, schedule.today, schedule.include_unpublished, base_url, search_available()
        )
        if cache is not None:
            cache.start_build()  # the check for nothing to do writes an entry too
        inputs, summary = manifest.finished_build(cache, out, options)
        jobs = getattr(args, "jobs", 1)
        if summary is None:
            from site_builder import build as pipeline

            summary = pipeline.build(project, out, schedule, base_url, jobs, times, cache, inputs, in_place)
        elif warm_up:
            from site_builder import build as pipeline

            pipeline.build(project, out, schedule, base_url, jobs, StageTimes(), cache, inputs, in_place=True)
    _print_warnings(summary.warnings, args, stderr)
    lines = [_summary(summary, out, time.perf_counter() - started), summary.unpublished]
    if getattr(args, "profile", False) and not summary.up_to_date:
        lines.append(times.report())
    return "\n".join(line for line in lines if line)


def _summary(summary: Summary, out: Path, seconds: float) -> str:
    pages = _plural(sum(summary.page_counts.values()), "page")
    kinds = ", ".join(_plural(count, kind) for kind, count in summary.page_counts.items())
    static = _plural(summary.static_count, "static file")
    if summary.up_to_date:
        return f"Nothing changed: {out}/ is up to date ({pages}: {kinds}; and {static}), checked in {seconds:.2f} s"
    line = f"Wrote {pages} ({kinds}) and {static} to {out}/ in {seconds:.2f} s"
    total = sum(summary.page_counts.values())
    if len(summary.rendered) < total:
        line += f" ({len(summary.rendered)} of {_plural(total, 'page')} rendered, the rest unchanged from the cache)"
    return line


def _check(args: argparse.Namespace, project: Project, stdout: TextIO, stderr: TextIO) -> int:
    from site_builder import build as pipeline

    # Reads the cache a build left, never writes it: `check` writes nothing.
    checked = pipeline.check_site(
        project, _schedule(args, args.drafts), jobs=args.jobs, cache=_cache(args, project, read_only=True)
    )
    _print_warnings(checked.data.warnings, args, stderr)
    selection = checked.selection
    content = selection.content
    print(
        f"Content is valid: {_plural(len(content.models), 'model')}, {_plural(len(content.posts), 'post')}.",
        file=stdout,
    )
    if note := describe_unpublished(selection):
        print(note, file=stdout)
    return 0


def _freeze(args: argparse.Namespace, project: Project, stdout: TextIO, stderr: TextIO) -> int:
    from site_builder.freeze import freeze_weeks

    if args.refresh and not args.post_ids:
        print(
            "error: --refresh rewrites only the weeks you name, e.g. `site-builder freeze --refresh week-06`",
            file=stderr,
        )
        return 2
    written = freeze_weeks(project, _schedule(args, False).today, args.post_ids, args.refresh)
    for frozen in written:
        verb = "Refreshed" if frozen.refreshed else "Froze"
        shown = display_path(frozen.path, project.root)
        print(f"{verb} Week {frozen.post.meta.week} in {shown}", file=stdout)
    if not written:
        print("Every published week already has a lock file; nothing to freeze.", file=stdout)
    return 0


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _serve(args: argparse.Namespace, project: Project, stdout: TextIO, stderr: TextIO) -> int:
    from site_builder.livereload import LiveState
    from site_builder.scaffold import read_site_config
    from site_builder.serve import live_server, report_failure, watch_and_rebuild
    from site_builder.write import made_by_site_builder

    schedule = _schedule(args, include_unpublished=True)
    live = LiveState()
    # One cache for the whole run, kept in memory: a save re-parses and re-renders only what it touched.
    cache = _cache(args, project, remember=True) or Cache.in_memory()
    try:
        print(_timed_build(project, args.out, schedule, args, stderr, cache, warm_up=True), file=stdout)
    except BuildFailed as failure:
        if not made_by_site_builder(args.out):
            raise
        # An earlier build is there: serve it, with the problems over its pages, until a save fixes them.
        report_failure(
            failure, live, stdout, f"Not rebuilt; serving the previous build in {args.out}/ until a save fixes this"
        )
    prefix = Urls(read_site_config(project).base_url).prefix
    # Ctrl+C from here on stops serving cleanly, whether it comes while waiting or mid-rebuild.
    with (
        live_server(args.out, args.port, prefix, live) as url,
        contextlib.suppress(KeyboardInterrupt),
    ):
        print(f"Serving {args.out}/ at {url}", file=stdout, flush=True)

        def ready() -> None:
            print(
                "Watching content/, templates/ and static/; open pages reload on every save. Ctrl+C stops.", file=stdout
            )
            print("(Search in the preview finds pages as they were when serve started.)", file=stdout)
            stdout.flush()

        watch_and_rebuild(
            project.sources,
            lambda: _timed_build(project, args.out, schedule, args, stderr, cache, in_place=True),
            live,
            stdout,
            ready,
        )
    print("Stopped.", file=stdout)
    return 0


def _new_week(args: argparse.Namespace, project: Project, stdout: TextIO, stderr: TextIO) -> int:
    from site_builder.freeze import freeze_weeks
    from site_builder.scaffold import new_week

    today = _schedule(args, False).today
    for frozen in freeze_weeks(project, today):
        shown = display_path(frozen.path, project.root)
        print(f"Froze Week {frozen.post.meta.week} in {shown}: it is published, so its figures stay.", file=stdout)
    written = new_week(project)
    shown = display_path(written.path, project.root)
    print(f"Wrote {shown}: week {written.week}, dated {written.date.isoformat()}, marked draft: true.", file=stdout)
    print("Next: replace the title, summary and story, update the picks and wait list,", file=stdout)
    print("preview with `site-builder serve`, and delete the `draft: true` line to publish.", file=stdout)
    return 0


def _new_model(args: argparse.Namespace, project: Project, stdout: TextIO, stderr: TextIO) -> int:
    from site_builder.scaffold import new_model

    path = new_model(project, args.id)
    print(f"Wrote {display_path(path, project.root)}.", file=stdout)
    print(
        "Next: fill in name and vendor, uncomment what your source reports, then run `site-builder check`.", file=stdout
    )
    return 0


def _reference(args: argparse.Namespace, project: Project, stdout: TextIO, stderr: TextIO) -> int:
    from site_builder.reference import content_reference, update_readme

    if args.update:
        update_readme(args.update)
        print(f"Updated the content reference in {args.update}", file=stdout)
    else:
        stdout.write(content_reference())
    return 0
