"""Every internal URL comes from the base URL, so the site works at a domain root or a sub-path."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit


def check_base_url(url: str) -> str:
    """An absolute http(s) address with a host and no query or fragment; a missing final '/' is added."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"base URL '{url}' must be absolute, like https://user.github.io/repo/")
    if "?" in url or "#" in url:
        raise ValueError(f"base URL '{url}' must not have a query (?) or fragment (#)")
    if parts.path.startswith("//") or any(ord(char) <= 32 or char in '\\"<>' for char in url):
        raise ValueError(f"base URL '{url}' has a path that browsers would read as another host or misquote")
    problem = _host_problem(parts.netloc) or _path_problem(parts.path)
    if problem:
        raise ValueError(f"base URL '{url}' {problem}")
    return url if url.endswith("/") else url + "/"


def _host_problem(netloc: str) -> str | None:
    if "@" in netloc:
        return "must not hold a user name or password (user:password@)"
    # An IPv6 host is bracketed and full of colons; a port follows its closing bracket.
    host, port = netloc.rsplit(":", 1) if ":" in netloc.rsplit("]", 1)[-1] else (netloc, None)
    if host in ("", "[]"):
        return "must name a host, like https://user.github.io/repo/"
    if port is not None and not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        return f"has port '{port}'; a port is a number from 1 to 65535"
    return None


def _path_problem(path: str) -> str | None:
    segments = [unquote(segment) for segment in path.split("/")]
    if any(segment in (".", "..") for segment in segments):
        return "must not have '.' or '..' path segments"
    return None


@dataclass(frozen=True)
class Urls:
    base_url: str
    """Checked by `check_base_url`: absolute, ending in '/', e.g. `https://user.github.io/repo/`."""

    @property
    def prefix(self) -> str:
        """The base URL's path, e.g. `/repo/`; links are written relative to the host."""
        return urlsplit(self.base_url).path or "/"

    def path(self, relative: str) -> str:
        return self.prefix + relative

    def canonical(self, url_path: str) -> str:
        """The absolute address of a page, from its URL path."""
        return self.base_url + url_path.removeprefix(self.prefix)

    def home(self) -> str:
        return self.path("")

    def tier(self, tier_id: str) -> str:
        return self.path(f"tiers/{tier_id}/")

    def wait_list(self) -> str:
        return self.path("wait-list/")

    def models(self) -> str:
        return self.path("models/")

    def model(self, model_id: str) -> str:
        return self.path(f"models/{model_id}/")

    def posts(self) -> str:
        return self.path("posts/")

    def post(self, post_id: str) -> str:
        return self.path(f"posts/{post_id}/")

    def week_leaderboard(self, post_id: str) -> str:
        """A week's leaderboard, at its post: a permanent address that later weeks never change."""
        return self.post(post_id) + "#week-picks"

    def static(self, name: str) -> str:
        return self.path(f"static/{name}")


def output_file(url_path: str, prefix: str) -> str:
    """The file that serves a URL path: `/repo/models/x/` -> `models/x/index.html`."""
    relative = url_path.removeprefix(prefix)
    return relative + "index.html" if relative == "" or relative.endswith("/") else relative
