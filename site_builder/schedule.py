"""Which posts a build publishes: drafts and posts dated after today wait until asked for.

"Today" is decided once, by the command line, and handed in as a value, so a build is
reproducible and tests can pin it. A date far ahead is refused as a likely typo.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from site_builder.memo import Memo, call
from site_builder.problems import BuildFailed, Problem

if TYPE_CHECKING:  # only named in annotations: `site-builder build` with nothing to do imports little
    from site_builder.content import Content, Post
    from site_builder.load import LoadedContent


@dataclass(frozen=True)
class Schedule:
    """What a build counts as published."""

    today: dt.date
    include_unpublished: bool = False
    """True for `--drafts` and `serve`: drafts and scheduled posts are built, each with a banner."""


@dataclass(frozen=True)
class Selection:
    content: Content
    """The content to build: published posts, plus the others when they are included."""
    unpublished: list[Post]
    """Drafts and scheduled posts, in week order, whether included or left out."""
    included: bool


def today_from_environment(environ: Mapping[str, str]) -> dt.date:
    """`SOURCE_DATE_EPOCH` (reproducible builds) when set, else the current UTC date."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()


def select_posts(loaded: LoadedContent, content: Content, schedule: Schedule, memo: Memo | None = None) -> Selection:
    """Mark each post published, draft or scheduled; refuse far-future dates and links to left-out posts."""
    problems: list[Problem] = []
    posts = [call(memo, _with_status, post, status_of(post, schedule.today)) for post in content.posts]
    _check_far_future(loaded, content, schedule.today, problems)
    unpublished = [post for post in posts if post.status != "published"]
    if not schedule.include_unpublished:
        posts = [post for post in posts if post.status == "published"]
        _check_links_to_left_out(posts, unpublished, problems)
    if problems:
        raise BuildFailed(problems)
    return Selection(dataclasses.replace(content, posts=posts), unpublished, schedule.include_unpublished)


def _with_status(post: Post, status: Literal["published", "draft", "scheduled"]) -> Post:
    return dataclasses.replace(post, status=status)


def status_of(post: Post, today: dt.date) -> Literal["published", "draft", "scheduled"]:
    if post.meta.draft:
        return "draft"
    return "scheduled" if post.meta.date > today else "published"


def _check_far_future(loaded: LoadedContent, content: Content, today: dt.date, problems: list[Problem]) -> None:
    limit = content.site.max_days_ahead
    documents = {item.file.id: item.front_matter for item in loaded.posts}
    for post in content.posts:
        days = (post.meta.date - today).days
        if days > limit:
            where = documents[post.id].position(("date",))
            message = (
                f"date {post.meta.date.isoformat()} is {days} days after today ({today.isoformat()}); "
                f"more than {limit} days ahead (max_days_ahead in content/site.yaml) is likely a typo"
            )
            problems.append(Problem(post.file.path, where.line, where.column, message))


def _check_links_to_left_out(published: list[Post], left_out: list[Post], problems: list[Problem]) -> None:
    """A published page must not link to a page this build does not write."""
    missing = {post.id: post for post in left_out}
    for post in published:
        for link in post.post_links:
            if link.post_id in missing:
                line = post.body_first_line + link.position.line - 1
                message = (
                    f"link 'post:{link.post_id}' points to a {missing[link.post_id].status} post, "
                    "which this build leaves out; publish that post first or build with --drafts"
                )
                problems.append(Problem(post.file.path, line, link.position.column, message))


def describe_unpublished(selection: Selection) -> str | None:
    """One line for the build summary naming drafts and scheduled posts, or None when there are none."""
    drafts = [post.id for post in selection.unpublished if post.status == "draft"]
    scheduled = [f"{post.id}, {post.meta.date.isoformat()}" for post in selection.unpublished if post.status != "draft"]
    parts = []
    if drafts:
        parts.append(f"{len(drafts)} draft{'' if len(drafts) == 1 else 's'} ({', '.join(drafts)})")
    if scheduled:
        noun = "scheduled post" if len(scheduled) == 1 else "scheduled posts"
        parts.append(f"{len(scheduled)} {noun} ({'; '.join(scheduled)})")
    if not parts:
        return None
    if selection.included:
        return f"Included {' and '.join(parts)}, each with a banner; a published build leaves them out"
    return f"Left out {' and '.join(parts)}; build with --drafts to include them"
