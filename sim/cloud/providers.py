"""Resource provider registrations of a simulated subscription (`az provider register/show/list`).

A subscription must register a resource provider (a namespace such as `Microsoft.MachineLearningServices`)
before it creates that provider's resources; Microsoft's lab scripts register it first. Registrations are
kept in `subscriptions/<sub>/providers.json` under the cloud root. Registration finishes at once here
(Azure takes a minute or two and shows `Registering` meanwhile).
"""

from __future__ import annotations

import json
import re

from sim.cloud.workspaces import cloud_root

# A namespace is "Company.Service" (Microsoft.Storage, Microsoft.MachineLearningServices...).
_NAMESPACE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+$")
# The resource types each well-known provider offers, as `az provider show` lists them (abridged).
RESOURCE_TYPES = {
    "microsoft.machinelearningservices": ["workspaces", "workspaces/computes", "workspaces/jobs",
                                          "workspaces/datastores", "workspaces/data", "workspaces/environments",
                                          "workspaces/models", "workspaces/onlineEndpoints",
                                          "workspaces/batchEndpoints", "registries", "locations"],
    "microsoft.storage": ["storageAccounts", "locations"],
    "microsoft.keyvault": ["vaults", "locations"],
    "microsoft.insights": ["components", "locations"],
    "microsoft.containerregistry": ["registries", "locations"],
    "microsoft.resources": ["deployments", "resourceGroups", "subscriptions"],
}
# Registered in every subscription from the start, as in Azure.
ALWAYS_REGISTERED = ("Microsoft.Resources", "Microsoft.Authorization", "Microsoft.Features")


def is_namespace(namespace: str) -> bool:
    """True when `namespace` is shaped like a resource provider namespace."""
    return bool(_NAMESPACE.match(namespace or ""))


def _file(subscription_id: str):
    return cloud_root() / "subscriptions" / subscription_id.lower() / "providers.json"


def _registered(subscription_id: str) -> dict[str, str]:
    path = _file(subscription_id)
    stored = json.loads(path.read_text()) if path.exists() else {}
    return {**{ns.lower(): ns for ns in ALWAYS_REGISTERED}, **stored}


def _save(subscription_id: str, registered: dict[str, str]) -> None:
    path = _file(subscription_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(registered, indent=2))


def get(subscription_id: str, namespace: str) -> dict:
    """The provider as ARM shows it, with its registration state."""
    known = _registered(subscription_id)
    name = known.get(namespace.lower(), namespace)
    state = "Registered" if namespace.lower() in known else "NotRegistered"
    types = RESOURCE_TYPES.get(namespace.lower(), [])
    return {"id": f"/subscriptions/{subscription_id}/providers/{name}", "namespace": name,
            "registrationPolicy": "RegistrationRequired", "registrationState": state,
            "resourceTypes": [{"resourceType": t, "locations": [], "apiVersions": []} for t in types]}


def register(subscription_id: str, namespace: str) -> bool:
    """Register a provider; returns True when it was not registered before."""
    registered = _registered(subscription_id)
    if namespace.lower() in registered:
        return False
    registered[namespace.lower()] = namespace
    _save(subscription_id, {k: v for k, v in registered.items() if v not in ALWAYS_REGISTERED})
    return True


def unregister(subscription_id: str, namespace: str) -> bool:
    """Unregister a provider; returns True when it was registered."""
    registered = _registered(subscription_id)
    if registered.pop(namespace.lower(), None) is None:
        return False
    _save(subscription_id, {k: v for k, v in registered.items() if v not in ALWAYS_REGISTERED})
    return True


def list_providers(subscription_id: str) -> list[dict]:
    """Every registered provider and every well-known one, by namespace."""
    names = {ns.lower(): ns for ns in _registered(subscription_id).values()}
    for key in RESOURCE_TYPES:
        names.setdefault(key, _canonical(key))
    return [get(subscription_id, ns) for ns in sorted(names.values(), key=str.lower)]


def _canonical(key: str) -> str:
    spelled = {"microsoft.machinelearningservices": "Microsoft.MachineLearningServices",
               "microsoft.containerregistry": "Microsoft.ContainerRegistry", "microsoft.keyvault": "Microsoft.KeyVault"}
    return spelled.get(key, ".".join(part.capitalize() for part in key.split(".")))
