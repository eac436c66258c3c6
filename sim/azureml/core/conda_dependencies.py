"""Simulated `azureml.core.conda_dependencies`: `CondaDependencies`, a conda environment file in memory.

The structure is the conda file format itself: `name`, `dependencies` (conda packages, with one
`{'pip': [...]}` entry for pip packages) and `channels`. Packages are recorded, never installed.
"""

from __future__ import annotations

import copy
import os
import re

import yaml

DEFAULT_PYTHON = "3.10.18"
SDK_VERSION = "1.61.0"
DEFAULT_CHANNELS = ["anaconda", "conda-forge"]
_HEADER = ("# Conda environment specification (recorded by the simulated Azure ML workspace).\n"
           "# With userManagedDependencies=False, Azure ML would build these packages into the\n"
           "# run's environment; the simulator runs scripts in its own Python instead.\n\n")


def _package_name(spec: str) -> str:
    return re.split(r"[=<>~!\[ ;]", spec.strip(), maxsplit=1)[0].lower()


class CondaDependencies:
    """The conda and pip packages of an environment.

    Args:
        conda_dependencies_file_path: a conda YAML file to start from (default: python plus azureml-defaults).
    """

    def __init__(self, conda_dependencies_file_path=None, _underlying_structure=None):
        if _underlying_structure is not None:
            self._conda = copy.deepcopy(_underlying_structure)
        elif conda_dependencies_file_path is not None:
            self._conda = _read_conda_file(conda_dependencies_file_path)
        else:
            self._conda = {"name": "project_environment",
                           "dependencies": [f"python={DEFAULT_PYTHON}", {"pip": [f"azureml-defaults~={SDK_VERSION}"]}],
                           "channels": list(DEFAULT_CHANNELS)}
        self._conda.setdefault("dependencies", [])

    @staticmethod
    def create(pip_indexurl=None, pip_packages=None, conda_packages=None, python_version=DEFAULT_PYTHON,
               pin_sdk_version=True):
        """A new set of dependencies with these packages (and azureml-defaults, as the SDK adds).

        Args:
            pip_indexurl: an extra pip index URL.
            pip_packages: pip package specs.
            conda_packages: conda package specs.
            python_version: the Python version.
            pin_sdk_version: pin azureml-defaults to the SDK version.
        """
        cd = CondaDependencies()
        cd.set_python_version(python_version)
        pins = f"~={SDK_VERSION}" if pin_sdk_version else ""
        cd._pip_list()[:] = [f"azureml-defaults{pins}"]
        for package in conda_packages or []:
            cd.add_conda_package(package)
        for package in pip_packages or []:
            cd.add_pip_package(package)
        if pip_indexurl:
            cd.set_pip_index_url(pip_indexurl)
        return cd

    # ---- reading -----------------------------------------------------------------------------------
    def _pip_list(self) -> list:
        for item in self._conda["dependencies"]:
            if isinstance(item, dict) and "pip" in item:
                return item["pip"]
        entry = {"pip": []}
        self._conda["dependencies"].append(entry)
        return entry["pip"]

    @property
    def conda_packages(self):
        """Conda package specs (python included)."""
        return [d for d in self._conda["dependencies"] if isinstance(d, str)]

    @property
    def pip_packages(self):
        """Pip package specs (options such as --index-url left out)."""
        return [p for p in self._pip_list() if not str(p).startswith("-")]

    @property
    def pip_options(self):
        """Pip options such as --extra-index-url."""
        return [p for p in self._pip_list() if str(p).startswith("-")]

    @property
    def conda_channels(self):
        """Conda channels."""
        return list(self._conda.get("channels", []))

    def get_python_version(self):
        """The Python version (None when the file does not pin one)."""
        for package in self.conda_packages:
            if _package_name(package) == "python":
                return package.split("=", 1)[1] if "=" in package else None
        return None

    def as_dict(self):
        """The conda file as a dict."""
        return copy.deepcopy(self._conda)

    def serialize_to_string(self):
        """The conda environment file as YAML text."""
        return _HEADER + yaml.safe_dump(self._conda, sort_keys=False, default_flow_style=False)

    # ---- changing ----------------------------------------------------------------------------------
    def add_conda_package(self, conda_package):
        """Add (or replace, by package name) a conda package."""
        self.remove_conda_package(conda_package)
        pip_at = next((i for i, d in enumerate(self._conda["dependencies"]) if isinstance(d, dict)), None)
        deps = self._conda["dependencies"]
        deps.insert(pip_at if pip_at is not None else len(deps), conda_package)

    def remove_conda_package(self, conda_package):
        """Remove a conda package (by name)."""
        name = _package_name(conda_package)
        self._conda["dependencies"] = [d for d in self._conda["dependencies"]
                                       if not (isinstance(d, str) and _package_name(d) == name)]

    def add_pip_package(self, pip_package):
        """Add (or replace, by package name) a pip package."""
        self.remove_pip_package(pip_package)
        self._pip_list().append(pip_package)

    def remove_pip_package(self, pip_package):
        """Remove a pip package (by name)."""
        name = _package_name(pip_package)
        pips = self._pip_list()
        pips[:] = [p for p in pips if str(p).startswith("-") or _package_name(p) != name]

    def set_pip_requirements(self, pip_requirements):
        """Replace the pip packages with these requirement lines."""
        self._pip_list()[:] = [*self.pip_options, *pip_requirements]

    def set_pip_option(self, pip_option):
        """Add a pip option (e.g. '--extra-index-url ...')."""
        if pip_option not in self._pip_list():
            self._pip_list().insert(0, pip_option)

    def remove_pip_option(self, pip_option):
        """Remove a pip option."""
        pips = self._pip_list()
        pips[:] = [p for p in pips if p != pip_option]

    def set_pip_index_url(self, index_url):
        """Use an extra pip index URL."""
        self.set_pip_option(f"--index-url {index_url}")

    def add_channel(self, channel):
        """Add a conda channel."""
        channels = self._conda.setdefault("channels", [])
        if channel not in channels:
            channels.append(channel)

    def remove_channel(self, channel):
        """Remove a conda channel."""
        self._conda["channels"] = [c for c in self._conda.get("channels", []) if c != channel]

    def set_python_version(self, version):
        """Pin the Python version."""
        self.remove_conda_package("python")
        self._conda["dependencies"].insert(0, f"python={version}")

    def save(self, path=None):
        """Write the conda file (default: ./conda_dependencies.yml); returns the path."""
        target = path or "conda_dependencies.yml"
        with open(target, "w") as handle:
            handle.write(self.serialize_to_string())
        return os.path.abspath(target)

    def save_to_file(self, base_directory, conda_file_path=None):
        """Write the conda file into a folder; returns the path."""
        return self.save(os.path.join(base_directory, conda_file_path or "conda_dependencies.yml"))

    @staticmethod
    def merge_requirements(requirements):
        """Merge requirement specs, keeping the last spec of each package name."""
        merged = {}
        for spec in requirements:
            merged[_package_name(spec)] = spec
        return list(merged.values())

    def add_tensorflow_pip_package(self, core_type="cpu", version=None):
        """Add TensorFlow as a pip package ('tensorflow' or 'tensorflow-gpu', optionally pinned)."""
        name = "tensorflow-gpu" if core_type == "gpu" else "tensorflow"
        self.add_pip_package(f"{name}=={version}" if version else name)

    def add_tensorflow_conda_package(self, core_type="cpu", version=None):
        """Add TensorFlow as a conda package ('tensorflow' or 'tensorflow-gpu', optionally pinned)."""
        name = "tensorflow-gpu" if core_type == "gpu" else "tensorflow"
        self.add_conda_package(f"{name}={version}" if version else name)

    def add_cntk_package(self, core_type="cpu"):
        """Not simulated: CNTK is retired."""
        from sim.azureml._common.not_simulated import not_simulated

        not_simulated("CondaDependencies.add_cntk_package")

    def get_default_number_of_packages(self):
        """How many packages a default CondaDependencies has (python and azureml-defaults)."""
        return 2

    @staticmethod
    def sdk_origin_url():
        """Not simulated: packages are recorded, never installed, so there is no package index."""
        from sim.azureml._common.not_simulated import not_simulated

        not_simulated("CondaDependencies.sdk_origin_url")

    def __repr__(self):
        return self.serialize_to_string()


def _read_conda_file(path) -> dict:
    from sim.azureml.exceptions import UserErrorException
    from sim.messages import ENVIRONMENT_FILE_INVALID, ENVIRONMENT_FILE_NOT_FOUND

    if not os.path.isfile(path):
        raise UserErrorException(ENVIRONMENT_FILE_NOT_FOUND.format(kind="conda specification", path=path))
    try:
        with open(path) as handle:
            data = yaml.safe_load(handle)
    except yaml.YAMLError as exc:
        raise UserErrorException(ENVIRONMENT_FILE_INVALID.format(kind="conda specification", path=path,
                                                                 problem=str(exc).splitlines()[0])) from exc
    if not isinstance(data, dict) or not isinstance(data.get("dependencies", []), list):
        raise UserErrorException(ENVIRONMENT_FILE_INVALID.format(
            kind="conda specification", path=path, problem="it needs a 'dependencies' list"))
    return data


__all__ = ["CondaDependencies"]
