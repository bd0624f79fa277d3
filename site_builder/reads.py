"""Which model records a page read while it rendered, through the template globals.

A page's context is part of its cache key, but templates also reach records through globals
(`models`, the fit view). Those reads are recorded per page: the cached page is reused only
while each record it read is unchanged. A read of every record (listing them all) is recorded
as such.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from site_builder.cache import digest
from site_builder.content import Model

EVERY_MODEL = "*"


class Reads:
    """The record ids read since the last `start`; `EVERY_MODEL` when all were."""

    def __init__(self) -> None:
        self.ids: set[str] = set()

    def start(self) -> None:
        self.ids = set()

    def model(self, model_id: str) -> None:
        self.ids.add(model_id)

    def every_model(self) -> None:
        self.ids.add(EVERY_MODEL)


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
