"""The site's search index, made by Pagefind over the written pages (no server, no network).

The `pagefind` package (with its `pagefind_bin` binary) runs on the staging folder before
it is swapped in, so the published site and its index always match. Without the package
the site is built without search and the build says so.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from site_builder.problems import BuildFailed, Problem

MISSING = "search index not built: the pagefind package is not installed (pip install 'pagefind[bin]')"


def available() -> bool:
    """True when the Pagefind binary can run here."""
    return importlib.util.find_spec("pagefind_bin") is not None


def index_site(site_dir: Path) -> None:
    """Write `pagefind/` (the index and its search interface) into the built site in `site_dir`."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", "pagefind", "--silent"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        message = f"search index failed: {detail[-1] if detail else f'pagefind exited with {result.returncode}'}"
        raise BuildFailed([Problem(str(site_dir), 1, 1, message)])
