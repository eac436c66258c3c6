"""Activation: the import hook, `python -m sim run`, `%load_ext sim`, azureml.core.VERSION."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

import sim


@pytest.fixture(autouse=True)
def restore_activation():
    """These tests switch the hook on and off; give other test modules back the state they had."""
    was_active = sim.is_active()
    yield
    if was_active:
        sim.activate()
    else:
        sim.deactivate()


@pytest.fixture()
def active():
    sim.activate()


def test_azureml_is_not_shadowed_until_activated():
    sim.deactivate()
    assert not sim.is_active()
    with pytest.raises(ImportError):
        import azureml.core  # noqa: F401  (no real azureml-core in the project venv)


def test_activated_imports_are_the_sim_modules(active):
    from azureml.core import VERSION, Workspace
    from azureml.exceptions import UserErrorException

    import sim.azureml.core.workspace as sim_workspace
    from sim.azureml.exceptions import UserErrorException as SimUserError

    assert Workspace is sim_workspace.Workspace
    assert UserErrorException is SimUserError
    assert VERSION == "1.61.0"
    import azureml.core.workspace

    assert azureml.core.workspace is sim_workspace


def test_deactivate_drops_the_aliases(active):
    import azureml.core  # noqa: F401

    sim.deactivate()
    assert "azureml.core" not in sys.modules
    with pytest.raises(ImportError):
        import azureml.core  # noqa: F401,F811


def test_unsimulated_module_fails_like_a_missing_module(active):
    with pytest.raises(ModuleNotFoundError, match="No module named"):
        import azureml.no_such_thing  # noqa: F401


@pytest.mark.parametrize("module", ["azureml.train.automl.runtime", "azureml.datadrift._model_serving_dataset"])
def test_a_real_sdk_module_that_is_not_simulated_says_so(active, module):
    import importlib

    with pytest.raises(ModuleNotFoundError, match="part of the real Azure ML SDK v1 but is not simulated"):
        importlib.import_module(module)


def test_unknown_core_name_is_an_import_error(active):
    with pytest.raises(ImportError):
        from azureml.core import NoSuchClass  # noqa: F401


def test_load_ext_activates():
    sim.deactivate()
    sim.load_ipython_extension(None)
    try:
        assert sim.is_active()
    finally:
        sim.unload_ipython_extension(None)
    assert not sim.is_active()


def test_python_m_sim_run_passes_arguments(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent("""
        import sys
        from azureml.core import VERSION
        from azureml.exceptions import ComputeTargetException
        from azureml.core.compute_target import ComputeTargetException as Same
        assert ComputeTargetException is Same
        print("args", sys.argv[1:], VERSION, __name__)
    """))
    out = subprocess.run(sim.script_command(script, "--reg", 0.01), capture_output=True, text=True,
                         env=sim.subprocess_env(), cwd=tmp_path, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "args ['--reg', '0.01'] 1.61.0 __main__" in out.stdout


def test_python_m_sim_run_reports_a_failing_script(tmp_path):
    script = tmp_path / "bad.py"
    script.write_text("raise ValueError('learner bug')\n")
    out = subprocess.run(sim.script_command(script), capture_output=True, text=True,
                         env=sim.subprocess_env(), timeout=60)
    assert out.returncode == 1
    assert "ValueError: learner bug" in out.stderr


def test_python_m_sim_run_missing_script(tmp_path):
    out = subprocess.run([sys.executable, "-m", "sim", "run", str(tmp_path / "nope.py")],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert "can't open file" in out.stderr


def test_percent_load_ext_sim_in_ipython():
    from IPython.core.interactiveshell import InteractiveShell

    sim.deactivate()
    shell = InteractiveShell.instance()
    try:
        shell.run_line_magic("load_ext", "sim")
        result = shell.run_cell("import azureml.core\nversion = azureml.core.VERSION")
        assert result.success, result.error_in_exec
        assert shell.user_ns["version"] == "1.61.0"
    finally:
        shell.run_line_magic("unload_ext", "sim")
        InteractiveShell.clear_instance()
    assert not sim.is_active()


def test_set_caller_shortcut(monkeypatch):
    from sim.cloud import access

    monkeypatch.delenv(access.ROLE_ENV, raising=False)
    try:
        assert sim.set_caller(role="Reader").role_override == "Reader"
    finally:
        sim.set_caller()
    assert access.current_caller().role_override is None
