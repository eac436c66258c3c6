"""Which Python packages an environment provides, as the modules a job's script may import.

Azure ML builds an image from the environment and runs the job in it: a script that imports a package the
environment does not install fails with `ModuleNotFoundError`. Jobs here run in the simulator's own
interpreter, so the job process is told which top-level modules its environment provides (`importable_modules`)
and refuses the others at the script's `import` (see `sim._envguard`).

An environment provides the packages it declares (conda and pip), what those packages install with them
(`REQUIRES`, the few dependencies that matter to lab scripts), and the standard library. An image alone (the
`mcr.microsoft.com/azureml/openmpi...` base images) brings a bare Python: no pandas, no scikit-learn.
"""

from __future__ import annotations

import re
import sys

# Distribution name -> the top-level modules it installs (when they differ from the name itself).
IMPORT_NAMES = {
    "scikit-learn": ["sklearn"], "pyyaml": ["yaml"], "pillow": ["PIL"], "opencv-python": ["cv2"],
    "opencv-python-headless": ["cv2"], "python-dateutil": ["dateutil"], "beautifulsoup4": ["bs4"],
    "azureml-core": ["azureml"], "azureml-defaults": ["azureml"], "azureml-mlflow": ["azureml"],
    "azureml-telemetry": ["azureml"], "azureml-dataprep": ["azureml"], "azureml-train-automl": ["azureml"],
    "azureml-train-automl-runtime": ["azureml"], "azureml-widgets": ["azureml"],
    "azureml-explain-model": ["azureml"], "azureml-inference-server-http": ["azureml_inference_server_http"],
    "mlflow-skinny": ["mlflow"], "azure-ai-ml": ["azure"], "azure-identity": ["azure"],
    "azure-storage-blob": ["azure"], "azure-core": ["azure"], "tensorflow-gpu": ["tensorflow"],
    "tensorflow-cpu": ["tensorflow"], "pytorch": ["torch"], "protobuf": ["google"], "matplotlib": ["matplotlib",
    "mpl_toolkits", "pylab"], "interpret-community": ["interpret_community"], "msrest": ["msrest"],
    "scikit-image": ["skimage"], "fonttools": ["fontTools"], "typing-extensions": ["typing_extensions"],
}

# Distribution -> distributions it installs with it (only what lab scripts could notice).
REQUIRES = {
    "mlflow": ["mlflow-skinny", "pandas", "numpy", "scikit-learn", "scipy", "matplotlib", "pyarrow", "sqlalchemy",
               "alembic", "flask", "jinja2", "markdown", "graphene", "docker"],
    "mlflow-skinny": ["click", "cloudpickle", "pyyaml", "requests", "packaging", "protobuf", "sqlparse"],
    "azureml-mlflow": ["mlflow-skinny", "azure-storage-blob", "azure-identity", "azure-core", "msrest"],
    "azureml-defaults": ["azureml-core", "azureml-inference-server-http", "flask"],
    "azureml-core": ["requests", "pyyaml", "msrest", "azure-core", "packaging"],
    "scikit-learn": ["numpy", "scipy", "joblib", "threadpoolctl"],
    "pandas": ["numpy", "python-dateutil", "pytz", "tzdata"],
    "matplotlib": ["numpy", "pillow", "pyparsing", "cycler", "kiwisolver", "fonttools", "contourpy", "packaging",
                   "python-dateutil"],
    "seaborn": ["matplotlib", "pandas", "numpy"],
    "scipy": ["numpy"], "lightgbm": ["numpy", "scipy"], "xgboost": ["numpy", "scipy"],
    "torchvision": ["torch", "numpy", "pillow"], "tensorflow": ["numpy"], "tensorflow-gpu": ["numpy"],
    "azureml-train-automl-runtime": ["scikit-learn", "pandas", "numpy", "azureml-core"],
}

_SPEC = re.compile(r"^\s*(?:[\w.-]+::)?([A-Za-z0-9][A-Za-z0-9._-]*)")
_NOT_PACKAGES = {"python", "pip", "setuptools", "wheel"}


def distribution_name(requirement: str) -> str | None:
    """The normalized distribution name of a conda or pip requirement ('scikit-learn==1.5.1' -> 'scikit-learn')."""
    match = _SPEC.match(str(requirement))
    if match is None:
        return None
    name = re.sub(r"[._]+", "-", match.group(1)).lower()
    return None if name in _NOT_PACKAGES else name


def declared_packages(definition: dict) -> list[str]:
    """The distributions an environment definition declares (conda and pip), in order, without duplicates."""
    conda = ((definition.get("python") or {}).get("condaDependencies") or {})
    found: list[str] = []
    for entry in conda.get("dependencies") or []:
        items = (entry.get("pip") or []) if isinstance(entry, dict) else [entry]
        for item in items:
            name = distribution_name(item)
            if name and name not in found:
                found.append(name)
    return found


def installed_with(packages: list[str]) -> set[str]:
    """The distributions `packages` install, theirs included (the closure over `REQUIRES`)."""
    seen: set[str] = set()
    pending = list(packages)
    while pending:
        name = pending.pop()
        if name not in seen:
            seen.add(name)
            pending.extend(REQUIRES.get(name, []))
    return seen


def import_names(distribution: str) -> list[str]:
    """The top-level modules a distribution installs."""
    return IMPORT_NAMES.get(distribution, [distribution.replace("-", "_")])


def importable_modules(definition: dict) -> list[str]:
    """The top-level modules a job in this environment may import beyond the standard library, sorted."""
    modules = {m for dist in installed_with(declared_packages(definition)) for m in import_names(dist)}
    return sorted(modules)


def is_standard_library(module: str) -> bool:
    """True for a module of Python's standard library."""
    return module in sys.stdlib_module_names or module == "__future__"
