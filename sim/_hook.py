"""The import hook that makes `azureml.*` resolve to `sim.azureml.*` (and each other name in ALIASES, e.g.
`mltable.*`, `interpret.*`, `raiwidgets`, `opendp.smartnoise.*`, to the simulator's package for it).

It is installed only by `sim.activate()`: importing `sim` alone never shadows a real azureml-core or mltable.
The alias modules *are* the `sim.azureml` module objects (not copies), so classes compare equal and
`isinstance` works whichever name a learner imported them under.
"""

from __future__ import annotations

import functools
import importlib
import importlib.abc
import importlib.machinery
import sys

REAL_ROOT = "azureml"
SIM_ROOT = "sim.azureml"
# Every aliased package: the real name -> the simulator's package standing in for it. `interpret` and
# `raiwidgets` are served here because their real releases need a numpy older than the project's; the one
# fairlearn submodule stands for what fairlearn 0.7 (the release Microsoft's notebooks pin) had and later dropped.
# `opendp.smartnoise` is the API of opendp-smartnoise 0.1 (notebook 13), which no longer installs: served over the real
# `opendp` package, whose own modules stay untouched (only the `smartnoise` subpackage name is answered here).
ALIASES = {REAL_ROOT: SIM_ROOT, "mltable": "sim.mltable", "interpret": "sim.interpret",
           "raiwidgets": "sim.raiwidgets", "fairlearn.metrics._group_metric_set": "sim.fairness.group_metric_set",
           "opendp.smartnoise": "sim.smartnoise"}


def _root_of(fullname: str) -> str | None:
    for root in ALIASES:
        if fullname == root or fullname.startswith(root + "."):
            return root
    return None


def _sim_name(fullname: str) -> str:
    root = _root_of(fullname)
    return ALIASES[root] + fullname[len(root):]


def _is_azureml(fullname: str) -> bool:
    """True for `azureml`, `mltable` and their submodules (every name the hook answers)."""
    return _root_of(fullname) is not None


class _AliasLoader(importlib.abc.Loader):
    """Hands the import system the already-imported `sim.azureml` module."""

    def __init__(self, module):
        self._module = module
        self._own_spec = module.__spec__

    def create_module(self, spec):
        return self._module

    def exec_module(self, module):
        # The import system overwrote __spec__ with the alias spec; keep the module's own one so
        # `importlib.reload` and tracebacks still point at the sim source file.
        alias_name = module.__spec__.name
        module.__spec__ = self._own_spec
        # `from azureml.core import Missing` words its ImportError with the module's __name__: give it the
        # real SDK's name while the alias is installed (uninstall puts the sim name back).
        if module.__name__ != alias_name:
            _renamed.setdefault(alias_name, (module, module.__name__))
            module.__name__ = alias_name


class AzuremlAliasFinder(importlib.abc.MetaPathFinder):
    """Finds `azureml` and `mltable` (and their submodules) in `sim.azureml` and `sim.mltable`."""

    def find_spec(self, fullname, path=None, target=None):
        if not _is_azureml(fullname):
            return None
        try:
            module = importlib.import_module(_sim_name(fullname))
        except ModuleNotFoundError as exc:
            if exc.name and _is_sim_azureml(exc.name):
                _refuse_if_real(fullname)
                return None  # not an SDK module at all: the import fails with the usual ModuleNotFoundError
            raise
        is_package = hasattr(module, "__path__")
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(module), is_package=is_package)


def _refuse_if_real(fullname: str) -> None:
    """Say plainly that a module of the real SDK (e.g. azureml.pipeline.core) is not simulated."""
    real = _real_modules()
    if any(m == fullname or m.startswith(fullname + ".") or fullname.startswith(m + ".") for m in real):
        from sim.messages import MODULE_NOT_SIMULATED

        raise ModuleNotFoundError(MODULE_NOT_SIMULATED.format(module=fullname), name=fullname)


@functools.cache
def _real_modules() -> frozenset[str]:
    # Read only when an import fails: the module paths of every class and function of the real SDK v1.
    import json
    from pathlib import Path

    surface = json.loads((Path(__file__).parent / "_reference" / "azureml_v1_surface.json").read_text())
    return frozenset(name.rsplit(".", 1)[0] for part in ("classes", "functions") for name in surface.get(part, {}))


def _is_sim_azureml(name: str) -> bool:
    return any(name == sim_root or name.startswith(sim_root + ".") for sim_root in ALIASES.values())


_FINDER = AzuremlAliasFinder()
_saved_real: dict[str, object] = {}
_renamed: dict[str, tuple[object, str]] = {}  # alias name -> (the sim module, its own __name__)


def install() -> None:
    """Put the finder first on `sys.meta_path` and set aside any real azureml modules already loaded."""
    if _FINDER in sys.meta_path:
        return
    for name in [n for n in sys.modules if _is_azureml(n)]:
        _saved_real[name] = sys.modules.pop(name)
    sys.meta_path.insert(0, _FINDER)


def uninstall() -> None:
    """Remove the finder, drop the `azureml.*` aliases and bring back real modules set aside."""
    if _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)
    for name in [n for n in sys.modules if _is_azureml(n)]:
        del sys.modules[name]
    for module, own_name in _renamed.values():
        module.__name__ = own_name
    _renamed.clear()
    sys.modules.update(_saved_real)
    _saved_real.clear()


def installed() -> bool:
    """True while `azureml.*` resolves to the simulator in this interpreter."""
    return _FINDER in sys.meta_path
