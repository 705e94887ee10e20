"""Problems found in content files, each naming the file, the line and the field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One validation problem: ``content/stations/x.md:7: location.lat 222.1 is not a latitude``."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class ContentError(Exception):
    """Raised when content cannot be built; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class FieldError(ValueError):
    """Raised by a field converter; the reader adds file and line."""

    def __init__(self, message: str, field: str = ""):
        self.field = field
        super().__init__(message)
