"""What Model.register records for deployment: the sample input/output datasets and the resource configuration.

The service keeps them with the model version (sampleInputDatasetId, sampleOutputDatasetId, resourceConfiguration):
`sim.cloud.models.registering` keeps one small JSON document per version; this module turns the SDK's objects
into it and back.
"""

from __future__ import annotations


def _registering():
    """The service's module, imported on first use (a scoring server imports the model module, not the registry)."""
    import sim.cloud.models.registering
    from sim.azureml._common.cloud import cloud

    return cloud(sim.cloud.models.registering)


def save(record, model_id: str, sample_input, sample_output, resource_configuration) -> None:
    """Record the datasets' ids (each is registered or saved first, so it has one) and the resources."""
    info = {"sampleInputDatasetId": _dataset_id(sample_input, "sample_input_dataset"),
            "sampleOutputDatasetId": _dataset_id(sample_output, "sample_output_dataset"),
            "resourceConfiguration": _resources(resource_configuration)}
    if not any(info.values()):
        return
    _registering().save_deploy_info(record, model_id, info)


def load(workspace, model_id: str) -> tuple:
    """(sample_input_dataset, sample_output_dataset, resource_configuration) of a model version, or Nones."""
    info = _registering().deploy_info(workspace._record, model_id)
    if info is None:
        return None, None, None
    from sim.azureml.core.dataset import Dataset
    from sim.azureml.core.resource_configuration import ResourceConfiguration

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
