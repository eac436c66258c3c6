"""Simulated `azureml.core.keyvault`: the workspace's default key vault."""

from __future__ import annotations

import sim.cloud.keyvault
from sim.azureml._common.service_errors import v1_service

_cloud = v1_service(sim.cloud.keyvault)


class Keyvault:
    """The key vault associated with a workspace (`ws.get_default_keyvault()`).

    Args:
        workspace: the Workspace whose key vault this is.
    """

    def __init__(self, workspace):
        self.workspace = workspace

    def set_secret(self, name, value, content_type="application/NotProvided"):
        """Add or overwrite a secret."""
        _cloud.set_secret(self.workspace._record, name, value, str(content_type))

    def set_secrets(self, secrets_batch):
        """Add or overwrite several secrets from a dict of name -> value."""
        for name, value in dict(secrets_batch).items():
            self.set_secret(name, value)

    def get_secret(self, name):
        """The value of one secret."""
        return _cloud.get_secret(self.workspace._record, name)

    def get_secrets(self, secrets):
        """A dict of name -> value for the listed secret names."""
        return {name: self.get_secret(name) for name in secrets}

    def get_secret_content_type(self, name):
        """The content type a secret was stored with."""
        return _cloud.get_secret_content_type(self.workspace._record, name)

    def list_secrets(self):
        """The vault's secrets as a list of {'name': ...} dicts (values are not listed)."""
        return [{"name": name} for name in _cloud.list_secrets(self.workspace._record)]

    def delete_secret(self, name):
        """Delete one secret."""
        _cloud.delete_secret(self.workspace._record, name)

    def delete_secrets(self, secrets):
        """Delete several secrets by name."""
        for name in secrets:
            self.delete_secret(name)

    def __repr__(self):
        return f"Keyvault(workspace={self.workspace!r})"
