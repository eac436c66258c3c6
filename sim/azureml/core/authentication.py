"""Simulated `azureml.core.authentication`: the credential classes a lab passes to Workspace.

Nothing is authenticated offline; the simulated caller is whoever `sim.cloud.access.current_caller()`
says. These classes keep the real constructors so lab code that builds them runs unchanged.
"""

from __future__ import annotations

from collections import namedtuple

from sim.cloud import access

AccessToken = namedtuple("AccessToken", ["token", "expires_on"])


class AbstractAuthentication:
    """Base of the credential classes.

    Args:
        cloud: the Azure cloud name (only "AzureCloud" is simulated).
    """

    def __init__(self, cloud=None):
        self._cloud = cloud or "AzureCloud"

    def get_authentication_header(self):
        """The header the SDK would send: a bearer token naming the simulated caller."""
        return {"Authorization": f"Bearer {self._token()}"}

    def get_token(self, *scopes, **kwargs):
        """A token for the simulated caller (never valid outside the simulator)."""
        return AccessToken(self._token(), 4102444800)

    def signed_session(self, session=None):
        """A requests session that carries the authentication header."""
        import requests

        session = session or requests.Session()
        session.headers.update(self.get_authentication_header())
        return session

    def _token(self) -> str:
        return f"sim-token-for-{access.current_caller().object_id}"


class InteractiveLoginAuthentication(AbstractAuthentication):
    """Interactive (browser) login; offline it signs in as the simulated caller at once.

    Args:
        force: ask for a new login even when one is cached (nothing to ask offline).
        tenant_id: the Microsoft Entra tenant to sign in to.
        cloud: the Azure cloud name.
    """

    def __init__(self, force=False, tenant_id=None, cloud=None):
        super().__init__(cloud)
        self.force = force
        self.tenant_id = tenant_id


class AzureCliAuthentication(AbstractAuthentication):
    """Use the credentials of `az login` (the simulated `az` needs no login)."""


class MsiAuthentication(AbstractAuthentication):
    """Managed identity of the compute the code runs on."""

    def __init__(self, cloud=None, **kwargs):
        super().__init__(cloud)
        self._kwargs = kwargs


class ServicePrincipalAuthentication(AbstractAuthentication):
    """A service principal's secret.

    Args:
        tenant_id: the tenant of the service principal.
        service_principal_id: its application (client) id.
        service_principal_password: its secret.
        cloud: the Azure cloud name.
    """

    def __init__(self, tenant_id, service_principal_id, service_principal_password, cloud="AzureCloud",
                 _enable_caching=True):
        super().__init__(cloud)
        self._tenant_id = tenant_id
        self._service_principal_id = service_principal_id
        self._service_principal_password = service_principal_password
