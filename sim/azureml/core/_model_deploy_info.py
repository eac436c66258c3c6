"""What Model.register records for deployment: the sample input/output datasets and the resource configuration.

The service keeps them with the model version (sampleInputDatasetId, sampleOutputDatasetId, resourceConfiguration);
here they are one small JSON file per version in the workspace's folder, beside the model registry.
"""

from __future__ import annotations

import json


def _path(record, model_id: str):
    return record.folder / "model-deploy-info" / f"{model_id.replace(':', '_')}.json"


def save(record, model_id: str, sample_input, sample_output, resource_configuration) -> None:
    """Record the datasets' ids (each is registered or saved first, so it has one) and the resources."""
    info = {"sampleInputDatasetId": _dataset_id(sample_input, "sample_input_dataset"),
            "sampleOutputDatasetId": _dataset_id(sample_output, "sample_output_dataset"),
            "resourceConfiguration": _resources(resource_configuration)}
    if not any(info.values()):
        return
    path = _path(record, model_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(info))


def load(workspace, model_id: str) -> tuple:
    """(sample_input_dataset, sample_output_dataset, resource_configuration) of a model version, or Nones."""
    path = _path(workspace._record, model_id)
    if not path.exists():
        return None, None, None
    from sim.azureml.core.dataset import Dataset
    from sim.azureml.core.resource_configuration import ResourceConfiguration

    info = json.loads(path.read_text())
    datasets = [Dataset.get_by_id(workspace, info[key]) if info.get(key) else None
                for key in ("sampleInputDatasetId", "sampleOutputDatasetId")]
    return datasets[0], datasets[1], ResourceConfiguration.deserialize(info.get("resourceConfiguration"))


def serialized(model) -> dict:
    """The three fields as Model.serialize() shows them."""
    resources = model.resource_configuration
    return {"resourceConfiguration": resources.serialize() if resources is not None else None,
            "sampleInputDatasetId": getattr(model.sample_input_dataset, "id", None),
            "sampleOutputDatasetId": getattr(model.sample_output_dataset, "id", None)}


def _dataset_id(dataset, argument: str):
    if dataset is None:
        return None
    if not hasattr(dataset, "id"):
        from sim.azureml.exceptions import WebserviceException

        raise WebserviceException(f"Model.register({argument}=...) takes a TabularDataset or FileDataset; "
                                  f"got {type(dataset).__name__}.")
    return dataset.id


def _resources(configuration):
    if configuration is None:
        return None
    if not hasattr(configuration, "serialize"):
        from sim.azureml.exceptions import WebserviceException

        raise WebserviceException("Model.register(resource_configuration=...) takes a ResourceConfiguration("
                                  f"cpu=..., memory_in_gb=...); got {type(configuration).__name__}.")
    return configuration.serialize()
