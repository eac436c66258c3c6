"""azure-identity credentials that get their token from the simulator.

Lab code builds `DefaultAzureCredential()` (falling back to `InteractiveBrowserCredential()`), or
`AzureCliCredential()` after `az login`. Here each credential class answers `get_token`/`get_token_info`
with a token for the simulated learner, and never opens a login page, calls a login endpoint or the
instance metadata address.
"""

from __future__ import annotations

import base64
import json
import time

LEARNER = {"oid": "11111111-1111-1111-1111-111111111111", "tid": "72f988bf-0000-0000-0000-000000000000",
           "upn": "learner@contoso.com", "name": "DP-100 learner"}
TOKEN_LIFETIME = 3600


def _segment(data: dict) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def token_string(scopes: tuple[str, ...], expires_on: int) -> str:
    """An unsigned JWT naming the learner (the SDK reads claims such as oid and tid from it)."""
    audience = scopes[0].removesuffix("/.default") if scopes else "https://management.azure.com"
    claims = {**LEARNER, "aud": audience, "iss": "https://sts.windows.net/simulated/", "exp": expires_on,
              "iat": expires_on - TOKEN_LIFETIME}
    return f"{_segment({'alg': 'none', 'typ': 'JWT'})}.{_segment(claims)}.c2lt"  # c2lt: "sim", valid base64url


def _get_token(self, *scopes, **kwargs):
    from azure.core.credentials import AccessToken

    expires_on = int(time.time()) + TOKEN_LIFETIME
    return AccessToken(token_string(scopes, expires_on), expires_on)


def _get_token_info(self, *scopes, options=None):
    from azure.core.credentials import AccessTokenInfo

    expires_on = int(time.time()) + TOKEN_LIFETIME
    return AccessTokenInfo(token_string(scopes, expires_on), expires_on)


def _close(self, *args, **kwargs):
    return None


CREDENTIAL_CLASSES = ("DefaultAzureCredential", "InteractiveBrowserCredential", "AzureCliCredential",
                      "ManagedIdentityCredential", "EnvironmentCredential", "DeviceCodeCredential",
                      "ClientSecretCredential", "ChainedTokenCredential", "SharedTokenCacheCredential",
                      "AzurePowerShellCredential", "AzureDeveloperCliCredential", "WorkloadIdentityCredential",
                      "VisualStudioCodeCredential", "UsernamePasswordCredential", "CertificateCredential")


def patch(module) -> None:
    """Give every credential class of `azure.identity` the simulator's token (constructors stay real)."""
    for name in CREDENTIAL_CLASSES:
        cls = getattr(module, name, None)
        if cls is None or getattr(cls, "_sim_patched", False):
            continue
        cls.get_token = _get_token
        cls.get_token_info = _get_token_info
        cls._sim_patched = True
