"""The files of a build, with its pages held compressed until they are written.

Between rendering and writing, every page of the site is in memory at once: about 200 MB at
5,000 posts. Pages are compressed where they are rendered (quickly: HTML shrinks about six
times at zlib's fastest level), travel and sit in the cache that way, and are expanded one at
a time as they are read, so a large site's build stays within a few hundred megabytes.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from site_builder.cache import digest


@dataclass(frozen=True)
class Packed:
    """A file's bytes, compressed, with the digest of the bytes themselves."""

    data: bytes
    digest: str

    @classmethod
    def of(cls, body: bytes) -> Packed:
        return cls(zlib.compress(body, 1), digest(body))

    def unpack(self) -> bytes:
        return zlib.decompress(self.data)


class SiteFiles(Mapping[str, bytes]):
    """Output path (relative, '/'-separated) to bytes, in path order; a packed file is expanded
    each time it is read, and kept packed."""

    def __init__(self, files: Mapping[str, bytes | Packed]) -> None:
        self._files = dict(sorted(files.items()))

    def __getitem__(self, name: str) -> bytes:
        found = self._files[name]
        return found.unpack() if isinstance(found, Packed) else found

    def __contains__(self, name: object) -> bool:
        return name in self._files  # (Mapping's own would expand the file to find it)

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)

    def packed(self, name: str) -> Packed:
        found = self._files[name]
        return found if isinstance(found, Packed) else Packed.of(found)

    def known_digest(self, name: str) -> str | None:
        """The digest of a packed file (made when it was packed); None for the others."""
        found = self._files[name]
        return found.digest if isinstance(found, Packed) else None

    def with_files(self, more: Mapping[str, bytes]) -> SiteFiles:
        return SiteFiles({**self._files, **more})
