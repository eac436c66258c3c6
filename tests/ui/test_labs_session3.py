"""Labs page fixes from the third QA pass (labs 02 to 07 done end to end in Chromium)."""

from __future__ import annotations

from progress import Record


def test_the_chosen_step_stays_chosen_when_its_mark_changes(labs):
    at = labs
    at.button(key="lab-open-02").click().run()
    at.button(key="lab-goto-02-mlflow-notebook").click().run()
    Record().record_lab_step("02", "mlflow-notebook", False, "not yet")  # a check just ended: not checked -> failed
    at.run()
    assert at.session_state["lab-step-02"] == "mlflow-notebook"
    assert at.subheader[1].value == "3. MLflow in a notebook"
    assert at.button(key="lab-goto-02-mlflow-notebook").proto.icon == ":material/cancel:"


def test_restart_kernel_and_reset_lab_do_not_share_a_verb_in_portuguese():
    """"Reiniciar kernel" beside "Reiniciar laboratório" hid that one of them deletes the learner's work."""
    from labs.grading import NO_WORKSPACE_PT
    from ui.i18n import texts

    restart, reset = texts()["lab.restart"]["pt-BR"], texts()["lab.reset"]["pt-BR"]
    assert restart.split()[0] != reset.split()[0]
    assert "reinicie o laboratório" not in NO_WORKSPACE_PT, "the check must name the button the learner sees"
