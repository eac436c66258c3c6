"""Run a patch on a module right after it is imported (or at once, when it already is)."""

from __future__ import annotations

import importlib
import importlib.abc
import sys


class _PatchingLoader(importlib.abc.Loader):
    def __init__(self, loader, patch):
        self._loader = loader
        self._patch = patch

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        self._patch(module)


class _Finder(importlib.abc.MetaPathFinder):
    """Finds the watched modules with the other finders, then wraps their loader."""

    def __init__(self):
        self.patches: dict[str, tuple[str, str]] = {}

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in self.patches:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _PatchingLoader(spec.loader, _patch_function(self.patches[fullname]))
                return spec
        return None


def _patch_function(target: tuple[str, str]):
    module_name, function_name = target
    return lambda module: getattr(importlib.import_module(module_name), function_name)(module)


_FINDER = _Finder()


def install(patches: dict[str, tuple[str, str]]) -> None:
    """Watch `patches` (module name -> (patch module, patch function)); patch those already imported."""
    _FINDER.patches.update(patches)
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)
    for name, target in patches.items():
        if name in sys.modules:
            _patch_function(target)(sys.modules[name])


def uninstall() -> None:
    """Stop watching."""
    if _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)
