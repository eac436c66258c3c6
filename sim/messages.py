"""Every user-facing message of the simulator, in one place (as fakeredis keeps its `_msgs.py`).

Messages follow the real service's and SDK's wording where a learner would meet it, and always say what
to do. Each owner appends a section under its own heading; keep the sections append-only.
Templates use `str.format` fields.
"""

# ---------------------------------------------------------------------------------------------------
# SIM-CORE: activation, workspaces, regions, compute, key vault, access control, az CLI
# ---------------------------------------------------------------------------------------------------

NOT_SIMULATED = ("{member} is not simulated by this offline Azure ML workspace; see sim/COVERAGE.md for "
                 "what is supported.")

# Workspaces
WORKSPACE_NOT_FOUND = ("Workspace not found: no workspace named '{name}' exists in resource group "
                       "'{resource_group}' of subscription '{subscription_id}'. Create it with "
                       "Workspace.create(...) or check the names in your config.json.")
WORKSPACE_NOT_FOUND_ANYWHERE = ("No workspaces found with name={name} in all the subscriptions that you have "
                                "access to. Create it with Workspace.create(...) or check the name.")
WORKSPACE_FOUND_MULTIPLE = ("Found multiple workspaces with name={name}: pass subscription_id and "
                            "resource_group to choose one.")
WORKSPACE_EXISTS = ("Workspace with name '{name}' already exists under resource group with name "
                    "'{resource_group}'. Use exist_ok=True to get the existing workspace instead.")
WORKSPACE_NAME_INVALID = ("Workspace name '{name}' is invalid: it must be 3 to 33 characters long, begin with "
                          "a letter or digit, and contain only letters, digits, hyphens and underscores.")
RESOURCE_GROUP_NAME_INVALID = ("Resource group name '{name}' is invalid: it must be 1 to 90 characters of "
                               "letters, digits, underscores, hyphens, periods and parentheses, and must "
                               "not end with a period.")
RESOURCE_GROUP_NOT_FOUND = ("Resource group '{resource_group}' could not be found in subscription "
                            "'{subscription_id}'. Create it first, or pass create_resource_group=True.")
SUBSCRIPTION_ID_INVALID = ("The subscription id '{subscription_id}' is not a valid GUID (it looks like "
                           "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx); copy it from your config.json.")
SUBSCRIPTION_REQUIRED = ("subscription_id is required: pass the id of the subscription that holds the "
                         "workspace (it is in config.json).")
SKU_INVALID = "Invalid sku '{sku}': use 'basic' or 'enterprise'."
LOCATION_REQUIRED = ("location is required to create a resource group: pass a region name such as "
                     "'eastus'.")
LOCATION_INVALID = ("LocationNotAvailableForResourceType: The provided location '{location}' is not available "
                    "for resource type 'Microsoft.MachineLearningServices/workspaces'. List of available "
                    "regions for the resource type is '{available}'.")
CONFIG_NOT_FOUND = ("We could not find config.json in: {path} or in its parent directories. Please provide "
                    "the full path to the config file or ensure that config.json exists in the parent "
                    "directories (or in a .azureml subfolder); Workspace.write_config() writes one.")
CONFIG_INVALID_JSON = "The workspace configuration file {path} is not valid JSON ({error}); fix or rewrite it."
CONFIG_MISSING_KEYS = ("The workspace configuration file {path} is missing {keys}: it needs "
                       "subscription_id, resource_group and workspace_name.")
WORKSPACE_ARG_TYPE = ("{argument} must be an azureml.core.Workspace, not {type_name}: get one with "
                      "Workspace.from_config() or Workspace.get(...).")
DEFAULT_DATASTORE_MISSING = ("Datastores are not available yet in this simulator build (SIM-DATA has not "
                             "delivered azureml.core.datastore).")
ASSET_MODULE_MISSING = "{what} is not available yet in this simulator build ({module} is not there)."

# Regions and VM sizes
VM_SIZE_UNKNOWN = ("The specified VM size '{vm_size}' is not supported in region '{location}'. Call "
                   "AmlCompute.supported_vmsizes(workspace) to list the sizes available there.")
VM_SIZE_NOT_IN_REGION = ("The specified VM size '{vm_size}' ({family}) is not available in region "
                         "'{location}'. Choose another size (AmlCompute.supported_vmsizes(workspace)) or a "
                         "workspace in a region that offers it.")
QUOTA_EXCEEDED = ("Operation could not be completed as it results in exceeding approved {family} Cores quota. "
                  "Additional details - Deployment Model: Resource Manager, Location: {location}, Current "
                  "Limit: {limit}, Current Usage: {usage}, Additional Required: {required}, (Minimum) New "
                  "Limit Required: {needed}. Lower max_nodes, delete an unused compute, or raise the quota "
                  "with AmlCompute.update_quotas.")

# Compute
COMPUTE_NOT_FOUND = ("ComputeTargetNotFound: Compute Target with name {name} not found in provided workspace. "
                     "Create it with ComputeTarget.create(workspace, name, provisioning_configuration).")
COMPUTE_EXISTS = ("Compute target with name '{name}' already exists in this workspace (type {type}); "
                  "get it with ComputeTarget(workspace, '{name}') or choose another name.")
COMPUTE_NAME_INVALID = ("Compute name '{name}' is invalid: it must be 2 to 16 characters (3 to 24 for a compute "
                        "instance), start with a letter, and contain only letters, digits and hyphens.")
COMPUTE_TYPE_MISMATCH = ("Compute target '{name}' is of type {actual}, not {expected}; use ComputeTarget("
                         "workspace, '{name}') to get it as its own type.")
COMPUTE_CONFIG_TYPE = ("provisioning_configuration must come from AmlCompute.provisioning_configuration(...) or "
                       "ComputeInstance.provisioning_configuration(...), not {type_name}.")
COMPUTE_VM_SIZE_REQUIRED = "vm_size is required: pass a size such as 'STANDARD_DS11_V2'."
COMPUTE_NODES_INVALID = ("Invalid node counts: min_nodes ({min_nodes}) must be >= 0 and max_nodes ({max_nodes}) "
                         "must be >= 1 and >= min_nodes.")
COMPUTE_PRIORITY_INVALID = "Invalid vm_priority '{value}': use 'dedicated' or 'lowpriority'."
COMPUTE_IDLE_INVALID = "idle_seconds_before_scaledown must be a whole number of seconds >= 0, not {value!r}."
COMPUTE_NOT_INSTANCE_OP = "{operation} applies only to a ComputeInstance, not to '{name}' of type {type}."
COMPUTE_STATE_CONFLICT = "Compute instance '{name}' is {state}; it cannot be {operation} now."
COMPUTE_DELETED = ("Compute target '{name}' was deleted; create it again with ComputeTarget.create(...).")

# Key vault
SECRET_NAME_INVALID = ("Secret name '{name}' is invalid: use 1 to 127 letters, digits and hyphens "
                       "(Azure Key Vault rules).")
SECRET_VALUE_TYPE = "The value of secret '{name}' must be a string, not {type_name}."
SECRET_NOT_FOUND = ("SecretNotFound: A secret with (name/id) {name} was not found in this key vault. Set it "
                    "first with keyvault.set_secret('{name}', value).")

# Access control
AUTHORIZATION_FAILED = ("AuthorizationFailed: The client '{principal}' with object id '{object_id}' does not "
                        "have authorization to perform action '{action}' over scope '{scope}' or the scope is "
                        "invalid. Its role(s) on this workspace: {roles}. Ask an Owner to assign a role that "
                        "allows it.")
ROLE_NOT_FOUND = ("RoleDefinitionDoesNotExist: The specified role definition '{role}' does not exist. Built-in "
                  "roles: {builtin}; add a custom role with sim.cloud.access.create_custom_role(...).")
ROLE_DEFINITION_INVALID = ("The custom role definition is invalid: {problem}. It needs Name, Actions (a list) "
                           "and optionally NotActions and AssignableScopes.")
ROLE_ASSIGNMENT_EXISTS = "RoleAssignmentExists: '{principal}' already has role '{role}' on this workspace."

# az CLI
AZ_EXTENSION_MISSING = ("'ml' is misspelled or not recognized by the system. The 'azure-cli-ml' extension is "
                        "not installed: run `az extension add -n azure-cli-ml` first.")
AZ_EXTENSION_UNKNOWN = ("No matching extensions for '{name}'. This simulator offers 'azure-cli-ml' (Azure ML "
                        "CLI v1).")
AZ_TEMPLATE_NOT_FOUND = "Template file '{path}' could not be found; check the --template-file path."
AZ_TEMPLATE_INVALID = "InvalidTemplate: the template file '{path}' is not a valid ARM template ({problem})."
AZ_NOT_AVAILABLE = ("`az {command}` is not available yet in this simulator build: {reason}.")
