"""The files of a build put in place over the last build's, keeping what is unchanged.

A file whose bytes the last build already wrote (and nobody has touched since) is hard-linked into
the new folder rather than written again, and so is each part of the search index whose pages are
unchanged (`search.plan_chunks`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from site_builder import manifest
from site_builder import search as search_index
from site_builder.cache import digest
from site_builder.manifest import Manifest, Summary
from site_builder.problems import BuildFailed, Problem
from site_builder.write import (
    FOREIGN_FOLDER,
    LOCK_WAIT_SECONDS,
    Kept,
    build_token,
    made_by_site_builder,
    output_lock,
    replace_file,
    write_site,
)


@dataclass
class Output:
    """The files of a build, written over the last build in `out_dir`, keeping what is unchanged."""

    files: Mapping[str, bytes]
    """Read once each, when written (`packed.SiteFiles` expands a page as it is read)."""
    digests: dict[str, str]
    """Each file's digest; empty without a cache (then there is no last build to compare with)."""
    out_dir: Path
    previous: Manifest | None
    search_keys: dict[str, str] = field(default_factory=dict)
    """Each search bundle's folder, with the digest of the pages it is made from."""
    left_as_written: set[str] | None = None
    """After an update in place, the files it did not touch: the last build's record of each stands."""

    def refuse_a_folder_made_by_hand(self) -> None:
        """The marker names the folder by inode, which a folder made again by hand may reuse; the last
        build's files tell them apart."""
        previous, out_dir = self.previous, self.out_dir
        if previous is None or not out_dir.is_dir() or not any(out_dir.iterdir()):
            return
        if not manifest.holds_any_of_its_files(previous, out_dir):
            raise BuildFailed([Problem(str(out_dir), 1, 1, FOREIGN_FOLDER)])

    def can_update_in_place(self) -> bool:
        return self.previous is not None and made_by_site_builder(self.out_dir)

    def update_in_place(self) -> int:
        """Replace only the files that changed since the last build, each atomically, and remove those
        no longer built; keep the search index as it was. For `serve`'s preview, where a reload
        should come at once; `build` always writes a whole new folder. Returns how many were written."""
        assert self.previous is not None
        self.search_keys = self.previous.search_keys  # made from older pages: the next full build remakes it
        out_dir = self.out_dir.resolve()
        written = 0
        untouched = {name for name in self.previous.files if name.startswith(manifest.SEARCH_FOLDER)}
        with output_lock(out_dir, self.out_dir, LOCK_WAIT_SECONDS):
            for name in self.files:
                if self._unchanged_file(name) is None:
                    replace_file(out_dir / name, self.files[name])
                    written += 1
                else:
                    untouched.add(name)
            for name in self.previous.files:
                if name not in self.files and not name.startswith(manifest.SEARCH_FOLDER):
                    (out_dir / name).unlink(missing_ok=True)
        self.left_as_written = untouched
        return written

    def write(self, search: bool, jobs: int = 1) -> int:
        """Write the site (with its search index, each chunk's bundle kept from the last build if its
        pages are unchanged, the others indexed `jobs` at a time); returns how many files were written."""
        finish = None
        kept: dict[str, Path] = {}
        if search:
            chunks = search_index.plan_chunks(self.files, self.digests)
            self.search_keys = {chunk.folder: chunk.key for chunk in chunks}
            before = self._bundle_files()
            bundles = {chunk.folder: self._unchanged_bundle(chunk, before.get(chunk.folder, [])) for chunk in chunks}
            kept = {name: self.out_dir / name for names in bundles.values() for name in names}
            fresh = [chunk for chunk in chunks if not bundles[chunk.folder]]
            finish = functools.partial(search_index.indexing, self.files, fresh, chunks, jobs, str(self.out_dir))
        return write_site(self.files, self.out_dir, finish=finish, keep=self._unchanged_file, linked=kept)

    def _unchanged_file(self, name: str) -> Kept | None:
        return manifest.reusable(self.previous, self.out_dir, name, self.digests.get(name, ""))

    def _bundle_files(self) -> dict[str, list[str]]:
        """The last build's search files, by the folder of the bundle each belongs to."""
        bundles: dict[str, list[str]] = {}
        for name in self.previous.files if self.previous else []:
            folder = search_index.bundle_of(name)
            if folder is not None:
                bundles.setdefault(folder, []).append(name)
        return bundles

    def _unchanged_bundle(self, chunk: search_index.Chunk, names: list[str]) -> list[str]:
        """The files of the chunk's bundle in the last build (`names`), if it was made from the same
        pages and every file is still as written (else none: the chunk is indexed again)."""
        previous = self.previous
        if previous is None or previous.search_keys.get(chunk.folder) != chunk.key:
            return []
        return names if names and manifest.all_unchanged(previous, self.out_dir, names) else []

    def manifest(self, inputs: str, summary: Summary) -> Manifest:
        """What now stands in `out_dir`: every file with its digest (the search index's read back, unless
        it was kept from the last build)."""
        out_dir = self.out_dir.resolve()
        if self.left_as_written is not None and self.previous is not None:
            return self._manifest_after_update(inputs, summary, self.previous, self.left_as_written)
        digests = dict(self.digests)
        search_names = manifest.files_in(out_dir, manifest.SEARCH_FOLDER)
        for name in search_names:
            digests[name] = manifest.known_digest(self.previous, out_dir, name) or digest((out_dir / name).read_bytes())
        written = manifest.record_written(out_dir, digests, [*self.files, *search_names])
        return Manifest(inputs, written, self.search_keys, summary, build_token(out_dir))

    def _manifest_after_update(
        self, inputs: str, summary: Summary, previous: Manifest, untouched: set[str]
    ) -> Manifest:
        """Only the files the update wrote are looked at again. A file changed by hand since its record
        was made no longer matches it, so keeping the record never makes the next build trust it."""
        out_dir = self.out_dir.resolve()
        fresh = manifest.record_written(out_dir, self.digests, [name for name in self.files if name not in untouched])
        names = [*self.files, *(name for name in previous.files if name.startswith(manifest.SEARCH_FOLDER))]
        written = {name: fresh[name] if name in fresh else previous.files[name] for name in names}
        return Manifest(inputs, written, self.search_keys, summary, build_token(out_dir))
