"""Root causes first: a content file that does not load hides the problems it causes elsewhere.

One YAML syntax error in a blueprint drops every skill the blueprint defines, and then every note and question
that names one of those skills reports "unknown skill" - hundreds of lines, none of them the cause. `triage` puts
the problems of files that could not be loaded first (each syntax error with its file:line), and takes out of
the list the problems of other files that only name an id the unloadable file defines; they are counted per
cause, so a person fixes the one line that matters and checks again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from datafiles.problems import Problem

# Messages that mean "this file was not loaded at all" (see datafiles.yamlsrc and the loaders).
UNLOADED_PREFIXES = ("YAML syntax error", "cannot read file")
_ID_LINE = re.compile(r"^\s*(?:-\s+)?(?:id|key)\s*:\s*['\"]?([^\s'\"#]+)", re.M)
_QUOTED = re.compile(r"'([^']+)'")


@dataclass
class Triage:
    """Problems in the order a person should read them.

    Attributes:
        root_causes: the problems of files that could not be loaded, by file and line.
        others: every other problem that is not a consequence of a root cause.
        follow_ons: per unloadable file, the problems elsewhere that only follow from it.
    """

    root_causes: list[Problem] = field(default_factory=list)
    others: list[Problem] = field(default_factory=list)
    follow_ons: dict[str, list[Problem]] = field(default_factory=dict)

    def ordered(self) -> list[Problem]:
        """Root causes, one summary line per cause that hides follow-on problems, then the rest."""
        summaries = [Problem(file, 0, f"{len(hidden)} problem(s) in other files follow from this file not "
                                      "loading (they name ids it defines) and are not listed; fix it first")
                     for file, hidden in sorted(self.follow_ons.items()) if hidden]
        return [*self.root_causes, *summaries, *self.others]

    @property
    def hidden(self) -> int:
        """How many follow-on problems were left out."""
        return sum(len(hidden) for hidden in self.follow_ons.values())


def unloaded_files(problems: list[Problem]) -> set[str]:
    """Files with a problem that means the file was not loaded (a syntax error, an unreadable file)."""
    return {p.file for p in problems if p.message.startswith(UNLOADED_PREFIXES)}


def defined_ids(path: Path) -> set[str]:
    """The `id:`/`key:` values written in a file, read as plain text (the file may not parse as YAML)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    return set(_ID_LINE.findall(text))


def triage(problems: list[Problem], unloaded: set[str] | None = None) -> Triage:
    """Sort problems into root causes, follow-ons of those causes, and the rest.

    Args:
        problems: every problem found, in any order.
        unloaded: files that were not loaded; default: those with a syntax or read error.
    """
    causes = unloaded if unloaded is not None else unloaded_files(problems)
    ids_by_cause = {file: defined_ids(Path(file)) for file in sorted(causes)}
    result = Triage(follow_ons={file: [] for file in ids_by_cause})
    for problem in sorted(set(problems)):
        if problem.file in causes:
            result.root_causes.append(problem)
            continue
        cause = _cause_of(problem, ids_by_cause)
        if cause is None:
            result.others.append(problem)
        else:
            result.follow_ons[cause].append(problem)
    return result


def _cause_of(problem: Problem, ids_by_cause: dict[str, set[str]]) -> str | None:
    named = set(_QUOTED.findall(problem.message))
    return next((file for file, ids in ids_by_cause.items() if named & ids), None)
