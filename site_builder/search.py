"""The site's search index, made by Pagefind over the site's pages (no server, no network).

The `pagefind` package (with its `pagefind_bin` binary) indexes the pages while they are written to
the staging folder (from copies beside it, made from the pages in memory), and the index joins the
folder before it is swapped in, so the published site and its index always match. Without the
package the site is built without search and the build says so.

Pagefind cannot index part of a site, so the pages are dealt into chunks and each chunk gets
an index of its own (a "bundle"), made by its own Pagefind run: an edited page changes one
chunk, and the next build indexes only that one again and keeps the others. The first bundle,
in `pagefind/`, is the whole of Pagefind's output (its search interface too); the others, in
`pagefind/chunks/<n>/`, hold only their index. `pagefind/chunks.json` lists them, and the
search box merges them into the first in the browser (Pagefind's `mergeIndex`).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from site_builder.cache import digest
from site_builder.manifest import SEARCH_FOLDER
from site_builder.problems import BuildFailed, Problem
from site_builder.write import make_parent

MISSING = "search index not built: the pagefind package is not installed (pip install 'pagefind[bin]')"

CHUNK_PAGES = 50
"""Pages per chunk that a site may reach before its pages are dealt into twice as many chunks.
Pagefind's time grows with the pages (about 0.15 s for 40, 0.5 s for 150) and hardly starts slower:
an edit indexes one small chunk again."""
MOST_CHUNKS = 32
"""The browser fetches every bundle's metadata and, for each search, a piece of every bundle's
index: beyond this many, chunks grow instead."""
CHUNKS_FOLDER = f"{SEARCH_FOLDER}chunks/"
BUNDLE_LIST = f"{SEARCH_FOLDER}chunks.json"


def available() -> bool:
    """True when the Pagefind binary can run here."""
    return importlib.util.find_spec("pagefind_bin") is not None


@dataclass(frozen=True)
class Chunk:
    """Pages indexed together into one bundle."""

    folder: str
    """The bundle's folder in the site: `pagefind/` for the first, `pagefind/chunks/<n>/` for the others."""
    pages: tuple[str, ...]
    key: str
    """A digest of the pages' paths and bytes: a bundle made from an equal key is the same."""

    @property
    def primary(self) -> bool:
        return self.folder == SEARCH_FOLDER


def plan_chunks(
    names: Iterable[str], digests: Mapping[str, str], size: int | None = None, most: int | None = None
) -> list[Chunk]:
    """The HTML pages among `names` dealt into chunks by a hash of their path.

    A page stays in its chunk while others are added or removed, and chunks stay about equal in
    size; the number of chunks is a power of two (one for a site of up to `size` pages), so it
    changes only when the site doubles. `digests` (empty without a cache) make the keys.
    """
    pages = sorted(name for name in names if name.endswith(".html"))
    count = _chunk_count(len(pages), CHUNK_PAGES if size is None else size, MOST_CHUNKS if most is None else most)
    dealt: list[list[str]] = [[] for _ in range(count)]
    for page in pages:
        dealt[int(digest(page)[:8], 16) % count].append(page)
    filled = [chunk for chunk in dealt if chunk]
    return [
        Chunk(
            SEARCH_FOLDER if position == 0 else f"{CHUNKS_FOLDER}{position}/",
            tuple(chunk),
            digest(*(f"{page} {digests.get(page, '')}" for page in chunk)),
        )
        for position, chunk in enumerate(filled)
    ]


def _chunk_count(pages: int, size: int, most: int) -> int:
    count = 1
    while count * 2 <= most and pages > count * size:
        count *= 2
    return count


def bundle_of(name: str) -> str | None:
    """The folder of the bundle that an output file belongs to, if any."""
    if name.startswith(CHUNKS_FOLDER):
        return CHUNKS_FOLDER + name[len(CHUNKS_FOLDER) :].split("/", 1)[0] + "/"
    if name.startswith(SEARCH_FOLDER) and name != BUNDLE_LIST:
        return SEARCH_FOLDER
    return None


@contextmanager
def indexing(
    pages: Mapping[str, bytes], fresh: Sequence[Chunk], chunks: Sequence[Chunk], jobs: int, shown: str, site_dir: Path
) -> Iterator[Callable[[], None]]:
    """Index the `fresh` chunks, `jobs` at a time (Pagefind uses every core, but half its run is
    single-threaded), from `pages` in memory, while the site is written to `site_dir`. What it
    gives puts their bundles and the list of `chunks` in `site_dir` once its pages are all there;
    a failure is reported at `shown`, the output folder as the user named it."""
    if not fresh:
        yield lambda: write_bundle_list(site_dir, chunks)
        return
    import pagefind_bin  # type: ignore[import-untyped]  # here: only a build that indexes needs it

    executable = str(pagefind_bin.get_executable())
    with (
        # Beside `site_dir`, which may not be filled yet, under a name a killed build's cleanup knows.
        tempfile.TemporaryDirectory(prefix=f"{site_dir.name}-search-", dir=site_dir.parent) as work,
        ThreadPoolExecutor(max_workers=max(1, min(jobs, len(fresh)))) as pool,
    ):
        folders = [Path(work) / str(number) for number in range(len(fresh))]
        pairs = list(zip(fresh, folders, strict=True))
        runs = [pool.submit(_index, executable, pages, chunk, folder) for chunk, folder in pairs]

        def complete() -> None:
            failures = [failure for run in runs if (failure := run.result())]
            if failures:
                raise BuildFailed([Problem(shown, 1, 1, message) for message in failures])
            for chunk, folder in pairs:
                _move_bundle(folder / "bundle", site_dir / chunk.folder, chunk.primary)
            write_bundle_list(site_dir, chunks)

        try:
            yield complete
        except BaseException:
            pool.shutdown(cancel_futures=True)  # the runs not yet started; leaving waits for the others
            raise


def _index(executable: str, pages: Mapping[str, bytes], chunk: Chunk, folder: Path) -> str | None:
    """Index the chunk's pages (written, at their own paths, into a site of their own, since
    Pagefind makes each page's URL from its path); returns what went wrong, if anything."""
    site = folder / "pages"
    made: set[Path] = set()
    for page in chunk.pages:
        make_parent(site / page, made)
        (site / page).write_bytes(pages[page])
    command = [executable, "--site", str(site), "--output-path", str(folder / "bundle"), "--silent"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode == 0:
        return None
    detail = (result.stderr or result.stdout).strip().splitlines()
    return f"search index failed: {detail[-1] if detail else f'pagefind exited with {result.returncode}'}"


def _move_bundle(made: Path, target: Path, primary: bool) -> None:
    """Move Pagefind's output into the site; a merged bundle needs only its index (the first
    bundle's scripts and WebAssembly search it)."""
    folders: set[Path] = set()
    for path in sorted(made.rglob("*")):
        relative = path.relative_to(made)
        if not path.is_file() or not (primary or _part_of_index(relative)):
            continue
        make_parent(target / relative, folders)
        path.rename(target / relative)


def _part_of_index(relative: Path) -> bool:
    """The entry, metadata, index, fragments and filters that a merged bundle is read from."""
    return len(relative.parts) > 1 or relative.name == "pagefind-entry.json" or relative.suffix == ".pf_meta"


def write_bundle_list(site_dir: Path, chunks: Sequence[Chunk]) -> None:
    """`pagefind/chunks.json`: the bundles the search box merges into the first, relative to it."""
    merged = [chunk.folder[len(SEARCH_FOLDER) :] for chunk in chunks if not chunk.primary]
    (site_dir / BUNDLE_LIST).parent.mkdir(parents=True, exist_ok=True)
    (site_dir / BUNDLE_LIST).write_text(json.dumps({"merge": merged}) + "\n", encoding="utf-8")
