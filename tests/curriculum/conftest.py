"""The content-tree fixture of tests/content, shared with the whole-content tests."""

from tests.content.conftest import tree  # noqa: F401 - a fixture, used by name
