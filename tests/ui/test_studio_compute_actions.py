"""Studio compute actions: an instance starts, stops and restarts; any compute is deleted after a confirmation."""

from __future__ import annotations

from tests.ui.test_studio_page import studio, workspace  # noqa: F401 - the shared workspace fixture
from tests.ui.test_studio_qa import _create


def _state(at, name: str) -> str:
    table = at.dataframe[0].value
    return table[table["Name"] == name].iloc[0]["State"]


def test_an_instance_stops_and_starts_and_a_wrong_move_gets_the_sdks_error(workspace):  # noqa: F811
    at = studio()
    at.radio(key="studio_compute_kind").set_value("instance").run()
    _create(at, "ci-learner")
    at.selectbox(key="studio_compute_pick").set_value("ci-learner").run()
    at.button(key="studio_compute_stop").click().run()
    assert _state(at, "ci-learner") == "Stopped" and "ci-learner is now Stopped" in at.success[0].value
    at.button(key="studio_compute_stop").click().run()  # stopping a stopped instance
    assert "cannot be stopped now" in at.error[0].value and not at.exception
    at.button(key="studio_compute_start").click().run()
    assert _state(at, "ci-learner") == "Running"
    from sim.azureml.core.compute import ComputeInstance

    assert ComputeInstance(workspace, "ci-learner").get_status().state == "Running"  # what the SDK sees


def test_a_cluster_cannot_be_started_and_is_deleted_only_after_confirming(workspace):  # noqa: F811
    at = _create(studio(), "cpu-cluster")
    at.selectbox(key="studio_compute_pick").set_value("cpu-cluster").run()
    assert at.button(key="studio_compute_start").disabled and at.button(key="studio_compute_stop").disabled
    at.button(key="studio_compute_delete").click().run()
    assert "cpu-cluster" in workspace.compute_targets  # only asked so far
    at.button(key="studio_delete_yes").click().run()
    assert not at.exception
    assert "cpu-cluster" not in workspace.compute_targets
    assert "Deleted cpu-cluster" in at.success[0].value
