"""Simulated `azureml.core._portal`: the mixins that give workspaces, experiments and runs a studio URL."""

from __future__ import annotations

PORTAL = "https://ml.azure.com"


class HasPortal:
    """Something with a page in Azure ML studio."""

    def get_portal_url(self):
        """Return the URL of this object's studio page."""
        return self._portal_url()

    @property
    def portal_url(self):
        """The URL of this object's studio page."""
        return self.get_portal_url()

    def _portal_url(self) -> str:
        return PORTAL


class HasWorkspacePortal(HasPortal):
    """Something that lives in a workspace (its studio URL carries the workspace id)."""

    WORKSPACE_FMT = "?wsid=/subscriptions/{0}/resourcegroups/{1}/workspaces/{2}"
    TID_FMT = "&tid={0}"

    def _workspace_query(self) -> str:
        rec = self._portal_workspace()._record
        return self.WORKSPACE_FMT.format(rec.subscription_id, rec.resource_group, rec.name)

    def _portal_workspace(self):
        raise NotImplementedError


class HasExperimentPortal(HasWorkspacePortal):
    """An experiment (or something in one): its studio page is the experiment's page."""

    EXPERIMENT_ID_PATH = "/experiments/id/{0}"
    EXPERIMENT_NAME_PATH = "/experiments/{0}"

    def __init__(self, experiment):
        self._portal_target = experiment

    def get_portal_url(self):
        """Return the URL of the experiment's page in Azure ML studio."""
        return self._portal_url()

    def _portal_url(self) -> str:
        return PORTAL + self.EXPERIMENT_ID_PATH.format(self._portal_experiment().id) + self._workspace_query()

    def _portal_experiment(self):
        return getattr(self, "_portal_target", None) or self

    def _portal_workspace(self):
        return self._portal_experiment().workspace


class HasRunPortal(HasExperimentPortal):
    """A run: its studio page is the run's page."""

    RUN_PATH = "/runs/{0}"

    def get_portal_url(self):
        """Return the URL of the run's page in Azure ML studio."""
        return self._portal_url()

    def _portal_url(self) -> str:
        return PORTAL + self.RUN_PATH.format(self.id) + self._workspace_query()

    def _portal_experiment(self):
        return self.experiment
