"""Which model records and post bodies a page read while it rendered.

A page's context is part of its cache key, but templates also reach records through globals
(`models`, the fit view). Those reads are recorded per page: the cached page is reused only
while each record it read is unchanged. A read of every record (listing them all) is recorded
as such.

A post stands in page keys for its front matter alone (most pages show a title or a pick, not
the story), so a page that reads a post's body records it: editing a story renders again its
own page and any other page that shows it, not every page that lists the week.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from site_builder.cache import digest
from site_builder.content import Model, Post

EVERY_MODEL = "*"


class Reads:
    """The record ids read since the last `start`; `EVERY_MODEL` when all were."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.bodies: set[str] = set()
        """The ids of the posts whose body was read."""

    def start(self) -> None:
        self.ids = set()
        self.bodies = set()

    def model(self, model_id: str) -> None:
        self.ids.add(model_id)

    def every_model(self) -> None:
        self.ids.add(EVERY_MODEL)

    def body(self, post_id: str) -> None:
        self.bodies.add(post_id)


class TrackedModels(Mapping[str, Model]):
    """The records by id, noting each one looked up (and all of them when iterated)."""

    def __init__(self, models: Mapping[str, Model], reads: Reads) -> None:
        self._models = models
        self._reads = reads

    def __getitem__(self, model_id: str) -> Model:
        self._reads.model(model_id)
        return self._models[model_id]

    def __iter__(self) -> Iterator[str]:
        self._reads.every_model()
        return iter(self._models)

    def __len__(self) -> int:
        self._reads.every_model()
        return len(self._models)


def record_versions(ids: set[str], models: Mapping[str, Model]) -> dict[str, str]:
    """What a page depends on of the records: the digest of each one it read (or of all of them)."""
    if EVERY_MODEL in ids:
        return {EVERY_MODEL: all_models_digest(models)}
    return {model_id: models[model_id].file.digest if model_id in models else "" for model_id in sorted(ids)}


def all_models_digest(models: Mapping[str, Model]) -> str:
    return digest(*(f"{model.file.path} {model.file.digest}" for model in models.values()))


BODY_ATTRIBUTES = frozenset({"html", "packed_html", "post_links", "site_links", "body_first_line", "file"})
"""What of a post is made from its body (or is its whole file): a template reading one of them reads the body."""


def body_versions(post_ids: set[str], posts: Mapping[str, Post]) -> dict[str, str]:
    """What a page depends on of the bodies it read: each post's file digest."""
    return {post_id: posts[post_id].file.digest if post_id in posts else "" for post_id in sorted(post_ids)}
