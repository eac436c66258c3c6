"""Problems found in content files, reported as `file:line: what is wrong`.

Loaders never raise on a malformed file: they return what loaded plus a list of `Problem` values, so the
app can show which file is broken and still serve the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one content file.

    Attributes:
        file: path of the file (as given to the loader).
        line: 1-based line number, or 0 when the problem concerns the whole file.
        message: one sentence saying what is wrong (and, where useful, what to do).
    """

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def display_path(path: Path) -> str:
    """A path relative to the working directory when possible (shorter, clickable in editors)."""
    absolute = path.absolute()
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
