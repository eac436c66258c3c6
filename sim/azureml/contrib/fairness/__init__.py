"""Simulated `azureml.contrib.fairness` (azureml-contrib-fairness): fairness dashboards kept on a run.

A dashboard dictionary (fairlearn's `_create_group_metric_set`) is stored as a file of the run under
`dashboard/<upload id>/` (see `sim.cloud.runs.assessments`) and can be read back by its upload id.
"""

from __future__ import annotations

from sim.azureml._common.cloud import cloud
from sim.azureml.exceptions import UserErrorException
from sim.cloud.runs import assessments
from sim.messages import DASHBOARD_DICT_INVALID

_assessments = cloud(assessments)  # the run's dashboards, kept by the service

_REQUIRED = ("trueY", "predictedY", "modelNames", "precomputedFeatureBins", "precomputedMetrics")
UPLOAD_BYTES_LIMIT = 100_000_000


class DashboardValidationException(UserErrorException):
    """The dashboard dictionary is malformed, too large, or names models not registered in the workspace."""

    _error_code = "DashboardValidation"


def _validate(run, dashboard_dict, upload_bytes_limit, validate_model_ids) -> str:
    """The dashboard as the JSON text the service keeps, once it passes the SDK's checks."""
    if not isinstance(dashboard_dict, dict) or dashboard_dict.get("schemaType") != "dashboardDictionary":
        raise DashboardValidationException(DASHBOARD_DICT_INVALID.format(problem="its schemaType is not "
                                                                                 "'dashboardDictionary'"))
    missing = [key for key in _REQUIRED if key not in dashboard_dict]
    if missing:
        raise DashboardValidationException(DASHBOARD_DICT_INVALID.format(problem=f"it lacks {missing}"))
    document = _assessments.document(assessments.DASHBOARD, dashboard_dict)  # a clear error for numpy values
    size = len(document)
    if size > upload_bytes_limit:
        raise DashboardValidationException(DASHBOARD_DICT_INVALID.format(
            problem=f"it is {size} bytes, over upload_bytes_limit={upload_bytes_limit}"))
    if validate_model_ids:
        _check_models_registered(run, dashboard_dict["modelNames"])
    return document


def _check_models_registered(run, model_ids) -> None:
    from sim.azureml.core.model import Model

    for model_id in model_ids:
        try:
            Model(run.experiment.workspace, id=model_id)
        except Exception as exc:  # the model facade raises its own not-found error; name the dashboard's field
            raise DashboardValidationException(DASHBOARD_DICT_INVALID.format(
                problem=f"modelNames entry '{model_id}' is not a registered model id (name:version) in this "
                        f"workspace ({exc}); register the model first, or pass validate_model_ids=False")) from exc


def _tracked(run, member):
    if not hasattr(run, "_record"):
        from sim.azureml.exceptions import RunEnvironmentException
        from sim.messages import RUN_OFFLINE_ONLY

        raise RunEnvironmentException(exception_message=RUN_OFFLINE_ONLY.format(member=member))
    return run


def upload_dashboard_dictionary(run, dashboard_dict, dashboard_name, dataset_name=None, dataset_id=None,
                                upload_bytes_limit=UPLOAD_BYTES_LIMIT, validate_model_ids=True):
    """Store a fairness dashboard dictionary on a run; returns its upload id."""
    _tracked(run, "upload_dashboard_dictionary")
    document = _validate(run, dashboard_dict, upload_bytes_limit, validate_model_ids)
    meta = {"dashboard_name": dashboard_name, "dataset_name": dataset_name, "dataset_id": dataset_id,
            "model_ids": list(dashboard_dict["modelNames"])}
    return _assessments.save(run._record, run.id, assessments.DASHBOARD, document, meta)


def download_dashboard_by_upload_id(run, upload_id):
    """The dashboard dictionary stored on the run under `upload_id`."""
    _tracked(run, "download_dashboard_by_upload_id")
    return _assessments.load(run._record, run.id, assessments.DASHBOARD, upload_id)


def list_available_upload_ids(run):
    """The upload ids of the dashboards stored on the run, oldest first."""
    _tracked(run, "list_available_upload_ids")
    return [item["id"] for item in _assessments.listing(run._record, run.id, assessments.DASHBOARD)]


__all__ = ["DashboardValidationException", "download_dashboard_by_upload_id", "list_available_upload_ids",
           "upload_dashboard_dictionary"]
