"""Access control of the simulated cloud: role definitions, role assignments, the simulated caller.

Built-in roles carry the Actions/NotActions Azure publishes for them (as of 2025); custom roles are JSON documents
in the same shape (Name, Actions, NotActions, AssignableScopes). Role assignments are kept per
workspace. The caller is whoever the environment says (`DP100_SIM_CALLER`, default the account
owner); `DP100_SIM_ROLE` makes the caller act with exactly one role everywhere, which is how a lab
says "you are a Reader now". Both are environment variables so submitted scripts inherit them.
Every write in the cloud calls `authorize(record, action)` first.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import os
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Column, DateTime, MetaData, String, Table, delete, insert, select

from dp100 import paths
from sim import messages
from sim.cloud import store
from sim.cloud.errors import ACCESS, Conflict, Forbidden, NotFound, UserError

CALLER_ENV = "DP100_SIM_CALLER"
ROLE_ENV = "DP100_SIM_ROLE"
ACCOUNT_OWNER = "learner@contoso.com"
ROLE_ASSIGNMENT_WRITE = "Microsoft.Authorization/roleAssignments/write"
ROLE_ASSIGNMENT_DELETE = "Microsoft.Authorization/roleAssignments/delete"

_MLS = "Microsoft.MachineLearningServices/workspaces"
BUILTIN_ROLES: dict[str, dict] = {
    "Owner": {
        "Id": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
        "Description": "Grants full access to manage all resources, including the ability to assign roles.",
        "Actions": ["*"], "NotActions": []},
    "Contributor": {
        "Id": "b24988ac-6180-42a0-ab88-20f7382dd24c",
        "Description": "Grants full access to manage all resources, but does not allow you to assign roles.",
        "Actions": ["*"],
        "NotActions": ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write",
                       "Microsoft.Authorization/elevateAccess/Action", "Microsoft.Blueprint/blueprintAssignments/write",
                       "Microsoft.Blueprint/blueprintAssignments/delete", "Microsoft.Compute/galleries/share/action",
                       "Microsoft.Purview/consents/write", "Microsoft.Purview/consents/delete",
                       "Microsoft.Resources/deploymentStacks/manageDenySetting/action",
                       "Microsoft.Subscription/cancel/action", "Microsoft.Subscription/enable/action"]},
    "Reader": {
        "Id": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        "Description": "View all resources, but does not allow you to make any changes.",
        "Actions": ["*/read"], "NotActions": []},
    "AzureML Data Scientist": {
        "Id": "f6c7c914-8db3-469d-8ca1-694a8f32e121",
        "Description": "Can perform all actions within an Azure Machine Learning workspace, except for creating "
                       "or deleting compute resources and modifying the workspace itself.",
        "Actions": [f"{_MLS}/*/read", f"{_MLS}/*/action", f"{_MLS}/*/delete", f"{_MLS}/*/write"],
        "NotActions": [f"{_MLS}/delete", f"{_MLS}/write", f"{_MLS}/computes/*/write",
                       f"{_MLS}/computes/*/delete", f"{_MLS}/computes/listKeys/action", f"{_MLS}/listKeys/action",
                       f"{_MLS}/hubs/write", f"{_MLS}/hubs/delete", f"{_MLS}/featurestores/write",
                       f"{_MLS}/featurestores/delete"]},
    "AzureML Compute Operator": {
        "Id": "e503ece1-11d0-4e8e-8e2c-7a6c3bf38815",
        "Description": "Can access and perform CRUD operations on Machine Learning Services managed compute "
                       "resources (including Notebook VMs).",
        "Actions": [f"{_MLS}/computes/*", f"{_MLS}/notebooks/vm/*"],
        "NotActions": []},
}

_metadata = MetaData()
role_assignments = Table(
    "role_assignments", _metadata,
    Column("id", String, primary_key=True),
    Column("principal", String, nullable=False, index=True),
    Column("role", String, nullable=False),
    Column("scope", String, nullable=False),
    Column("created_at", DateTime, nullable=False),
)


@dataclass(frozen=True)
class Caller:
    """Who is calling the simulated service, and the role they act with when it is forced."""

    principal: str
    object_id: str
    role_override: str | None


# ---- the caller --------------------------------------------------------------------------------------

# The caller of the request being answered, in the service process: there the caller is the kernel that sent the
# call (it travels with it, as an Azure token does), not the service's own environment. Per thread of the server.
_request_caller: contextvars.ContextVar[tuple[str, str | None] | None] = contextvars.ContextVar(
    "request_caller", default=None)


def current_caller() -> Caller:
    """The simulated caller: the request's in the service, else from `DP100_SIM_CALLER` / `DP100_SIM_ROLE`."""
    sent = _request_caller.get()
    if sent is not None:
        principal, role = sent[0] or ACCOUNT_OWNER, sent[1] or None
    else:
        principal = os.environ.get(CALLER_ENV, "").strip() or ACCOUNT_OWNER
        role = os.environ.get(ROLE_ENV, "").strip() or None
    return Caller(principal, str(uuid.uuid5(uuid.NAMESPACE_DNS, principal.lower())), role)


def caller_identity() -> tuple[str, str | None]:
    """(principal, role) of this process's caller as the environment says (what a call to the service carries)."""
    return os.environ.get(CALLER_ENV, "").strip(), os.environ.get(ROLE_ENV, "").strip() or None


@contextlib.contextmanager
def acting_as(principal: str, role: str | None):
    """Answer the calls made inside the block as this caller (the service, for the request it answers)."""
    token = _request_caller.set((principal, role))
    try:
        yield
    finally:
        _request_caller.reset(token)


def set_caller(principal: str | None = None, role: str | None = None) -> Caller:
    """Change who the simulated caller is (and optionally force the role they act with).

    It sets the environment variables, so subprocesses the simulator starts act as the same caller.

    Args:
        principal: a user or service principal name; None goes back to the account owner.
        role: a role name to act with everywhere (e.g. "Reader"); None uses role assignments.

    Returns:
        The new caller.
    """
    if role is not None:
        get_role_definition(role)
    for name, value in ((CALLER_ENV, principal), (ROLE_ENV, role)):
        if value:
            os.environ[name] = value
        else:
            os.environ.pop(name, None)
    return current_caller()


# ---- role definitions --------------------------------------------------------------------------------

def _custom_roles_dir() -> Path:
    return paths.home() / "cloud" / "roleDefinitions"  # not created here: authorize() reads it constantly


def _builtin(name: str) -> dict:
    body = BUILTIN_ROLES[name]
    return {"Name": name, "IsCustom": False, "Description": body["Description"], "Id": body["Id"],
            "Actions": list(body["Actions"]), "NotActions": list(body["NotActions"]),
            "DataActions": [], "NotDataActions": [], "AssignableScopes": ["/"]}


def list_role_definitions() -> list[dict]:
    """Built-in roles first, then custom roles, each in Azure's role-definition JSON shape."""
    folder = _custom_roles_dir()
    custom = [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))] if folder.is_dir() else []
    return [_builtin(name) for name in BUILTIN_ROLES] + custom


def get_role_definition(name: str) -> dict:
    """One role definition by name (case-insensitive).

    Raises:
        NotFound: no role has that name (RoleDefinitionDoesNotExist).
    """
    for builtin in BUILTIN_ROLES:  # the common case, without touching the disk
        if builtin.lower() == str(name).lower():
            return _builtin(builtin)
    for role in list_role_definitions():
        if role["Name"].lower() == str(name).lower():
            return role
    raise NotFound(ACCESS, messages.ROLE_NOT_FOUND.format(role=name, builtin=", ".join(BUILTIN_ROLES)),
                   code="RoleDefinitionDoesNotExist")


def create_custom_role(definition: dict | str | Path) -> dict:
    """Add (or replace) a custom role from a role-definition JSON document.

    Args:
        definition: a dict, a JSON string, or the path of a JSON file with Name, Actions and optionally
            NotActions, Description and AssignableScopes (the shape `az role definition create` takes).

    Returns:
        The stored definition.

    Raises:
        UserError: the document is not valid, or it reuses a built-in role's name.
    """
    body = _load_definition(definition)
    problem = _definition_problem(body)
    if problem:
        raise UserError(ACCESS, messages.ROLE_DEFINITION_INVALID.format(problem=problem))
    role = {"Name": body["Name"], "IsCustom": True, "Description": body.get("Description", ""),
            "Id": str(uuid.uuid5(uuid.NAMESPACE_URL, body["Name"].lower())),
            "Actions": list(body["Actions"]), "NotActions": list(body.get("NotActions", [])),
            "DataActions": list(body.get("DataActions", [])),
            "NotDataActions": list(body.get("NotDataActions", [])),
            "AssignableScopes": list(body.get("AssignableScopes", ["/"]))}
    paths.workspaces_dir()  # creates (and proves writable) the cloud root on first write
    folder = _custom_roles_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{role['Id']}.json").write_text(json.dumps(role, indent=2))
    return role


def _load_definition(definition) -> dict:
    if isinstance(definition, dict):
        return definition
    text = Path(definition).read_text() if isinstance(definition, Path) or (
        isinstance(definition, str) and not definition.lstrip().startswith("{")) else definition
    try:
        body = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise UserError(ACCESS, messages.ROLE_DEFINITION_INVALID.format(problem=f"not JSON ({exc})")) from exc
    return body


def _definition_problem(body) -> str | None:
    if not isinstance(body, dict):
        return "the document is not a JSON object"
    if not isinstance(body.get("Name"), str) or not body["Name"].strip():
        return "Name is missing"
    if body["Name"].lower() in (n.lower() for n in BUILTIN_ROLES):
        return f"'{body['Name']}' is a built-in role name"
    for key in ("Actions", "NotActions", "AssignableScopes"):
        value = body.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return f"{key} must be a list of strings"
    if not body.get("Actions"):
        return "Actions must list at least one action"
    return None


# ---- matching ----------------------------------------------------------------------------------------

def _pattern(action_pattern: str) -> re.Pattern:
    # Azure wildcards: '*' matches anything; 'a/*/write' also matches 'a/write'.
    escaped = re.escape(action_pattern).replace(r"/\*/", "/(?:.*/)?").replace(r"\*", ".*")
    return re.compile(f"^{escaped}$", re.IGNORECASE)


def role_allows(role: dict, action: str) -> bool:
    """True when the role's Actions grant `action` and its NotActions do not take it away."""
    granted = any(_pattern(p).match(action) for p in role["Actions"])
    return granted and not any(_pattern(p).match(action) for p in role["NotActions"])


# ---- role assignments --------------------------------------------------------------------------------

def _engine(record):
    eng = store.engine(record)
    store.ensure(_metadata, eng)
    return eng


def _insert_assignment(record, principal: str, role_name: str) -> dict:
    row = {"id": str(uuid.uuid4()), "principal": principal, "role": role_name, "scope": record.arm_id,
           "created_at": datetime.now(UTC).replace(tzinfo=None)}
    with _engine(record).begin() as conn:
        conn.execute(insert(role_assignments).values(**row))
    return _assignment_json(row)


def _assignment_json(row) -> dict:
    return {"id": f"{row['scope']}/providers/Microsoft.Authorization/roleAssignments/{row['id']}",
            "principalName": row["principal"], "roleDefinitionName": row["role"], "scope": row["scope"]}


def grant_creator_owner(record) -> None:
    """Make the caller who created a workspace its Owner (as Azure does for the creator)."""
    _insert_assignment(record, current_caller().principal, "Owner")


def list_role_assignments(record, principal: str | None = None) -> list[dict]:
    """The workspace's role assignments (optionally of one principal), oldest first."""
    query = select(role_assignments).order_by(role_assignments.c.created_at)
    if principal:
        query = query.where(role_assignments.c.principal == principal)
    with _engine(record).connect() as conn:
        return [_assignment_json(row._mapping) for row in conn.execute(query)]


def assign_role(record, principal: str, role_name: str) -> dict:
    """Give `principal` a role on the workspace (the caller needs roleAssignments/write)."""
    role = get_role_definition(role_name)
    authorize(record, ROLE_ASSIGNMENT_WRITE)
    if any(a["roleDefinitionName"] == role["Name"] for a in list_role_assignments(record, principal)):
        raise Conflict(ACCESS, messages.ROLE_ASSIGNMENT_EXISTS.format(principal=principal, role=role["Name"]),
                       code="RoleAssignmentExists")
    return _insert_assignment(record, principal, role["Name"])


def remove_role(record, principal: str, role_name: str) -> int:
    """Remove a principal's role on the workspace; returns how many assignments were removed."""
    authorize(record, ROLE_ASSIGNMENT_DELETE)
    role = get_role_definition(role_name)
    with _engine(record).begin() as conn:
        result = conn.execute(delete(role_assignments).where(
            role_assignments.c.principal == principal, role_assignments.c.role == role["Name"]))
    return result.rowcount


def roles_of_caller(record) -> list[str]:
    """The role names the current caller acts with on the workspace."""
    caller = current_caller()
    if caller.role_override:
        return [get_role_definition(caller.role_override)["Name"]]
    names = [a["roleDefinitionName"] for a in list_role_assignments(record, caller.principal)]
    if caller.principal == ACCOUNT_OWNER and "Owner" not in names:
        names.insert(0, "Owner")  # the account owner owns the subscription, so every workspace in it
    return names


def _check(roles: list[str], action: str, scope: str, family: str) -> None:
    if any(role_allows(get_role_definition(name), action) for name in roles):
        return
    caller = current_caller()
    text = messages.AUTHORIZATION_FAILED.format(principal=caller.principal, object_id=caller.object_id,
                                                action=action, scope=scope, roles=", ".join(roles) or "none")
    raise Forbidden(family, text)


def authorize(record, action: str, scope: str | None = None, family: str = ACCESS) -> None:
    """Raise `Forbidden` (403 AuthorizationFailed) when the caller's roles on the workspace lack `action`.

    Args:
        record: the WorkspaceRecord acted on.
        action: an Azure RBAC action, e.g.
            "Microsoft.MachineLearningServices/workspaces/computes/write".
        scope: the resource id acted on, for the message (defaults to the workspace's id).
        family: the resource area refused (`sim.cloud.errors`); by default `ACCESS`, the role check itself.
    """
    _check(roles_of_caller(record), action, scope or record.arm_id, family)


def authorize_at(scope: str, action: str, family: str = ACCESS) -> None:
    """Authorize an action above any workspace (e.g. creating one in a resource group)."""
    caller = current_caller()
    if caller.role_override:
        roles = [get_role_definition(caller.role_override)["Name"]]
    else:
        roles = ["Owner"] if caller.principal == ACCOUNT_OWNER else []
    _check(roles, action, scope, family)
