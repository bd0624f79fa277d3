"""Freeze published weeks: write each week's tables, as its post and today's records resolve
them, into `content/frozen/<post-id>.yaml`. From then on the build shows the week from that file.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ruamel.yaml import YAML

from site_builder.content import Content, Post
from site_builder.load import FROZEN_DIR, POSTS_DIR, load_content
from site_builder.lock import WeekLock
from site_builder.merge import leaderboard_for, lock_of
from site_builder.problems import BuildFailed, Problem, display_path
from site_builder.project import Project
from site_builder.schedule import status_of
from site_builder.validate import validate_content
from site_builder.write import replace_file

HEADER = """\
# Week {week} as published. Written by `site-builder freeze`; do not edit by hand.
# The site shows this week's tables from this file. To change them on purpose, edit the
# post or the records, then run: site-builder freeze --refresh {post_id}
"""


@dataclass(frozen=True)
class Frozen:
    post: Post
    path: Path
    refreshed: bool
    """True when an existing lock was rewritten."""


def freeze_weeks(project: Project, today: dt.date, post_ids: Sequence[str] = (), refresh: bool = False) -> list[Frozen]:
    """Write a lock for each named week (default: every published week without one); `refresh` rewrites
    existing locks. Drafts and posts dated after `today` are not published yet, so they are not frozen.

    Everything is checked before anything is written; raises BuildFailed listing every problem.
    """
    folder = project.content_dir / FROZEN_DIR
    content = _content(project, folder, post_ids if refresh else ())
    posts = {post.id: post for post in content.posts}
    published = {post.id for post in content.posts if status_of(post, today) == "published"}
    chosen = list(dict.fromkeys(post_ids)) or [
        post.id for post in content.posts if post.id in published - set(content.locks)
    ]
    problems = [problem for post_id in chosen for problem in _refusals(post_id, content, project, refresh, published)]
    if problems:
        raise BuildFailed(problems)
    written = []
    for post_id in chosen:
        post = posts[post_id]
        path = folder / f"{post_id}.yaml"
        refreshed = path.exists()
        _write_atomically(path, lock_text(post, lock_of(leaderboard_for(post, content))))
        written.append(Frozen(post, path, refreshed))
    return written


def _content(project: Project, folder: Path, replaced: Sequence[str]) -> Content:
    """The validated content, leaving out the locks about to be replaced: a refresh also repairs a broken lock."""
    loaded = load_content(project.content_dir, project.root)
    paths = {display_path(folder / f"{post_id}.yaml", project.root) for post_id in replaced}
    loaded = replace(
        loaded,
        locks=[lock for lock in loaded.locks if lock.file.path not in paths],
        problems=[problem for problem in loaded.problems if problem.path not in paths],
    )
    return validate_content(loaded)


def _refusals(post_id: str, content: Content, project: Project, refresh: bool, published: set[str]) -> list[Problem]:
    path = display_path(project.content_dir / POSTS_DIR / f"{post_id}.md", project.root)
    if post_id not in {post.id for post in content.posts}:
        known = ", ".join(post.id for post in content.posts) or "none yet"
        return [Problem(path, 1, 1, f"no post '{post_id}' to freeze; posts: {known}")]
    if post_id not in published:
        message = f"{post_id} is a draft or dated after today; publish it (no `draft: true`, a date not ahead) first"
        return [Problem(path, 1, 1, message)]
    lock = content.locks.get(post_id)
    if lock is not None and not refresh:
        message = f"{post_id} is already frozen; to rewrite it on purpose run `site-builder freeze --refresh {post_id}`"
        return [Problem(lock.file.path, 1, 1, message)]
    return []


def lock_text(post: Post, week: WeekLock) -> str:
    """The lock file's text: a header comment, then the tables in block style, one key per line."""
    yaml = YAML()
    yaml.default_flow_style = False
    yaml.width = 4096  # never fold a long line: a changed figure shows as one changed line
    yaml.indent(mapping=2, sequence=4, offset=2)
    stream = io.StringIO()
    yaml.dump(week.model_dump(mode="json", exclude_none=True), stream)
    return HEADER.format(week=post.meta.week, post_id=post.id) + stream.getvalue()


def _write_atomically(path: Path, text: str) -> None:
    replace_file(path, text.encode("utf-8"))
