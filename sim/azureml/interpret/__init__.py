"""Simulated `azureml.interpret` (azureml-interpret): `ExplanationClient` keeps model explanations on a run.

An explanation is stored as a file of the run (`explanation/<id>/`, see `sim.cloud.runs.assessments`), so it
survives the job that made it and can be downloaded in the notebook afterwards, as with the real service.
"""

from __future__ import annotations

from sim.azureml._common.cloud import cloud
from sim.cloud.runs import assessments
from sim.interpret._explanation import DynamicGlobalExplanation, DynamicLocalExplanation, from_dict
from sim.messages import EXPLANATION_CLIENT_NEEDS_RUN

_assessments = cloud(assessments)  # the run's explanations, kept by the service


class ExplanationClient:
    """Uploads, lists and downloads the model explanations of one run."""

    def __init__(self, service_context, experiment_name, run_id, _run=None, datastore_name=None):
        if _run is None:
            raise ValueError(EXPLANATION_CLIENT_NEEDS_RUN)
        self._run = _run
        self._run_id = run_id or _run.id

    @classmethod
    def from_run(cls, run, datastore_name=None):
        """The client for an existing run (in a training script, `Run.get_context()`)."""
        if not hasattr(run, "_record"):
            from sim.azureml.exceptions import RunEnvironmentException
            from sim.messages import RUN_OFFLINE_ONLY

            raise RunEnvironmentException(
                exception_message=RUN_OFFLINE_ONLY.format(member="ExplanationClient.from_run"))
        return cls(None, None, run.id, _run=run)

    @classmethod
    def from_run_id(cls, workspace, experiment_name, run_id, datastore_name=None):
        """The client for the run `run_id` of an experiment in a workspace."""
        from sim.azureml.core.run import Run

        return cls.from_run(Run.get(workspace, run_id))

    @property
    def run(self):
        """The run the explanations belong to."""
        return self._run

    def upload_model_explanation(self, explanation, max_num_blocks=None, block_size=None, top_k=None,
                                 comment=None, init_dataset_id=None, eval_dataset_id=None,
                                 ys_pred_dataset_id=None, ys_pred_proba_dataset_id=None, upload_datasets=False,
                                 model_id=None, true_ys=None, visualization_points=5000):
        """Store an explanation (global or local) on the run, with an optional comment."""
        if not isinstance(explanation, DynamicLocalExplanation):
            from sim.messages import EXPLANATION_INVALID

            raise ValueError(EXPLANATION_INVALID.format(kind=type(explanation).__name__))
        meta = {"comment": comment, "model_id": model_id, "raw": explanation.is_raw,
                "engineered": not explanation.is_raw, "type": explanation.to_dict()["type"]}
        document = _assessments.document(assessments.EXPLANATION, explanation.to_dict())
        _assessments.save(self._run._record, self._run_id, assessments.EXPLANATION, document, meta)

    def list_model_explanations(self, comment=None, raw=None, engineered=None):
        """The run's explanations as dicts (id, comment, upload time, raw/engineered), oldest first."""
        items = _assessments.listing(self._run._record, self._run_id, assessments.EXPLANATION)
        wanted = [item for item in items if (comment is None or item["comment"] == comment)
                  and (raw is None or item["raw"] == raw) and (engineered is None or item["engineered"] == engineered)]
        return [{"id": item["id"], "comment": item["comment"], "upload_time": item["created"], "raw": item["raw"],
                 "engineered": item["engineered"], "model_id": item["model_id"]} for item in wanted]

    def download_model_explanation(self, explanation_id=None, top_k=None, comment=None, raw=None, engineered=None):
        """One explanation of the run (the newest matching one when no id is given; `top_k` keeps the k most
        important features of a global explanation)."""
        if explanation_id is None and (comment is not None or raw is not None or engineered is not None):
            matching = self.list_model_explanations(comment=comment, raw=raw, engineered=engineered)
            explanation_id = matching[-1]["id"] if matching else "(none matching)"
        data = _assessments.load(self._run._record, self._run_id, assessments.EXPLANATION, explanation_id)
        explanation = from_dict(data)
        if top_k is not None and isinstance(explanation, DynamicGlobalExplanation):
            explanation = explanation.keep_top(top_k)
        return explanation

    def __repr__(self):
        return f"ExplanationClient(run_id={self._run_id!r})"


__all__ = ["ExplanationClient"]
