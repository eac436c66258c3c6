"""`az role assignment create|list|delete` at the scope of a simulated workspace.

Azure RBAC assignments can sit at any scope; the simulator keeps them per workspace, so `--scope` must
be a workspace's resource id (`/subscriptions/.../workspaces/NAME`), the scope the DP-100 labs use.
"""

from __future__ import annotations

import re

from sim import messages
from sim.az._cli import AzError, command, group
from sim.cloud import access as _access
from sim.cloud import workspaces as _workspaces
from sim.service.routed import routed

# Through the simulated Azure service when it runs as its own process (a sandboxed kernel's `!az`).
access, cloud_workspaces = routed(_access), routed(_workspaces)

WORKSPACE_SCOPE = re.compile(
    r"^/subscriptions/(?P<sub>[^/]+)/resourceGroups/(?P<rg>[^/]+)/providers/"
    r"Microsoft\.MachineLearningServices/workspaces/(?P<name>[^/]+)/?$", re.IGNORECASE)


def register(subparsers) -> None:
    """Add `az role assignment ...`."""
    role = group(subparsers, "role", "Manage Azure role-based access control (RBAC).")
    assignment = group(role, "assignment", "Manage role assignments.")
    for verb, handler, text in (("create", assignment_create, "Create a new role assignment."),
                                ("delete", assignment_delete, "Delete role assignments."),
                                ("list", assignment_list, "List role assignments.")):
        parser = command(assignment, verb, handler, text)
        parser.add_argument("--assignee", required=verb == "create", help="User or service principal name.")
        parser.add_argument("--role", required=verb == "create", help="Role name, e.g. 'AzureML Data Scientist'.")
        parser.add_argument("--scope", required=True, help="Resource id of the workspace.")


def _workspace(scope: str):
    match = WORKSPACE_SCOPE.match(scope or "")
    if not match:
        raise AzError(messages.AZ_ROLE_SCOPE.format(scope=scope))
    record = cloud_workspaces.find(match["sub"], match["rg"], match["name"])
    if record is None:
        raise AzError(messages.AZ_ROLE_SCOPE_MISSING.format(scope=scope))
    return record


def assignment_create(args):
    """az role assignment create --assignee X --role R --scope WORKSPACE_ID."""
    return access.assign_role(_workspace(args.scope), args.assignee, args.role)


def assignment_list(args):
    """az role assignment list --scope WORKSPACE_ID [--assignee X] [--role R]."""
    rows = access.list_role_assignments(_workspace(args.scope), args.assignee)
    if args.role:
        wanted = access.get_role_definition(args.role)["Name"]
        rows = [r for r in rows if r["roleDefinitionName"] == wanted]
    return rows


def assignment_delete(args):
    """az role assignment delete --scope WORKSPACE_ID --assignee X --role R."""
    if not (args.assignee and args.role):
        raise AzError(messages.AZ_ROLE_DELETE_ARGS)
    removed = access.remove_role(_workspace(args.scope), args.assignee, args.role)
    if not removed:
        raise AzError(messages.AZ_ROLE_NOTHING_TO_DELETE.format(assignee=args.assignee, role=args.role))
    return None
