"""Curated environments every workspace has (names and package lists modelled on Azure ML's own).

They are definitions only: packages are recorded, never installed (jobs run in this interpreter).
"""

from __future__ import annotations

_CPU_IMAGE = "azureml/openmpi4.1.0-ubuntu20.04:latest"
_GPU_IMAGE = "azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04:latest"

# name -> (python version, conda packages, pip packages, docker image)
_CATALOG = {
    "AzureML-Minimal": ("3.6.2", [], ["azureml-core==1.21.0.post1", "azureml-defaults==1.21.0"], _CPU_IMAGE),
    "AzureML-Tutorial": ("3.6.2", [], ["azureml-core==1.21.0.post1", "azureml-defaults==1.21.0",
                                       "azureml-telemetry==1.21.0", "azureml-train-automl==1.21.0",
                                       "azureml-widgets==1.21.0", "azureml-explain-model==1.21.0",
                                       "scikit-learn", "matplotlib", "pandas", "seaborn"], _CPU_IMAGE),
    "AzureML-sklearn-0.24-ubuntu18.04-py37-cpu": ("3.7", [], ["azureml-core==1.33.0", "azureml-defaults==1.33.0",
                                                               "scikit-learn==0.24.1", "numpy>=1.16.0",
                                                               "joblib==1.0.0", "scipy==1.5.2"], _CPU_IMAGE),
    "AzureML-sklearn-1.0-ubuntu20.04-py38-cpu": ("3.8", [], ["azureml-core==1.49.0", "azureml-defaults==1.49.0",
                                                              "scikit-learn==1.0.2", "numpy", "joblib", "scipy"],
                                                 _CPU_IMAGE),
    "AzureML-lightgbm-3.2-ubuntu18.04-py37-cpu": ("3.7", [], ["azureml-core==1.33.0", "azureml-defaults==1.33.0",
                                                               "lightgbm==3.2.1", "pandas", "scikit-learn"],
                                                  _CPU_IMAGE),
    "AzureML-tensorflow-2.4-ubuntu18.04-py37-cuda11-gpu": ("3.7", [], ["azureml-core==1.33.0",
                                                                        "azureml-defaults==1.33.0",
                                                                        "tensorflow-gpu==2.4.1"], _GPU_IMAGE),
    "AzureML-pytorch-1.10-ubuntu18.04-py38-cuda11-gpu": ("3.8", [], ["azureml-core==1.38.0",
                                                                      "azureml-defaults==1.38.0", "torch==1.10.0",
                                                                      "torchvision==0.11.1"], _GPU_IMAGE),
    "AzureML-AutoML": ("3.7", ["numpy", "scikit-learn", "pandas"], ["azureml-core", "azureml-defaults",
                                                                   "azureml-train-automl-runtime"], _CPU_IMAGE),
    "AzureML-ACPT-pytorch-1.13-py38-cuda11.7-gpu": ("3.8", [], ["torch==1.13.1", "azureml-core",
                                                                "azureml-defaults", "mlflow"], _GPU_IMAGE),
}


def names() -> list[str]:
    """The curated environment names, sorted."""
    return sorted(_CATALOG)


def definition(name: str) -> dict | None:
    """The stored-definition dict of a curated environment (None when `name` is not curated)."""
    entry = _CATALOG.get(name)
    if entry is None:
        return None
    python, conda, pip, image = entry
    dependencies = [f"python={python}", *conda, {"pip": list(pip)}]
    return {
        "name": name, "version": "1",
        "python": {"userManagedDependencies": False, "interpreterPath": "python",
                   "condaDependencies": {"name": "project_environment", "dependencies": dependencies,
                                         "channels": ["anaconda", "conda-forge"]},
                   "baseCondaEnvironment": None},
        "docker": {"enabled": False, "baseImage": image, "baseDockerfile": None, "sharedVolumes": True,
                   "shmSize": "2g", "arguments": [], "baseImageRegistry": {}},
        "environmentVariables": {"EXAMPLE_ENV_VAR": "EXAMPLE_VALUE"},
        "inferencingStackVersion": None,
    }
