"""SDK v2 job listings are set-based: `jobs.list()` a page per answer, a job's children in a few queries."""

from __future__ import annotations

import pytest


@pytest.fixture
def parent(ml_client, workspace):
    """A finished command job with 150 child runs (made through the service's batch path)."""
    from azure.ai.ml import command

    from sim.cloud.runs import batch, state

    job = ml_client.create_or_update(command(command="echo parent", environment="AzureML-sklearn-1.5@latest",
                                             experiment_name="paged"))
    rows = batch.start_many(workspace, "paged", 150, parent_run_id=job.name, status=state.COMPLETED)
    return job.name, [r["run_id"] for r in rows]


def test_children_are_listed_oldest_first_without_loading_each_run(ml_client, parent, monkeypatch):
    from mlflow.tracking import MlflowClient

    name, children = parent
    loads = []
    original = MlflowClient.get_run
    monkeypatch.setattr(MlflowClient, "get_run", lambda self, run_id: loads.append(run_id) or original(self, run_id))
    listed = list(ml_client.jobs.list(parent_job_name=name))
    assert [job.name for job in listed] == children  # all 150: the SDK reads one answer of children
    assert listed[0].status == "Completed"
    assert not set(loads) & set(children)  # the service read no child run one by one


def test_max_results_is_the_first_children(ml_client, parent):
    name, children = parent
    assert [job.name for job in ml_client.jobs.list(parent_job_name=name, max_results=7)] == children[:7]


def test_the_job_list_comes_a_page_at_a_time_newest_first(ml_client, monkeypatch):
    from azure.ai.ml import command
    from mlflow.tracking import MlflowClient

    from sim.rest.jobs import _arm

    names = [ml_client.create_or_update(command(command=f"echo {i}", environment="AzureML-sklearn-1.5@latest",
                                                experiment_name="paged")).name for i in range(3)]
    monkeypatch.setattr(_arm, "JOBS_PAGE", 2)
    loads = []
    original = MlflowClient.get_run
    monkeypatch.setattr(MlflowClient, "get_run", lambda self, run_id: loads.append(run_id) or original(self, run_id))
    pages = [[job.name for job in page] for page in ml_client.jobs.list().by_page()]
    assert pages == [names[:0:-1], names[:1]]  # newest first, the SDK following nextLink
    assert not set(loads) & set(names)  # the service read no job one by one


def test_a_continuation_token_not_from_the_service_is_a_clear_400():
    from sim.rest import paging
    from sim.rest._errors import RestError

    with pytest.raises(RestError, match="was not issued by this service") as refused:
        paging.position("not-a-token")
    assert refused.value.status == 400
