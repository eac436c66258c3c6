"""Lab 14: deploy a model to a managed online endpoint (SDK v2)."""

from __future__ import annotations

import pytest

from tests.labs.labkit import assert_all_pass, assert_untouched_fails_distinctly

LAB_ID = "14"  # the `lab` fixture (tests/labs/conftest.py) drives this lab


@pytest.fixture(scope="module", autouse=True)
def no_scoring_servers_left(lab):
    """The deployments' scoring servers outlive the kernel (as a cloud service does): stop them at the end."""
    yield
    from labs import api
    from labs.grading import workspace_from_config
    from sim.cloud import endpoints

    record = workspace_from_config(api.prepare(LAB_ID).folder)
    if record is not None:
        endpoints.stop_all(record)


def test_untouched_lab_fails_every_check_with_its_own_message(lab):
    assert_untouched_fails_distinctly(lab)


def test_reference_solution_passes_every_check(lab):
    lab.solve()
    assert_all_pass(lab)


def test_running_the_solution_twice_still_passes(lab):
    lab.solve()
    assert_all_pass(lab)


def test_mistake_an_even_split_is_named(lab):
    lab.run('endpoint = ml_client.online_endpoints.get(endpoint_name)\nendpoint.traffic = {"blue": 50, "green": 50}\n'
            'ml_client.online_endpoints.begin_create_or_update(endpoint).result()')
    assert "90% of the requests to 'blue'" in lab.failure("green")
