"""The fault probes reuse the UI tests' cached component-manifest scan (AppTest is slow without it)."""

from tests.ui.conftest import _fast_manifest_scan  # noqa: F401 - a fixture, found by name
