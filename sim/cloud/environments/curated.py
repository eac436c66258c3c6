"""Curated environments every workspace has (names and package lists modelled on Azure ML's own).

They are definitions only: packages are recorded, never installed (jobs run in this interpreter, and a job
whose script imports a package its environment does not declare fails, as it would in the built image).
Azure keeps curated environments in the `azureml` registry and shows them in every workspace, each with a long
version history; `versions(name)` gives that history here (every version has the same definition).
"""

from __future__ import annotations

from dataclasses import dataclass

_CPU_IMAGE = "azureml/openmpi4.1.0-ubuntu20.04:latest"
_GPU_IMAGE = "azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04:latest"
_SKLEARN_EXTRAS = ["pandas", "matplotlib", "mlflow", "azureml-mlflow", "joblib", "scipy", "psutil", "tqdm"]

# name -> (python version, conda packages, pip packages, docker image)
_CATALOG = {
    "AzureML-Minimal": ("3.6.2", [], ["azureml-core==1.21.0.post1", "azureml-defaults==1.21.0"], _CPU_IMAGE),
    "AzureML-Tutorial": ("3.6.2", [], ["azureml-core==1.21.0.post1", "azureml-defaults==1.21.0",
                                       "azureml-telemetry==1.21.0", "azureml-train-automl==1.21.0",
                                       "azureml-widgets==1.21.0", "azureml-explain-model==1.21.0",
                                       "scikit-learn", "matplotlib", "pandas", "seaborn"], _CPU_IMAGE),
    "AzureML-sklearn-0.24-ubuntu18.04-py37-cpu": ("3.7", [], ["azureml-core==1.33.0", "azureml-defaults==1.33.0",
                                                               "scikit-learn==0.24.1", "numpy>=1.16.0",
                                                               "joblib==1.0.0", "scipy==1.5.2", "pandas",
                                                               "matplotlib", "mlflow", "azureml-mlflow"], _CPU_IMAGE),
    "AzureML-sklearn-1.0-ubuntu20.04-py38-cpu": ("3.8", [], ["azureml-core==1.49.0", "azureml-defaults==1.49.0",
                                                              "scikit-learn==1.0.2", "numpy", *_SKLEARN_EXTRAS],
                                                 _CPU_IMAGE),
    "AzureML-sklearn-1.5": ("3.10", [], ["azureml-core==1.58.0", "azureml-defaults==1.58.0",
                                         "scikit-learn==1.5.1", "numpy", *_SKLEARN_EXTRAS], _CPU_IMAGE),
    # The environment of the azureml registry's Responsible AI components (sim.cloud.registry).
    "AzureML-responsibleai-0.21-ubuntu20.04-py38-cpu": ("3.8", [], ["responsibleai==0.21.0", "raiwidgets==0.21.0",
                                                                     "scikit-learn", "pandas", "numpy", "pyarrow",
                                                                     "mlflow", "azureml-mlflow", "pyyaml"],
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


@dataclass(frozen=True)
class Listing:
    """How a curated environment shows in the v2 API: its version history, description, tags and image."""

    latest_version: int
    description: str
    tags: dict
    image: str


_REGISTRY_IMAGE = "mcr.microsoft.com/azureml/curated/{short}:{version}"
_SKLEARN_TEXT = ("Scikit-learn {sk} for regression, classification and clustering, with pandas, matplotlib, MLflow "
                 "and the Azure ML SDK; Python {py} on {os}, CPU.")
_LISTINGS = {
    "AzureML-sklearn-1.5": Listing(26, _SKLEARN_TEXT.format(sk="1.5", py="3.10", os="Ubuntu 22.04"),
                                   {"Scikit-learn": "1.5", "OS": "Ubuntu22.04", "Python": "3.10", "Training": ""},
                                   "sklearn-1.5"),
    "AzureML-sklearn-1.0-ubuntu20.04-py38-cpu": Listing(
        71, _SKLEARN_TEXT.format(sk="1.0", py="3.8", os="Ubuntu 20.04"),
        {"Scikit-learn": "1.0", "OS": "Ubuntu20.04", "Python": "3.8", "Training": ""},
        "sklearn-1.0-ubuntu20.04-py38-cpu"),
    "AzureML-sklearn-0.24-ubuntu18.04-py37-cpu": Listing(
        49, _SKLEARN_TEXT.format(sk="0.24", py="3.7", os="Ubuntu 18.04"),
        {"Scikit-learn": "0.24", "OS": "Ubuntu18.04", "Python": "3.7", "Training": ""},
        "sklearn-0.24-ubuntu18.04-py37-cpu"),
    "AzureML-responsibleai-0.21-ubuntu20.04-py38-cpu": Listing(
        9, "The Responsible AI components' environment: responsibleai and raiwidgets 0.21 with scikit-learn, pandas "
           "and MLflow; Python 3.8 on Ubuntu 20.04, CPU.",
        {"OS": "Ubuntu20.04", "Python": "3.8", "ResponsibleAI": "0.21"}, "responsibleai-0.21-ubuntu20.04-py38-cpu"),
    "AzureML-lightgbm-3.2-ubuntu18.04-py37-cpu": Listing(
        51, "LightGBM 3.2 with pandas and scikit-learn; Python 3.7 on Ubuntu 18.04, CPU.",
        {"LightGBM": "3.2", "OS": "Ubuntu18.04", "Python": "3.7"}, "lightgbm-3.2-ubuntu18.04-py37-cpu"),
}


def names() -> list[str]:
    """The curated environment names, sorted."""
    return sorted(_CATALOG)


def listing(name: str) -> Listing:
    """The v2 listing of a curated environment (a generic one for names without a tailored text)."""
    found = _LISTINGS.get(name)
    if found is not None:
        return found
    short = name.removeprefix("AzureML-").lower()
    return Listing(1, f"Curated environment {name}.", {}, short)


def versions(name: str) -> list[str]:
    """Every version of a curated environment, oldest first ([] when `name` is not curated)."""
    return [str(v) for v in range(1, listing(name).latest_version + 1)] if name in _CATALOG else []


def has_version(name: str, version) -> bool:
    """True when `name` is curated and `version` (None: the latest) is one of its versions."""
    return name in _CATALOG and (version is None or str(version) in versions(name))


def image(name: str, version) -> str:
    """The image a curated environment version runs in (Azure's curated images are per version)."""
    return _REGISTRY_IMAGE.format(short=listing(name).image, version=version)


def definition(name: str) -> dict | None:
    """The stored-definition dict of a curated environment at its latest version (None when not curated)."""
    entry = _CATALOG.get(name)
    if entry is None:
        return None
    python, conda, pip, base_image = entry
    dependencies = [f"python={python}", *conda, {"pip": list(pip)}]
    return {
        "name": name, "version": versions(name)[-1],
        "python": {"userManagedDependencies": False, "interpreterPath": "python",
                   "condaDependencies": {"name": "project_environment", "dependencies": dependencies,
                                         "channels": ["anaconda", "conda-forge"]},
                   "baseCondaEnvironment": None},
        "docker": {"enabled": False, "baseImage": base_image, "baseDockerfile": None, "sharedVolumes": True,
                   "shmSize": "2g", "arguments": [], "baseImageRegistry": {}},
        "environmentVariables": {"EXAMPLE_ENV_VAR": "EXAMPLE_VALUE"},
        "inferencingStackVersion": None,
    }
