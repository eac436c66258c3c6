"""Driving a lab from the tests the way a learner would: a kernel, the reference cells, the checks."""

from __future__ import annotations

from labs import api, grading
from labs.spec import fill, get_lab


class LabDriver:
    """One lab for one test module: open the session, run cells, check steps."""

    def __init__(self, lab_id: str):
        self.lab = get_lab(lab_id)
        self.session = None

    @property
    def params(self) -> dict:
        return self.session.attempt.params if self.session else api.prepare(self.lab.id).params

    def open(self):
        if self.session is None:
            self.session = api.open_session(self.lab.id)
        return self.session

    def run(self, code: str, *, ok: bool = True):
        result = self.open().run(fill(code, self.params))
        if ok:
            assert result.ok, f"cell failed ({result.status}): {result.message}\n{result.text()}"
        return result

    def solve(self, upto: str | None = None, *, through: bool = True):
        """Run the reference solutions in order, up to (and by default including) step `upto`."""
        for step in self.lab.spec.steps:
            if step.id == upto and not through:
                return
            self.run(step.solution)
            if step.id == upto:
                return

    def all_results(self) -> dict[str, list]:
        """Every check of every step, not stopping at failures (what an untouched lab shows)."""
        attempt = api.prepare(self.lab.id)
        return {s.id: grading.run_step(self.lab, s, attempt.folder, attempt.params, follow_needs=False)
                for s in self.lab.spec.steps}

    def check(self, step_id: str):
        return api.check_step(self.lab.id, step_id)

    def failure(self, step_id: str) -> str:
        """The message of the first failing check of a step (asserts that one fails)."""
        report = self.check(step_id)
        assert not report.passed, f"step {step_id} passed but should fail"
        bad = next(r for r in report.results if not r.passed)
        assert not bad.broken, bad.error
        return f"{bad.name}: {bad.message}"

    def reset(self):
        self.session = None
        api.reset_lab(self.lab.id, confirm=True)

    def close(self):
        api.close_all()
        self.session = None


def assert_untouched_fails_distinctly(driver: LabDriver) -> None:
    """Every check fails, none is broken, and no two checks of the lab share a message."""
    results = [r for step in driver.all_results().values() for r in step]
    broken = [(r.name, r.error) for r in results if r.broken]
    assert not broken, broken
    passing = [r.name for r in results if r.passed]
    assert not passing, f"checks pass on an untouched lab: {passing}"
    messages = [r.message for r in results]
    repeated = {m for m in messages if messages.count(m) > 1}
    assert not repeated, f"checks share a message: {repeated}"


def assert_all_pass(driver: LabDriver) -> None:
    for step in driver.lab.spec.steps:
        report = driver.check(step.id)
        assert report.passed, [(step.id, r.name, r.message, r.expected, r.found, r.error) for r in report.results]
