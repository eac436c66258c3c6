"""A running exam as plain data: answers, flags, navigation rules, the clock and the final report.

The page keeps one `ExamSession` in its session state and asks it what is allowed; nothing here knows
about Streamlit, so the rules are tested directly.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from typing import Any

from quizzes.forms import SECTIONS, ExamForm, FormItem
from quizzes.scoring import ExamReport, Score, exam_report, score


@dataclass
class ExamSession:
    """One attempt at an exam form.

    Attributes:
        form: the questions, in order, with their sections.
        started: wall-clock start (seconds since the epoch).
        answers: question id -> the answer given so far.
        flagged: question ids flagged for review.
        locked: non-revisitable question ids the learner has moved past.
        index: the item on screen.
        finished_at: when the exam ended (by the learner or the clock).
    """

    form: ExamForm
    started: float = field(default_factory=time.time)
    answers: dict[str, Any] = field(default_factory=dict)
    flagged: set[str] = field(default_factory=set)
    locked: set[str] = field(default_factory=set)
    seconds: dict[str, float] = field(default_factory=dict)
    index: int = 0
    finished_at: float | None = None
    _shown_at: float = field(default_factory=time.time)

    @property
    def current(self):
        """The form item on screen."""
        return self.form.items[self.index]

    def remaining(self, now: float | None = None) -> float:
        """Seconds left on the clock (never below zero)."""
        end = self.started + self.form.minutes * 60
        return max(0.0, end - (now if now is not None else time.time()))

    def time_is_up(self, now: float | None = None) -> bool:
        return self.remaining(now) <= 0

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    def answer(self, question_id: str, value: Any) -> None:
        """Store an answer (None clears it: every choice was taken back), unless the item is locked or the
        exam is over."""
        if self.finished or question_id in self.locked:
            raise ValueError("This item can no longer be changed.")
        if value is None:
            self.answers.pop(question_id, None)
        else:
            self.answers[question_id] = value

    def toggle_flag(self, question_id: str) -> None:
        self.flagged ^= {question_id}

    def can_visit(self, index: int) -> bool:
        """Whether the learner may open item `index` (locked items stay closed)."""
        return 0 <= index < len(self.form.items) and self.form.items[index].question_id not in self.locked

    def go_to(self, index: int, now: float | None = None) -> None:
        """Move to another item; leaving a non-revisitable item locks it, as in the real exam.

        Raises:
            ValueError: the target is out of range or locked.
        """
        if not self.can_visit(index):
            raise ValueError("That item cannot be revisited: a section closes once left, and so does each yes/no "
                             "series and case study.")
        moment = now if now is not None else time.time()
        leaving = self.current
        self._count_time(moment)
        if index != self.index and not leaving.revisitable:
            self.locked.add(leaving.question_id)
        if self.leaves_section(index):
            # Sections run in order and close once left: the review screen is the last look at the one behind.
            entering = self.form.items[index].section
            self.locked |= {it.question_id for it in self.form.items[:index] if it.section != entering}
        self.index, self._shown_at = index, moment

    def _count_time(self, moment: float) -> None:
        """Add the time since the item on screen was shown to that item's total."""
        qid = self.current.question_id
        self.seconds[qid] = self.seconds.get(qid, 0.0) + max(0.0, moment - self._shown_at)
        self._shown_at = moment

    def leaves_section(self, index: int) -> bool:
        """Whether moving to item `index` enters a later section, closing the current one for good."""
        if not 0 <= index < len(self.form.items):
            return False
        order = SECTIONS.index
        return order(self.form.items[index].section) > order(self.current.section)

    def unanswered(self) -> list[int]:
        return [i for i, it in enumerate(self.form.items) if it.question_id not in self.answers]

    def finish(self, now: float | None = None) -> None:
        """End the exam (the learner's choice, or the clock at zero)."""
        if not self.finished:
            moment = now if now is not None else time.time()
            end = self.started + self.form.minutes * 60
            self.finished_at = min(moment, end)
            self._count_time(self.finished_at)  # the last item on screen counts too

    def time_used(self) -> float:
        """Seconds from the start to the end of the exam (or to now while it runs)."""
        return (self.finished_at or time.time()) - self.started

    def to_dict(self) -> dict[str, Any]:
        """The attempt as JSON-ready data, so it survives a page refresh or a restart.

        A snapshot: nothing in it is shared with the live session, so comparing two snapshots tells a change.
        """
        form = self.form
        saved_form = {"blueprint_id": form.blueprint_id, "minutes": form.minutes, "shortfall": form.shortfall,
                      "items": [[it.question_id, it.domain_id, it.section] for it in form.items]}
        return copy.deepcopy({
            "form": saved_form, "started": self.started, "answers": self.answers, "flagged": sorted(self.flagged),
            "locked": sorted(self.locked), "seconds": self.seconds, "index": self.index,
            "finished_at": self.finished_at, "shown_at": self._shown_at})

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExamSession:
        """Rebuild an attempt saved with `to_dict`.

        Raises:
            ValueError: the data is not a saved attempt (missing or malformed fields).
        """
        try:
            f = data["form"]
            form = ExamForm(f["blueprint_id"], [FormItem(*it) for it in f["items"]], int(f["minutes"]),
                            dict(f.get("shortfall", {})))
            return cls(form, started=float(data["started"]), answers=dict(data["answers"]),
                       flagged=set(data["flagged"]), locked=set(data["locked"]), seconds=dict(data["seconds"]),
                       index=int(data["index"]), finished_at=data["finished_at"], _shown_at=float(data["shown_at"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"The saved exam attempt cannot be read ({exc}); start a new exam.") from exc

    def scores(self, questions: dict[str, Any]) -> dict[str, Score]:
        """Each item's score; an unanswered item scores zero."""
        return {it.question_id: score(questions[it.question_id], self.answers.get(it.question_id))
                for it in self.form.items}

    def report(self, questions: dict[str, Any], domain_titles: dict[str, str]) -> ExamReport:
        """The score report (scaled estimate, pass line, per-domain results)."""
        scores = self.scores(questions)
        return exam_report(((it.domain_id, scores[it.question_id]) for it in self.form.items), domain_titles)
