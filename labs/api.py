"""What the Labs page and the CLI call: list labs, open a session, run a cell, check, hints, solution, reset.

    from labs import api
    api.list_labs("en")                        # cards: id, title, summary, goals, minutes, skills, progress
    session = api.open_session("02")           # prepares the folder (set-up) and starts the kernel
    session.run("print(1)")                    # -> labs.kernel.CellResult
    api.run_cell("02", "inline-run", "print(1)")  # the same, kept as the step's last outputs
    api.last_outputs("02", "inline-run")       # -> that CellResult again (after a reload), or None
    api.last_report("02", "inline-run")        # -> the step's last StepReport (after a reload), or None
    api.check_step("02", "inline-run")         # -> StepReport (also stored in the learner's record)
    api.next_hint("02", "inline-run")          # reveals one more hint
    api.solution("02", "inline-run")           # the reference code (marks "solution shown")
    session.jump_to("script-run")              # runs the solutions of the steps before it
    api.reset_lab("02", confirm=True)          # fresh folder, workspace and record
    api.close_all()                            # shut every kernel down (the app's exit hook)

One session per (learner, lab); all of them are shut down by `close_all()` (also registered with atexit).
"""

from __future__ import annotations

import atexit
import threading
from dataclasses import asdict, dataclass, field

from labs import grading, jupyter, state
from labs.grading import CheckResult
from labs.kernel import CellResult, LabKernel, Limits
from labs.spec import Lab, Step, fill, get_lab
from labs.spec import catalog as _catalog

_sessions: dict[tuple[str, str], LabSession] = {}
_lock = threading.Lock()


@dataclass
class StepReport:
    """The outcome of checking one step."""

    lab_id: str
    step_id: str
    results: list[CheckResult] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return bool(self.results) and all(r.passed for r in self.results)

    @property
    def message(self) -> str:
        """The first failure's message, or the last success's."""
        return self.message_in("en")

    def message_in(self, language: str) -> str:
        """`message` in `language`, English where a check gives no translation."""
        bad = next((r for r in self.results if not r.passed), None)
        return (bad or self.results[-1]).message_in(language) if self.results else ""


def _record():
    from progress.record import Record

    return Record()


# -- the catalogue -----------------------------------------------------------------------------------
def list_labs(language: str = "en", learner: str = state.DEFAULT_LEARNER) -> list[dict]:
    """Every lab as a card with the learner's progress (steps passed out of steps)."""
    record = _record()
    cards = []
    for lab in _catalog().values():
        spec, done = lab.spec, record.lab_steps(_progress_id(lab, learner))
        cards.append({
            "id": spec.id, "key": spec.key, "title": spec.title.get(language), "summary": spec.summary.get(language),
            "goals": [g.get(language) for g in spec.goals], "minutes": spec.duration_minutes, "sdk": spec.sdk,
            "skills": list(spec.skills), "prerequisites": prerequisites(lab.id, language),
            "steps": len(spec.steps), "passed": sum(1 for s in spec.steps if done.get(s.id, {}).get("passed")),
        })
    return cards


def prerequisites(lab_id: str, language: str = "en") -> list[dict]:
    """What a lab expects the learner to know or have done: text, and the earlier lab that teaches it (or None)."""
    return [{"text": p.get(language), "lab": p.lab} for p in get_lab(lab_id).spec.prerequisites]


def about(lab_id: str, language: str = "en", learner: str = state.DEFAULT_LEARNER) -> dict:
    """A lab's title, summary, goals and prerequisites; a prerequisite lab says whether the learner finished it."""
    spec, record = get_lab(lab_id).spec, _record()
    needs = prerequisites(lab_id, language)
    for need in needs:
        if need["lab"]:
            earlier = get_lab(need["lab"])
            done = record.lab_steps(_progress_id(earlier, learner))
            need["done"] = all(done.get(s.id, {}).get("passed") for s in earlier.spec.steps)
    return {"id": spec.id, "title": spec.title.get(language), "summary": spec.summary.get(language),
            "goals": [g.get(language) for g in spec.goals], "prerequisites": needs}


def steps(lab_id: str, language: str = "en", learner: str = state.DEFAULT_LEARNER) -> list[dict]:
    """The steps of a lab with this attempt's text filled in and the learner's latest result of each."""
    lab = get_lab(lab_id)
    attempt = _attempt(lab, learner)
    done = _record().lab_steps(_progress_id(lab, learner))
    return [{
        "id": s.id, "number": i, "title": s.title.get(language),
        "instructions": fill(s.instructions.get(language), attempt.params),
        "starter": fill(s.starter, attempt.params), "hints_total": len(s.hints),
        "hints_used": attempt.hints_used(s.id), "solution_shown": attempt.solution_shown(s.id),
        "hints_shown": [fill(h.get(language), attempt.params) for h in s.hints[:attempt.hints_used(s.id)]],
        "checks": list(s.checks), "note": s.note, "result": done.get(s.id),
    } for i, s in enumerate(lab.spec.steps, start=1)]


def _attempt(lab: Lab, learner: str) -> state.Attempt:
    """The learner's attempt, with its per-attempt values drawn (set-up is not run here)."""
    attempt = state.Attempt(lab, state.lab_folder(lab, learner))
    attempt.ensure_started()
    return attempt


def _progress_id(lab: Lab, learner: str) -> str:
    return lab.id if learner == state.DEFAULT_LEARNER else f"{learner}/{lab.id}"


# -- preparing, checking, hints ----------------------------------------------------------------------
def prepare(lab_id: str, learner: str = state.DEFAULT_LEARNER) -> state.Attempt:
    """Create the lab folder and run its set-up once; returns the attempt (its `.folder`, `.params`)."""
    return state.prepare(get_lab(lab_id), learner)


def check_step(lab_id: str, step_id: str, learner: str = state.DEFAULT_LEARNER, *, record: bool = True) -> StepReport:
    """Run a step's checks (every one, except those that need a check that failed) and store the outcome."""
    lab = get_lab(lab_id)
    step = lab.spec.step(step_id)
    attempt = state.Attempt(lab, state.lab_folder(lab, learner))
    if "seed" not in attempt.data:  # never started: start it, so per-attempt values exist
        attempt = state.prepare(lab, learner)
    results = grading.run_step(lab, step, attempt.folder, attempt.params)
    report = StepReport(lab.id, step.id, results)
    if record:
        state.save_report(attempt.folder, step.id, [r.to_dict() for r in results])
        _record().record_lab_step(_progress_id(lab, learner), step.id, report.passed, report.message,
                                  hints_used=attempt.hints_used(step.id),
                                  solution_shown=attempt.solution_shown(step.id))
    return report


def check_lab(lab_id: str, learner: str = state.DEFAULT_LEARNER, *, record: bool = True) -> list[StepReport]:
    """Check every step of a lab."""
    return [check_step(lab_id, s.id, learner, record=record) for s in get_lab(lab_id).spec.steps]


def next_hint(lab_id: str, step_id: str, language: str = "en", learner: str = state.DEFAULT_LEARNER) -> list[str]:
    """Reveal one more hint of a step; returns every hint revealed so far (a nudge first, the answer last)."""
    lab = get_lab(lab_id)
    step = lab.spec.step(step_id)
    attempt = _attempt(lab, learner)
    shown = attempt.use_hint(step.id, min(attempt.hints_used(step.id) + 1, len(step.hints)))
    return [fill(h.get(language), attempt.params) for h in step.hints[:shown]]


def solution(lab_id: str, step_id: str, learner: str = state.DEFAULT_LEARNER) -> str:
    """The reference solution of a step with this attempt's values (recorded as shown)."""
    lab = get_lab(lab_id)
    step = lab.spec.step(step_id)
    attempt = _attempt(lab, learner)
    attempt.show_solution(step.id)
    return fill(step.solution, attempt.params)


def reset_lab(lab_id: str, learner: str = state.DEFAULT_LEARNER, *, confirm: bool = False) -> state.Attempt:
    """Start a lab over: its kernels (the page's and JupyterLab's), workspace, folder and recorded results are
    deleted, set-up runs again.

    Raises:
        ValueError: `confirm` is not True (a reset cannot be undone).
    """
    if confirm is not True:
        raise ValueError("Resetting a lab deletes its folder, workspace and results; pass confirm=True to do it.")
    lab = get_lab(lab_id)
    close_session(lab.id, learner)
    jupyter.shut_down_lab_kernels(lab.id, learner)  # notebooks open in JupyterLab work in the folder that goes
    state.wipe(lab, learner)
    _record().reset_lab(_progress_id(lab, learner))
    return state.prepare(lab, learner)


# -- a step's cell and its last outputs ---------------------------------------------------------------
TOO_LARGE = {"en": "The outputs of this cell's last run were too large to keep; run it again to see them.",
             "pt-BR": "As saídas da última execução desta célula eram grandes demais para guardar; rode-a de novo "
                      "para vê-las."}


def run_cell(lab_id: str, step_id: str, code: str, learner: str = state.DEFAULT_LEARNER,
             into: CellResult | None = None) -> CellResult:
    """Run a step's cell in the lab's kernel and keep its outputs as the step's last outputs."""
    session = open_session(lab_id, learner)
    step = session.lab.spec.step(step_id)
    state.forget_report(session.folder, step.id)  # it judged the state before this run
    result = session.run(code, into=into)
    state.save_outputs(session.folder, step.id, asdict(result))
    return result


def last_outputs(lab_id: str, step_id: str, language: str = "en",
                 learner: str = state.DEFAULT_LEARNER) -> CellResult | None:
    """The outputs of the last run of a step's cell (kept on disk, so they outlive the page and the app)."""
    lab = get_lab(lab_id)
    kept = state.last_outputs(state.lab_folder(lab, learner), lab.spec.step(step_id).id)
    if not kept:
        return None
    fields = {k: kept[k] for k in CellResult.__dataclass_fields__ if k in kept}
    if kept.get("too_large"):
        fields["message"] = TOO_LARGE.get(language, TOO_LARGE["en"])
    return CellResult(**fields)


def last_report(lab_id: str, step_id: str, learner: str = state.DEFAULT_LEARNER) -> StepReport | None:
    """The step's last check report, unless its cell ran since (kept on disk, so it outlives the page)."""
    lab = get_lab(lab_id)
    step = lab.spec.step(step_id)
    kept = state.last_report(state.lab_folder(lab, learner), step.id)
    if kept is None:
        return None
    fields = CheckResult.__dataclass_fields__
    return StepReport(lab.id, step.id, [CheckResult(**{k: v for k, v in r.items() if k in fields}) for r in kept])


# -- sessions ----------------------------------------------------------------------------------------
class LabSession:
    """A learner's kernel for one lab, started in the lab folder with the simulator active."""

    def __init__(self, lab: Lab, learner: str, limits: Limits | None = None):
        self.lab = lab
        self.learner = learner
        self.attempt = state.prepare(lab, learner)
        self.kernel = LabKernel(self.attempt.folder, limits)
        self.kernel.start()
        self._lock = threading.Lock()  # one cell at a time, whichever thread of the app asks

    @property
    def folder(self):
        return self.attempt.folder

    def run(self, code: str, timeout: float | None = None, into: CellResult | None = None) -> CellResult:
        """Run one cell in the lab's kernel (limits apply; never raises for the cell's own errors).

        `into`, when given, is filled as outputs arrive, so a caller in another thread can show them live.
        """
        with self._lock:
            return self.kernel.execute(code, timeout=timeout, into=into)

    def check(self, step_id: str) -> StepReport:
        return check_step(self.lab.id, step_id, self.learner)

    def run_solution(self, step: Step) -> CellResult:
        """Run a step's reference solution in this kernel (without marking it as shown)."""
        return self.run(fill(step.solution, self.attempt.params))

    def jump_to(self, step_id: str) -> list[CellResult]:
        """Run the reference solutions of every step before `step_id`; stops at the first cell that fails."""
        target = self.lab.spec.step(step_id)
        results = []
        for step in self.lab.spec.steps:
            if step.id == target.id:
                break
            results.append(self.run_solution(step))
            if not results[-1].ok:
                break
        return results

    def close(self) -> None:
        """Shut the kernel down; a cell still running is interrupted first (a restart is how a learner stops
        a stuck cell, and waiting for it would hold the page until the cell's time limit)."""
        if self._lock.locked():
            self.kernel.interrupt()
        with self._lock:
            self.kernel.shutdown()


def open_session(lab_id: str, learner: str = state.DEFAULT_LEARNER, limits: Limits | None = None) -> LabSession:
    """The learner's session for a lab, started if needed (a dead kernel is replaced on the next cell)."""
    lab = get_lab(lab_id)
    key = (learner, lab.id)
    with _lock:
        session = _sessions.get(key)
        if session is None:
            session = _sessions[key] = LabSession(lab, learner, limits)
    return session


def close_session(lab_id: str, learner: str = state.DEFAULT_LEARNER) -> None:
    """Shut the learner's kernel for a lab down, if one runs."""
    with _lock:
        session = _sessions.pop((learner, get_lab(lab_id).id), None)
    if session:
        session.close()


def close_all() -> None:
    """Shut every lab kernel down."""
    with _lock:
        sessions = list(_sessions.values())
        _sessions.clear()
    for session in sessions:
        session.close()


atexit.register(close_all)
