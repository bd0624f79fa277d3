"""Live reload for `serve`: open pages learn of each rebuild, or of its problems, by Server-Sent Events.

The script is added to HTML responses by the preview server only; it is never written to a built site.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

LIVE_PREFIX = "/__live/"
EVENTS_PATH = LIVE_PREFIX + "events"
SCRIPT_PATH = LIVE_PREFIX + "reload.js"

# Tiny and dependency-free: reload when the build changed, show problems over the page until fixed.
SCRIPT = b"""\
(() => {
  "use strict";
  const shown = document.currentScript.dataset.version;
  let overlay = null;
  new EventSource("/__live/events").onmessage = (event) => {
    const state = JSON.parse(event.data);
    if (state.problems.length === 0) {
      if (String(state.version) !== shown) location.reload();
      else if (overlay) { overlay.remove(); overlay = null; }
      return;
    }
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "live-problems";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
        "margin:0;padding:1em;background:#fff0f0;color:#600;border-top:4px solid #b00;font:14px/1.4 monospace";
      document.body.append(overlay);
    }
    const heading = document.createElement("strong");
    heading.textContent = "The last save did not build; this page shows the last good build.";
    const list = document.createElement("pre");
    list.style.whiteSpace = "pre-wrap";
    list.textContent = state.problems.join("\\n");
    overlay.replaceChildren(heading, list);
  };
})();
"""


@dataclass(frozen=True)
class LiveStatus:
    generation: int
    """Counts every change of status, good or bad."""
    version: int
    """Counts good builds; a page built from an older one reloads."""
    problems: tuple[str, ...]
    """Problems of the latest save, as `path:line:col: message`; empty when it built."""

    def event(self) -> bytes:
        payload = json.dumps({"version": self.version, "problems": list(self.problems)})
        return f"data: {payload}\n\n".encode()


class LiveState:
    """Shared between the rebuild loop and the page connections."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._status = LiveStatus(0, 0, ())
        self._closed = False

    @property
    def status(self) -> LiveStatus:
        with self._changed:
            return self._status

    def built(self) -> None:
        with self._changed:
            self._status = LiveStatus(self._status.generation + 1, self._status.version + 1, ())
            self._changed.notify_all()

    def failed(self, problems: list[str]) -> None:
        with self._changed:
            self._status = LiveStatus(self._status.generation + 1, self._status.version, tuple(problems))
            self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def wait(self, seen_generation: int, timeout: float) -> LiveStatus | None:
        """The status once it differs from `seen_generation` (or after `timeout`); None once closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._status.generation != seen_generation, timeout)
            return None if self._closed else self._status


def inject_script(html: bytes, version: int) -> bytes:
    tag = f'<script src="{SCRIPT_PATH}" data-version="{version}"></script>\n'.encode()
    end = html.rfind(b"</body>")
    return html[:end] + tag + html[end:] if end != -1 else html + tag
