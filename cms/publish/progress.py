"""Progress on the terminal for long builds: one line rewritten in place."""

from __future__ import annotations

import sys
import time


class TerminalProgress:
    """Show ``[ 120/1500]  8%  /news/x/`` while freezing, at most ten times a second."""

    def __init__(self, enabled: bool = True, stream=None):  # a text stream
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = self.stream.isatty()
        self._last = 0.0
        self._shown = False

    def log(self, message: str) -> None:
        if self.enabled:
            self._clear()
            print(message, file=self.stream, flush=True)

    def update(self, done: int, total: int, url: str) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self._last < (0.1 if self.tty else 2.0):
            return
        self._last = now
        line = f"[{done:>{len(str(total))}}/{total}] {100 * done // max(total, 1):3d}%  {url}"
        if self.tty:
            self.stream.write("\r\x1b[K" + line[:100])
            self._shown = True
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        self._clear()

    def _clear(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False
