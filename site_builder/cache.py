"""The build cache: pieces of earlier builds, reused when what they were made from is unchanged.

Entries live in `.cache/site-builder/` (ignored by git), one file each, named by a key that
hashes everything the piece was made from: a file's bytes, the templates a page uses, the site
config, this tool's own code and its dependencies' versions. Equal keys mean equal pieces, so a
cached build is byte-identical to a cold one.

Each entry is signed with a secret kept outside the project (in the user's cache folder). An
entry that is corrupt, was made by another version, or came from elsewhere (say, committed in a
pull request) fails its check and is rebuilt, never trusted: entries are pickles, and a pickle
that was not made here must never be loaded.

`serve` keeps one Cache for its whole run: entries stay in memory, with a memo of what was made
from them (`memo.py`), so a rebuild after a save redoes only what the save touched.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import pickle
import secrets
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from site_builder.memo import Memo
from site_builder.own_files import read_regular

CACHE_DIR = ".cache/site-builder"
"""Under the site's root."""
DEPENDENCIES = (
    "jinja2",
    "markupsafe",
    "markdown-it-py",
    "mdit-py-plugins",
    "pydantic",
    "pydantic-core",
    "ruamel.yaml",
    "ruamel.yaml.clib",
    "pagefind",
    "pagefind-bin",
    "pillow",
)
"""Whose versions are part of every key: a new release may parse, validate, render or draw differently."""
_SIGNATURE_BYTES = 32
MAX_ENTRY_BYTES = 512 * 1024 * 1024
"""No entry is bigger (a page is tens of kilobytes, the manifest of 5,000 posts about a megabyte); a
bigger file, or a link, in the cache folder was not made by a build and is not even read."""
_SECRET_BYTES = 32


def digest(*parts: bytes | str) -> str:
    """A short, collision-safe hash of the parts (each length-prefixed, so ("ab", "c") != ("a", "bc"))."""
    hasher = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


@functools.cache
def tool_fingerprint() -> str:
    """This tool's own source and its dependencies' versions: a change to either retires every entry."""
    package = Path(__file__).parent
    sources = [path.read_bytes() for path in sorted(package.glob("*.py"))]
    versions = [f"{name}={_version(name)}" for name in DEPENDENCIES]
    return digest(sys.version, *versions, *sources)


def _version(name: str) -> str:
    import importlib.metadata  # here, not above: a build with nothing to do never needs it

    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def memo_of(cache: Cache | None) -> Memo | None:
    """The memo of a cache that remembers between builds (`serve`'s); None for a single build."""
    return cache.memo if cache else None


def default_key_file() -> Path:
    """The signing secret, in the user's cache folder: outside every project it could be copied with."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "site-builder" / "cache-signing-key"


class Cache:
    """Signed entries on disk under `folder`, written as they are made (and kept in memory too
    when it `remember`s, for `serve`).

    Every failure to read or write the disk is treated as a miss: the cache speeds builds up and
    never stops one.
    """

    def __init__(
        self, folder: Path | None, key_file: Path | None = None, remember: bool = False, read_only: bool = False
    ) -> None:
        self.folder = folder
        self.read_only = read_only
        """Read entries, never write them (`check` writes nothing)."""
        self.remember = remember or folder is None
        """Keep the entries read or made in memory for the next build in this process (`serve`). A
        single build does not: what it read of a large site would otherwise stay until it ends."""
        self.memory: dict[str, Any] = {}
        self.used: set[str] = set()
        """Keys read or written since the last build ended (`forget_unused`), the check for nothing to
        do included, so entries of old versions can be dropped."""
        self._secret = _secret(key_file or default_key_file()) if folder is not None else None
        self._entries_folder: Path | None = None
        """This version's entries folder, once found safe to use (checked once per build, not per entry)."""
        self.memo = Memo() if self.remember else None
        """What was made from unchanged objects, by their identity: `serve`'s next build finds it there."""

    @classmethod
    def in_memory(cls) -> Cache:
        return cls(None)

    def start_build(self) -> None:
        self._entries_folder = None  # looked at again: `.cache` may have been replaced meanwhile

    def get(self, kind: str, key: str) -> Any | None:
        name = f"{kind}-{key}"
        self.used.add(name)
        if name in self.memory:
            return self.memory[name]
        value = self._read(name)
        if value is not None and self.remember:
            self.memory[name] = value
        return value

    def put(self, kind: str, key: str, value: Any) -> None:
        name = f"{kind}-{key}"
        self.used.add(name)
        if self.remember:
            self.memory[name] = value
        # Written at once, not held until the build ends: a first build of a large site makes
        # hundreds of megabytes of entries. Each is named by all it was made from, so one made by
        # a build that then fails is as good as any.
        if not self.read_only:
            self._write(name, value)

    def forget_unused(self) -> None:
        """After a build succeeded, drop the entries it did not use, from memory and disk, so the
        cache never grows beyond about one site's worth."""
        used, self.used = self.used, set()
        self.memory = {name: value for name, value in self.memory.items() if name in used}
        if self.memo is not None:
            self.memo.end_build()
        folder = self._entries()
        if folder is None or not folder.is_dir():
            return
        with contextlib.suppress(OSError):
            for entry in folder.iterdir():
                if entry.name not in used:
                    entry.unlink(missing_ok=True)
            for other_version in folder.parent.iterdir():
                if other_version != folder and other_version.is_dir() and not other_version.is_symlink():
                    shutil.rmtree(other_version, ignore_errors=True)

    def _entries(self, create: bool = False) -> Path | None:
        """The folder of this version's entries (made when `create`); None when there is none to use."""
        if self._entries_folder is not None:
            return self._entries_folder
        if self.folder is None or self._secret is None:
            return None
        entries = self.folder / tool_fingerprint()[:16]
        try:
            if any(path.is_symlink() for path in (self.folder.parent, self.folder, entries)):
                return None  # never follow a link out of the project (`.cache` could be one)
            if create:
                entries.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        if entries.is_dir():
            self._entries_folder = entries
        return entries

    def _read(self, name: str) -> Any | None:
        folder = self._entries()
        if folder is None or self._secret is None:
            return None
        data = read_regular(folder / name, MAX_ENTRY_BYTES)
        if data is None:
            return None
        signature, payload = data[:_SIGNATURE_BYTES], data[_SIGNATURE_BYTES:]
        expected = hmac.digest(self._secret, name.encode() + payload, "sha256")
        if not hmac.compare_digest(signature, expected):
            return None
        try:
            return pickle.loads(payload)  # signed above: only entries this user's builds made
        except Exception:  # noqa: BLE001 - a damaged entry is a miss
            return None

    def _write(self, name: str, value: Any) -> None:
        folder = self._entries(create=True)
        if folder is None or self._secret is None:
            return
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            signature = hmac.digest(self._secret, name.encode() + payload, "sha256")
            handle, temporary = tempfile.mkstemp(prefix=".new-", dir=folder)
            with os.fdopen(handle, "wb") as file:
                file.write(signature + payload)
            Path(temporary).replace(folder / name)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            return


def _secret(key_file: Path) -> bytes | None:
    """The user's signing secret, made on first use (readable by the user only); None if it cannot be had."""
    try:
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            _create_once(key_file, secrets.token_bytes(_SECRET_BYTES))
        secret = key_file.read_bytes()
    except OSError:
        return None
    # A short secret (say, one being written by a build starting at the same moment) signs nothing.
    return secret if len(secret) == _SECRET_BYTES else None


def _create_once(path: Path, data: bytes) -> None:
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(handle, "wb") as file:
        file.write(data)
