"""The files of a build put in place over the last build's, keeping what is unchanged.

A file whose bytes the last build already wrote (and nobody has touched since) is hard-linked into
the new folder rather than written again, and the search index is kept when no page changed.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from site_builder import manifest
from site_builder import search as search_index
from site_builder.cache import digest
from site_builder.manifest import Manifest, Summary
from site_builder.problems import BuildFailed, Problem
from site_builder.write import (
    FOREIGN_FOLDER,
    LOCK_WAIT_SECONDS,
    build_token,
    link_file,
    made_by_site_builder,
    output_lock,
    replace_file,
    write_site,
)


@dataclass
class Output:
    """The files of a build, written over the last build in `out_dir`, keeping what is unchanged."""

    files: dict[str, bytes]
    digests: dict[str, str]
    """Each file's digest; empty without a cache (then there is no last build to compare with)."""
    out_dir: Path
    previous: Manifest | None
    search_key: str = ""

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
        self.search_key = self.previous.search_key  # made from older pages: the next full build remakes it
        out_dir = self.out_dir.resolve()
        written = 0
        with output_lock(out_dir, self.out_dir, LOCK_WAIT_SECONDS):
            for name, body in self.files.items():
                if self._unchanged_file(name) is None:
                    replace_file(out_dir / name, body)
                    written += 1
            for name in self.previous.files:
                if name not in self.files and not name.startswith(manifest.SEARCH_FOLDER):
                    (out_dir / name).unlink(missing_ok=True)
        return written

    def write(self, search: bool) -> int:
        """Write the site (with its search index, kept from the last build if no page changed);
        returns how many files were written."""
        finish = None
        if search:
            self.search_key = manifest.search_key(self.digests)
            finish = self._keep_search if self._search_unchanged() else search_index.index_site
        return write_site(self.files, self.out_dir, finish=finish, keep=self._unchanged_file)

    def _unchanged_file(self, name: str) -> Path | None:
        return manifest.reusable(self.previous, self.out_dir, name, self.digests.get(name, ""))

    def _search_unchanged(self) -> bool:
        previous = self.previous
        return (
            previous is not None
            and previous.search_key == self.search_key
            and bool(manifest.search_files(previous, self.out_dir))
        )

    def _keep_search(self, staging: Path) -> None:
        assert self.previous is not None
        for name in manifest.search_files(self.previous, self.out_dir) or []:
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if not link_file(self.out_dir / name, target):
                shutil.copyfile(self.out_dir / name, target)

    def manifest(self, inputs: str, summary: Summary) -> Manifest:
        """What now stands in `out_dir`: every file with its digest (the search index's read back, unless
        it was kept from the last build)."""
        out_dir = self.out_dir.resolve()
        digests = dict(self.digests)
        search_names = [
            path.relative_to(out_dir).as_posix()
            for path in sorted((out_dir / manifest.SEARCH_FOLDER).rglob("*"))
            if path.is_file()
        ]
        for name in search_names:
            digests[name] = manifest.known_digest(self.previous, out_dir, name) or digest((out_dir / name).read_bytes())
        written = manifest.record_written(out_dir, digests, [*self.files, *search_names])
        return Manifest(inputs, written, self.search_key, summary, build_token(out_dir))
