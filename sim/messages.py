"""Every user-facing message of the simulator, in one place (as fakeredis keeps its `_msgs.py`).

Messages follow the real service's and SDK's wording where a learner would meet it, and always say what
to do. Each owner appends a section under its own heading; keep the sections append-only.
Templates use `str.format` fields.
"""

# ---------------------------------------------------------------------------------------------------
# SIM-CORE: activation, workspaces, regions, compute, key vault, access control, az CLI
# ---------------------------------------------------------------------------------------------------

MODULE_NOT_SIMULATED = ("{module} is part of the real Azure ML SDK v1 but is not simulated by this offline workspace; "
                        "see sim/COVERAGE.md for what is.")
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
CONFIG_NOT_FOUND = ("We could not find {file_name} in: {path} or in its parent directories. Please provide "
                    "the full path to the config file or ensure that {file_name} exists in the parent "
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
COMPUTE_NAME_INVALID = ("Compute name '{name}' is invalid: it must be 3 to 24 characters long, start with a letter, "
                        "and contain only letters, digits and hyphens.")
COMPUTE_TYPE_MISMATCH = ("Compute target '{name}' is of type {actual}, not {expected}; use ComputeTarget("
                         "workspace, '{name}') to get it as its own type.")
COMPUTE_CONFIG_TYPE = ("provisioning_configuration must come from AmlCompute.provisioning_configuration(...) or "
                       "ComputeInstance.provisioning_configuration(...), not {type_name}.")
COMPUTE_VM_SIZE_REQUIRED = "vm_size is required: pass a size such as 'STANDARD_DS11_V2'."
COMPUTE_NODES_INVALID = ("Invalid node counts: min_nodes ({min_nodes}) must be >= 0 and max_nodes ({max_nodes}) "
                         "must be >= 1 and >= min_nodes.")
COMPUTE_MAX_NODES_REQUIRED = ("Invalid provisioning configuration, max nodes count is mandatory: pass max_nodes "
                              "to AmlCompute.provisioning_configuration(...).")
COMPUTE_ADMIN_INVALID = ("Invalid user credentials, admin username must be provided along with either a password "
                         "or SSH key information.")
COMPUTE_VNET_INCOMPLETE = ("Invalid configuration, not all virtual net information provided. To use a custom "
                           "virtual net, please provide vnet name, vnet resource group and subnet name.")
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
AZ_EXTENSION_MISSING = ("'ml' is misspelled or not recognized by the system. No Azure ML extension is installed: "
                        "run `az extension add -n ml` (CLI v2) or `az extension add -n azure-cli-ml` (CLI v1) "
                        "first.")
AZ_EXTENSION_UNKNOWN = ("No matching extensions for '{name}'. This simulator offers 'ml' (Azure ML CLI v2) and "
                        "'azure-cli-ml' (Azure ML CLI v1).")
AZ_TEMPLATE_NOT_FOUND = "Template file '{path}' could not be found; check the --template-file path."
AZ_TEMPLATE_INVALID = "InvalidTemplate: the template file '{path}' is not a valid ARM template ({problem})."
AZ_NOT_AVAILABLE = ("`az {command}` is not available yet in this simulator build: {reason}.")

# More SIM-CORE messages (workspace details, compute, az CLI)
WORKSPACE_FIELDS_NOT_UPDATABLE = "Workspace fields {fields} cannot be updated; only {allowed} can."
WORKSPACE_WRONG_LOCATION = "Workspace '{name}' is in '{actual}', not in '{location}'; drop location= or fix it."
CONFIG_WRITE_FAILED = "Could not write the config file to: {folder}\n{error}"
WORKSPACE_ID_INVALID = ("'{arm_id}' is not a workspace resource id (/subscriptions/<id>/resourceGroups/<rg>/"
                        "providers/Microsoft.MachineLearningServices/workspaces/<name>).")
QUOTA_LIMIT_INVALID = "Quota limit must be a whole number of cores >= 0, not {limit!r}."
COMPUTE_INSTANCE_NAME_TAKEN = ("Compute instance name '{name}' is already used in region '{location}' (workspace "
                               "'{workspace}'); compute instance names must be unique within an Azure region.")
COMPUTE_SSH_KEY_REQUIRED = "Invalid configuration: ssh_public_access=True needs admin_user_ssh_public_key."
AZ_EXTENSION_NOT_INSTALLED = "The extension {name} is not installed."
AZ_WORKSPACE_ARGS = ("Pass both --workspace-name/-w and --resource-group/-g, or neither (to use the workspace in "
                     "config.json).")
AZ_EXPERIMENT_NOT_FOUND = ("(ExperimentNotFound) Experiment '{name}' was not found in workspace '{workspace}'; "
                           "`az ml run list` without -e lists the runs of every experiment.")
AZ_RESOURCE_GROUP_NOT_FOUND = ("(ResourceGroupNotFound) Resource group '{name}' could not be found. Create it with "
                               "`az group create -n {name} -l <location>`.")
AZ_PARAMETER_VALUE_INVALID = "Invalid --parameters value '{item}': use key=value or @parameters.json."
ARM_UNKNOWN_PARAMETERS = "The template has no parameter(s) {names}."
ARM_PARAMETER_MISSING = ("Deployment template validation failed: the value for the template parameter '{name}' is "
                         "not provided.")
ARM_PARAMETER_NOT_ALLOWED = ("The provided value '{value}' for the template parameter '{name}' is not valid. Allowed "
                             "values: {allowed}.")
ARM_EXPRESSION_INVALID = "Unable to parse the template language expression '{text}'{problem}."
ARM_VARIABLE_MISSING = "The template variable '{name}' is not found."
ARM_PARAMETER_UNKNOWN = "The template parameter '{name}' is not found."
ARM_FUNCTION_UNSUPPORTED = "The template function '{name}' is not supported by this simulator."
ARM_RESOURCE_UNSUPPORTED = ("Resource type '{type}' is not simulated; this simulator deploys Azure ML workspaces, "
                            "their computes and associated resources.")

# ---------------------------------------------------------------------------------------------------
# SIM-RUNS: experiments, runs, submitted scripts, environments
# ---------------------------------------------------------------------------------------------------

# Experiments
BAD_EXPERIMENT_NAME = ("Invalid experiment name '{name}': it must be 1 to 255 characters, start with a letter or "
                       "digit, and contain only letters, digits, underscores and hyphens.")
EXPERIMENT_NOT_FOUND = ("Experiment '{name}' does not exist in this workspace; create it with "
                        "Experiment(workspace, name).")
EXPERIMENT_ARCHIVED = ("Experiment '{name}' is archived; reactivate it with experiment.reactivate() (find it with "
                       "Experiment.list(ws, view_type='ArchivedOnly')) or use another name.")
BAD_VIEW_TYPE = "Invalid view_type '{view_type}': use 'ActiveOnly', 'ArchivedOnly' or 'All'."

# Runs
RUN_NOT_FOUND = "Run '{run_id}' was not found in experiment '{experiment}'; check the run id."
RUN_ID_TAKEN = "A run with id '{run_id}' already exists in this workspace; leave run_id out to get a new one."
RUN_ID_INVALID = ("Run id '{run_id}' is not valid: use 1 to 250 letters, digits, '_' or '-', starting with a letter "
                  "or digit.")
RUN_OWNER_ENDED = ("The process that started run '{run_id}' ended before the run was completed, so the run is "
                   "marked Failed. End a run with run.complete() (or use 'with experiment.start_logging() as run:'), "
                   "and start a new run to log again.")
RUN_SUBMITTER_ENDED = ("The process that submitted run '{run_id}' ended before the job was started, so the run is "
                       "marked Failed. Submit the experiment again.")
RUN_ALREADY_TERMINAL = "Run '{run_id}' is already {status}; a finished run cannot be {operation}."
REST_BAD_CONTINUATION = ("The continuation token '{token}' was not issued by this service; list again from the "
                         "first page (leave the token out).")
RUN_START_NOT_INTERACTIVE = ("Run.start() marks an interactive run as started; run '{run_id}' is a {run_type} run, "
                             "which the service starts itself when its job begins.")
RUN_BATCH_SIZE = ("A batch of runs has 1 to {limit} runs, with one display name and one set of tags per run when "
                  "they are given; got count={count}. Create a larger number in several batches.")
LOG_BAD_VALUE = ("Cannot log metric '{name}': {problem}. Log a number, a string or a bool with run.log, a list "
                 "with run.log_list, a row with run.log_row or a dict of lists with run.log_table.")
PROPERTY_IMMUTABLE = ("Property '{key}' is already set to '{old}' on run '{run_id}'; run properties are "
                      "immutable, use tags for values that change.")
FILE_ALREADY_EXISTS = ("Resource Conflict: ArtifactId ExperimentRun/dcid.{run_id}/{name} already exists; upload "
                       "under another name.")
FILE_NOT_IN_RUN = ("File with path '{name}' was not found in run '{run_id}'; run.get_file_names() lists the "
                   "run's files.")
UPLOAD_SOURCE_NOT_FOUND = "Cannot upload '{path}': no such local {kind}; check the path (relative to {cwd})."

# Submitting scripts
SOURCE_DIRECTORY_NOT_FOUND = ("source_directory '{path}' does not exist or is not a folder; create it (with your "
                              "script inside) before submitting.")
SCRIPT_NOT_FOUND = ("Script '{script}' was not found in source_directory '{path}'; the script path is relative "
                    "to source_directory.")
COMPUTE_NOT_FOUND_FOR_RUN = ("ComputeTargetNotFound: compute target '{name}' was not found in workspace "
                             "'{workspace}'; create it with ComputeTarget.create(...) or use 'local'.")
SUBMIT_BAD_CONFIG = ("Experiment.submit needs a ScriptRunConfig (or another run configuration object), not "
                     "{type_name}.")
BAD_ARGUMENT = ("ScriptRunConfig arguments must be strings, numbers or dataset inputs "
                "(dataset.as_named_input(...)); got {type_name} at position {index}.")
RUN_OFFLINE_ONLY = ("{member} needs a run that is tracked in a workspace; this is an offline run (the script "
                    "was not submitted with experiment.submit(...)).")

# Environments
ENVIRONMENT_NOT_FOUND = ("Environment '{name}' is not registered in this workspace; register it with "
                         "env.register(workspace=ws) or list them with Environment.list(ws).")
ENVIRONMENT_VERSION_NOT_FOUND = ("Environment '{name}' has no version '{version}'; registered versions: "
                                 "{versions}.")
ENVIRONMENT_NAME_REQUIRED = "An environment needs a name (a non-empty string), not {value!r}."
ENVIRONMENT_FILE_NOT_FOUND = "Cannot read {kind} file '{path}': no such file."
ENVIRONMENT_FILE_INVALID = "The {kind} file '{path}' is not valid: {problem}."
ENVIRONMENT_CURATED_READONLY = ("'{name}' is a curated environment and cannot be registered over; clone it "
                                "with env.clone('my-env') and register the copy.")
ENVIRONMENT_SAVE_EXISTS = "{path} already exists; pass overwrite=True to replace it."

# Run files, images, widgets
RUN_FILES_NOT_LOCAL = "Run files of {run_id} are not stored locally ({uri}); this simulator keeps them on disk."
RUN_FILE_NAME_EMPTY = "A run file name must be a non-empty string such as 'outputs/sample.csv', not {name!r}."
RUN_FILE_NAME_OUTSIDE = "Run file name '{name}' must be a relative path inside the run, without '..'."
LOG_IMAGE_ONE_SOURCE = ("Invalid parameters: pass exactly one of path (an image file) or plot (a matplotlib figure) "
                        "to log_image.")
LOG_IMAGE_BAD_PLOT = "plot must be a matplotlib figure or the matplotlib.pyplot module, not {type_name}."
EXPERIMENT_WORKSPACE_TYPE = ("workspace must be an azureml.core.Workspace, not {type_name}: get one with "
                             "Workspace.from_config() or Workspace.get(...).")
RUN_DETAILS_NOT_A_RUN = ("RunDetails needs a run (from experiment.submit(...) or experiment.start_logging()), not "
                         "{type_name}.")


# ---------------------------------------------------------------------------------------------------
# SIM-DATA: datastores and datasets
# ---------------------------------------------------------------------------------------------------

# Datastores
DATASTORE_NOT_FOUND = ("(UserError) Could not find datastore: {name}. The datastores of this workspace are: "
                       "{available}; register it first (Datastore.register_azure_blob_container(...)) or fix the name.")
DATASTORE_BAD_NAME = ("Invalid datastore name {name!r}: a datastore name can only contain letters, digits and "
                      "underscores (it is stored in lower case).")
DATASTORE_CONFLICT = ("(UserError) Another datastore with the same name already exists: '{name}' is registered "
                      "with different settings. Pass overwrite=True to update it, or choose another name.")
DATASTORE_DEFAULT_NOT_STORAGE = ("Datastore '{name}' is of type {datastore_type}; only an Azure Blob, Azure File "
                                 "or Data Lake Gen2 datastore can be the workspace default.")
DATASTORE_UNREGISTER_DEFAULT = ("Datastore '{name}' is the workspace's default datastore and cannot be "
                                "unregistered; make another datastore the default first "
                                "(ws.set_default_datastore(name)).")
DATASTORE_NO_FILES = ("Datastore '{name}' is of type {datastore_type} and holds no files; upload, download and "
                      "file paths work with Azure Blob, Azure File and Data Lake Gen2 datastores.")
DATASTORE_PATH_ESCAPES = ("Invalid datastore path '{path}': it may not contain '..'; give a path relative to the "
                          "root of the datastore.")
DATASTORE_SRC_NOT_DIR = "src_path must be a directory."
DATASTORE_NOT_A_FILE = ("'{path}' does not point to a file. Please upload the file to cloud first if running in "
                        "a cloud notebook.")
DATASTORE_FILES_TYPE = ("files must be a list of local file paths (strings), not {kind}; for example "
                        "files=['./data/diabetes.csv'].")
DATASTORE_RELATIVE_ROOT = "relative_root: '{root}' is not part of the file_path: '{path}'."
DATASTORE_REQUIRED = "{what} is required for {store}: pass it to {method}."
DATASTORE_CREDENTIALS_TOGETHER = "Tenant id, client id and client secret have to be defined together."
DATASTORE_WORKSPACE_TYPE = ("workspace must be an azureml.core.Workspace, not {kind}: get one with "
                            "Workspace.from_config().")
DATASTORE_NAME_TYPE = "{argument} must be a string naming a datastore, not {kind}."

# Datasets
DATASET_INVALID_PATH = ("Invalid argument type for `path`. It can be single value or a list of: string starting "
                        "with \"http://\" or \"https://\", `azureml.data.datapath.DataPath` object, or tuple of "
                        "`azureml.core.Datastore` object and string for relative path in the datastore. "
                        "Local files must be uploaded to a datastore first (datastore.upload_files(...)).")
DATASET_INVALID_TUPLE = ("Invalid tuple for path. Please make sure the tuple consists of a datastore and a "
                         "path/SQL query")
DATASET_URL_NOT_SIMULATED = ("Reading {url!r} needs the internet, which this offline workspace does not have: "
                             "download the file, upload it to a datastore and use (datastore, 'path').")
DATASET_NO_FILES = ("Failed to validate the data.If data is inaccessible, please set validate to False.\n"
                    "ScriptExecutionException was caused by StreamAccessException.\n"
                    "  StreamAccessException was caused by NotFoundException.\n"
                    "    Found no resources for the input provided: {sources}. Check the path and glob, and "
                    "upload the files to the datastore first.")
DATASET_NO_FILES_INFER = ("Failed to infer column type.If data is inaccessible, please turn off inference.\n"
                          "ScriptExecutionException was caused by StreamAccessException.\n"
                          "  StreamAccessException was caused by NotFoundException.\n"
                          "    Found no resources for the input provided: {sources}. Upload the files first, or "
                          "pass infer_column_types=False to define the dataset before the data exists.")
DATASET_NAME_CONFLICT = ("There is already a dataset registered under name \"{name}\". Specify "
                         "`create_new_version=True` to register the dataset as a new version. Use `update`, "
                         "`add_tags`, or `remove_tags` to change only the description or tags.")
DATASET_BAD_NAME = "Invalid dataset name {name!r}: give a non-empty string such as 'diabetes dataset'."
DATASET_BAD_TAGS = "tags must be a dictionary of strings, not {kind}; for example tags={{'format': 'CSV'}}."
DATASET_BAD_VERSION = 'Invalid value {version} for version. Version value must be number or "latest".'
DATASET_NOT_FOUND = 'Cannot find dataset registered with name "{name}"{suffix} in the workspace.'
DATASET_ID_NOT_FOUND = 'Cannot find dataset with id "{id}" in the workspace.'
DATASET_NOT_REGISTERED = "To {action} this dataset it must be registered."
DATASET_MISSING_COLUMNS = "The specified columns {columns} do not exist in the current dataset."
DATASET_COLUMNS_TYPE = "columns must be a column name or a list of column names, not {kind}."
DATASET_BAD_COUNT = "count must be a non-negative integer, not {value!r}."
DATASET_BAD_PERCENTAGE = "percentage must be a number between 0 and 1 (exclusive), not {value!r}."
DATASET_BAD_HEADER = ("Unsupported header provided. The allowed values are True, False, 'NO_HEADERS', "
                      "'ONLY_FIRST_FILE_HAS_HEADERS', 'COMBINE_ALL_FILES_HEADERS' and "
                      "'ALL_FILES_HAVE_SAME_HEADERS'.")
DATASET_BAD_ENCODING = ("Invalid encoding '{encoding}'. The supported encodings are 'utf8', 'iso88591', 'latin1', "
                        "'ascii', 'utf16', 'utf32', 'utf8bom' and 'windows1252'.")
DATASET_READ_FAILED = "Failed to read {path} as {kind}: {error}. Check that the files are {kind} files."
DATASET_TARGET_EXISTS = ('File "{path}" already exists. Set overwrite=True to overwrite it, or choose an empty '
                         "target path.")
DATASET_FILTER_EXPRESSION = ("filter expects an expression built from the dataset's columns, such as "
                             "dataset['Age'] > 30, not {kind}.")
DATASET_WORKSPACE_UNKNOWN = ("This dataset is not bound to a workspace (it was not created from a datastore "
                             "path); register it or create it from (datastore, 'path').")
DATASET_TIMESTAMP_MISSING = "The specified timestamp column {column!r} does not exist in the current dataset."
CONSUMPTION_BAD_MODE = ("{kind} does not support {mode}. Only FileDataset supports {mode}; pass a TabularDataset "
                        "with as_named_input(name) only.")
CONSUMPTION_BAD_NAME = ('Invalid input name "{name}". The name can only be alphanumeric characters and underscore, '
                        "and must not begin with a number.")

# Run outputs
OUTPUT_BAD_DESTINATION = ("destination must be a (datastore, 'path') tuple, not {kind}; for example "
                          "destination=(ws.get_default_datastore(), 'outputs/{{run-id}}').")
OUTPUT_NO_WORKSPACE = ("This OutputFileDatasetConfig has no destination and is not used by a submitted run, so "
                       "its workspace is unknown; pass destination=(datastore, 'path').")
RUN_INPUT_BAD_NAME = ("A run's input or output needs a name that is one folder name (no '/', and not '.' or '..'), "
                      "not {name!r}; give the DataReference, input or output another name.")
RUN_INPUT_LEAVES_JOB = ("path_on_compute '{path}' of the run's input '{name}' leads outside the run's working folder; "
                        "give a path relative to that folder, for example 'inputs/{name}'.")
RUN_INPUT_BAD_MODE = "The {kind} mode '{mode}' is not one a run takes; use one of these modes: {modes}."
RUN_INPUT_UNKNOWN = ("Unknown kind of run input {placement!r}: a run takes saved datasets, DataReferences and "
                     "OutputFileDatasetConfigs (and an OutputFileDatasetConfig's as_input()).")
RUN_INPUT_LINK_LEAVES = ("'{path}' in datastore '{datastore}' is a link that leads outside the datastore, so it is not "
                         "given to the run; upload the file itself instead of a link to it.")


# ---------------------------------------------------------------------------------------------------
# SIM-MODELS: registered models, inference configuration, web services (ACI, local)
# ---------------------------------------------------------------------------------------------------

# Models
MODEL_NAME_INVALID = ("Error, provided model name is invalid. It must only consist of letters, numbers, dashes, "
                      "periods, or underscores, start with a letter or number, and be between 1 and 255 "
                      "characters long.")
MODEL_PATH_NOT_FOUND = ("Error, provided model path \"{path}\" cannot be found; model_path is a local file or "
                        "folder, relative to the current folder ({cwd}).")
MODEL_CHILD_PATH_NOT_FOUND = "Error, provided child path \"{path}\" cannot be found inside \"{model_path}\"."
MODEL_FRAMEWORK_VERSION_WITHOUT_FRAMEWORK = ("Model framework version cannot be provided without a valid "
                                             "framework: pass model_framework too (e.g. Model.Framework."
                                             "SCIKITLEARN).")
MODEL_DICT_REQUIRED = "{what} must be a dict of string keys and values, not {type_name}."
MODEL_NOT_FOUND = "ModelNotFound: Model with {details} not found in provided workspace"
MODEL_ID_OR_NAME_REQUIRED = "Error, one of id or name must be provided."
MODEL_NOT_IN_RUN = ("Could not locate the provided model_path {path} in the set of files uploaded to the run: "
                    "{files}\n                See https://aka.ms/run-logging for more details.")
MODEL_NOT_IN_CACHE = ("Model {name} not found in cache at {cache} or in current working directory {cwd}. "
                      "Register it first, or call Model.get_model_path(name, _workspace=ws) outside a service.")
MODEL_VERSION_NOT_IN_WORKSPACE = "Model/Version {name}/{version} not found in workspace. {available}"
MODEL_VERSION_NOT_INT = "version should be an int, not {type_name}."
MODEL_PROPERTIES_IMMUTABLE = ("Error, properties are immutable, the following keys cannot be added/modified: "
                              "{keys}")
MODEL_IN_USE = ("The model {id} cannot be deleted because it is used by the web service(s) {services}; delete "
                "or update those services first.")
MODEL_DOWNLOAD_EXISTS = "File already exists. To overwrite, set exist_ok to True. {path}"
MODEL_LIST_TAGS_TYPE = ("Expected tags must be list type. Ex. [\"key\", [\"key2\", \"key2 value\"]]: provided "
                        "{type_name}")
MODEL_LIST_PAGE_COUNT = "Expected page_count value is between 20 and 255. Provided: {value}"
MODEL_TYPE_IN_DEPLOY = ("Models must either be of type azureml.core.Model or a str path to a file or folder, "
                        "not {type_name}.")

# Inference configuration
INFERENCE_ENTRY_SCRIPT_REQUIRED = "Error, need to specify entry_script."
INFERENCE_PATH_MISSING = "{what} {path} doesn't exist. {extra}"
INFERENCE_ENTRY_SCRIPT_NOT_PY = "Invalid driver type. Currently only Python drivers are supported."
INFERENCE_ENTRY_SCRIPT_NAME = ("Error, invalid name \"{name}\" for provided entry script. The script must be "
                               "importable as a valid python module, and must adhere to standard module naming.")
INFERENCE_ENTRY_SCRIPT_SYNTAX = "{error}. Please check it and try local deployment to verify."
INFERENCE_RUNTIME_INVALID = "Provided runtime not supported. Possible runtimes are: python|spark-py"
INFERENCE_ENVIRONMENT_AND_PARTS = ("Error, unable to provide runtime, conda_file, extra_docker_file_steps, "
                                   "enable_gpu, cuda_version, or base_image along with an environment object.")

# Web services
SERVICE_NAME_INVALID = ("Error, provided service name is invalid. It must only consist of lowercase letters, "
                        "numbers, or dashes, start with a letter, end with a letter or number, and be between 3 "
                        "and 32 characters long.")
SERVICE_EXISTS = ("Service {name} with the same name already exists, please use a different service name or "
                  "delete the existing service (or pass overwrite=True).")
SERVICE_NOT_FOUND = "WebserviceNotFound: Webservice with name {name} not found in provided workspace"
SERVICE_NAME_REQUIRED = "Name must be provided"
SERVICE_CONFIG_POSITIVE = "Invalid configuration, {what} must be positive."
SERVICE_PORT_INVALID = "Invalid configuration, port must be an integer in range [1, 65535]"
SERVICE_PORT_BUSY = ("Port {port} on 127.0.0.1 is already in use; choose another port in "
                     "LocalWebservice.deploy_configuration(port=...) or leave it out to get a free one.")
SERVICE_COMPUTE_TYPE_INVALID = "Invalid compute type \"{value}\". Valid options are \"{options}\""
SERVICE_NO_UPDATE = "No parameters provided to update."
SERVICE_NOT_READY = ("Error attempting to call webservice, scoring_uri unavailable. This could be due to a "
                     "failed deployment, or the service is not ready yet.\nCurrent State: {state}\n"
                     "Errors: {error}")
SERVICE_BAD_RESPONSE = ("Received bad response from service. More information can be found by calling "
                        "`.get_logs()` on the webservice object.\nResponse Code: {code}\nHeaders: {headers}\n"
                        "Content: {content}")
SERVICE_NOT_RESPONDING = ("Could not reach the service at {uri} ({error}); it is {state}. Call "
                          "service.get_logs() to see why.")
SERVICE_POLL_FAILED = ("Service deployment polling reached non-successful terminal state, current service state: "
                       "{state}\nOperation ID: {operation_id}\nMore information can be found using "
                       "'.get_logs()'\nError:\n{error}")
SERVICE_POLL_TIMEOUT = ("Deployment polling exceeded timeout override of {timeout}s. Current status: {state}\n"
                        "Deployment may be transitioning or unhealthy, use update_deployment_state() to fetch the "
                        "latest status of the webservice")
SERVICE_CRASHED = ("Aci Deployment failed with exception: Your container application crashed. This may be "
                   "caused by errors in your scoring file's init() function.\n\t1. Please check the logs for "
                   "your container instance: {name}. From the AML SDK, you can run print(service.get_logs()) "
                   "if you have service object to fetch the logs.")
SERVICE_START_INTERRUPTED = ("The deployment of service '{name}' was interrupted: the process that started it ended "
                             "before its container was recorded. Deploy it again (Model.deploy(..., overwrite=True)).")
SERVICE_SCRIPT_NO_RUN = "The entry script {script} does not define a run(raw_data) function; add one."
SERVICE_SCRIPT_NO_INIT = "The entry script {script} does not define an init() function; add one."
SERVICE_KEYS_NO_AUTH = ("Keys are only available when authentication is enabled: deploy with "
                        "AciWebservice.deploy_configuration(auth_enabled=True) or call service.update("
                        "auth_enabled=True).")
SERVICE_KEY_NAME_INVALID = "Error, invalid value provided for key: {key}.\nValid options are: Primary, Secondary"
SERVICE_LOCAL_NO_KEYS = "Local web services do not support auth keys."
SERVICE_LOCAL_PORT_BUSY = ("The local web service cannot listen on port {port} here: {error}. Something else uses "
                           "that port; stop it, or deploy with LocalWebservice.deploy_configuration(port=...) naming a "
                           "free port.")
SERVICE_LOCAL_NO_TOKEN = "Local web services do not support Token Authentication."
SERVICE_ACI_NO_TOKEN = "ACI webservices do not support Token Authentication."
SERVICE_LOCAL_STATE = "LocalWebservice {name} is {state}: this operation needs it to be one of {allowed}."
SERVICE_NO_CODE_DEPLOY = ("Deploying without an inference_config (no-code deployment) is simulated only for one "
                          "model registered with model_framework=Model.Framework.SCIKITLEARN; {what} is not "
                          "simulated (ONNX and TensorFlow no-code services neither). Pass an InferenceConfig with "
                          "your entry script.")
SERVICE_TARGET_NOT_SIMULATED = ("Deploying to {what} is not simulated; deploy to Azure Container Instances (leave "
                                "deployment_target as None) or locally with LocalWebservice.deploy_configuration().")
SERVICE_CONFIG_TYPE = ("deployment_config must come from AciWebservice.deploy_configuration(...) or "
                       "LocalWebservice.deploy_configuration(...), not {type_name}.")
SERVICE_INFERENCE_CONFIG_TYPE = "inference_config must be an azureml.core.model.InferenceConfig, not {type_name}."
SERVICE_STOPPED = ("Service {name} was stopped when its host process went away (state {state}); deploy it again "
                   "with overwrite=True or call service.update(...) to restart it.")
SERVICE_BUSY = ("Service {name} is being restarted or updated by another process right now; wait for it "
                "(service.wait_for_deployment()) and try again.")
SERVICE_ENTRY_OUTSIDE_SOURCE = ("entry_script {script} is not inside source_directory {source}; give the "
                                "script's path relative to source_directory (for example 'score.py').")
SERVICE_START_FAILED = ("The scoring server of the service could not be started; its log ({log}) says why. "
                        "Check that the simulator is installed in this Python environment.")

# --- az role assignment (lead) -------------------------------------------------------------------------
AZ_ROLE_SCOPE = ("The scope '{scope}' is not a workspace resource id; the simulator keeps role assignments on "
                 "workspaces: use /subscriptions/SUB/resourceGroups/RG/providers/"
                 "Microsoft.MachineLearningServices/workspaces/NAME.")
AZ_ROLE_SCOPE_MISSING = "The scope '{scope}' cannot be found: create the workspace first or check the id."
AZ_ROLE_DELETE_ARGS = "Give both --assignee and --role to say which assignment to delete."
AZ_ROLE_NOTHING_TO_DELETE = "No matched assignments were found to delete ({assignee}, {role})."

# ---- SDK v2: the client libraries' way in (sim.client) and the REST service (sim.rest) ----
NO_NETWORK = ("{url}: this offline simulator has no network; only Azure's own hosts (answered by the simulated "
              "service) and the loopback are reachable.")

# ---- SDK v2 storage and data: datastores, blob service, data assets, code assets, mltable (sim.rest) ----
REST_DATASTORE_TYPE_NOT_IN_V2 = ("Datastore '{name}' is of type {kind}, which the v2 API does not describe; use "
                                 "SDK v1 (azureml.core.Datastore) to work with it.")
REST_DATASTORE_TYPE_UNSUPPORTED = ("datastoreType '{kind}' is not simulated; create an AzureBlob, AzureFile or "
                                   "AzureDataLakeGen2 datastore.")
REST_DATASTORE_MISSING = "A {kind} datastore needs {fields}."
REST_DATASTORE_CREDENTIALS = ("credentialsType '{kind}' is not simulated; use AccountKey, Sas, ServicePrincipal or "
                              "None (identity-based access).")
REST_DATASTORE_SECRET_MISSING = "{kind} credentials need secrets.{field}."
REST_DATASTORE_NO_SECRETS = "Datastore '{name}' uses identity-based access: it has no secrets to list."
BLOB_ACCOUNT_NOT_FOUND = ("The storage account '{account}' does not exist in the simulated cloud: it is neither a "
                          "workspace's storage account nor named by a datastore.")
BLOB_CONTAINER_NOT_FOUND = "The specified container does not exist. (container: {container})"
BLOB_CONTAINER_EXISTS = "The specified container already exists. (container: {container})"
BLOB_NOT_FOUND = "The specified blob does not exist. (blob: {name})"
BLOB_EXISTS = "The specified blob already exists. (blob: {name})"
BLOB_BAD_NAME = "The blob name '{name}' is not valid here: use '/'-separated names without empty, '.' or '..' parts."
BLOB_PATH_CONFLICT = ("The blob '{name}' cannot be written: the simulator keeps blobs as files, and a blob and a "
                      "'folder' of other blobs cannot share a name.")
BLOB_BLOCK_MISSING = "The specified block list is invalid: block '{block}' of blob '{name}' was never staged."
ASSET_PATH_UNCHANGEABLE = "Asset paths cannot be updated."
ASSET_VERSION_NOT_FOUND = "{what} {name}:{version} was not found in this workspace."
ASSET_NOT_FOUND = "{what} {name} was not found in this workspace (it has no active version)."
DATA_ASSET_BAD_TYPE = "dataType '{kind}' is not one of uri_file, uri_folder, mltable."
DATA_ASSET_NO_PATH = "A data asset needs a path (dataUri)."
DATA_ASSET_BAD_NAME = ("Data asset name '{name}' is invalid: use 1 to 255 letters, digits, '-', '_' or '.', starting "
                       "with a letter or digit.")
DATA_ASSET_BAD_VERSION = "Version '{version}' is invalid: use 1 to 255 characters other than '/'."
DATA_URI_WORKSPACE_NOT_FOUND = "The workspace '{ws}' named in the data URI does not exist."
DATA_URI_UNKNOWN = ("'{uri}' is not a data URI the simulator knows: use "
                    "azureml://datastores/<datastore>/paths/<path>, "
                    "azureml://subscriptions/.../workspaces/<ws>/data/<name>/versions/<version>, "
                    "azureml:<name>:<version> or a blob URL of a workspace's storage account.")
DATA_URI_NO_DATASTORE = ("No datastore of the workspace points at container '{container}' of storage account "
                         "'{account}'.")
MLTABLE_INVALID = "The MLTable file is invalid: {detail}."
MLTABLE_NOT_FOUND = "Not able to find MLTable file in {folder}: an MLTable folder holds a file named MLTable."
MLTABLE_NO_FILES = "The paths of the MLTable file in {folder} match no file."
MLTABLE_NOT_SIMULATED = "{what} is not simulated by this offline mltable."
MLTABLE_OUTSIDE_FOLDER = ("The MLTable file at '{uri}' reads '{path}', which is outside its folder: a table read "
                          "through the simulated Azure service may only read files in the folder of its MLTable file.")
MLTABLE_NO_WORKSPACE = ("'{uri}' names no workspace: outside a job, load a data asset or datastore path by its long "
                        "URI (azureml://subscriptions/<sub>/resourcegroups/<rg>/workspaces/<ws>/...), or run where a "
                        "config.json names the workspace.")

# ---- az: Azure ML CLI v2 (the `ml` extension), az account/provider/configure (sim.az.account, sim.az.mlv2) ----
AZ_EXTENSION_CONFLICT = ("The extension '{name}' cannot be installed while '{other}' is installed: the Azure ML CLI "
                         "v2 (ml) and v1 (azure-cli-ml) extensions both provide `az ml` and conflict. Remove it first "
                         "with `az extension remove -n {other}`.")
AZ_EXTENSION_ALREADY_INSTALLED = "WARNING: Extension '{name}' {version} is already installed."
AZ_ACCOUNT_SET_ARGS = "the following arguments are required: --subscription/-s"
AZ_SUBSCRIPTION_NOT_FOUND = "The subscription of '{name}' doesn't exist in cloud 'AzureCloud'."
AZ_PROVIDER_NAMESPACE_INVALID = ("(InvalidResourceNamespace) The resource namespace '{namespace}' is invalid.\n"
                                 "Code: InvalidResourceNamespace\nMessage: The resource namespace '{namespace}' is "
                                 "invalid.")
AZ_PROVIDER_ONGOING = "WARNING: {action} is still on-going. You can monitor using 'az provider show -n {namespace}'"
AZ_CONFIGURE_INTERACTIVE = ("Interactive `az configure` is not simulated: set defaults with `az configure --defaults "
                            "group=<resource group> workspace=<workspace>` and see them with "
                            "`az configure --list-defaults`.")
AZ_CONFIGURE_DEFAULT_INVALID = ("usage error: --defaults takes space-separated name=value pairs (e.g. group=rg-dp100 "
                                "workspace=mlw-dp100), not '{item}'.")
AZ_ML_SET_INVALID = "usage error: --set takes property.path=value items (e.g. --set description=demo), not '{item}'."
AZ_ML_NO_TTY = "Unable to prompt for confirmation as no tty available. Use --yes."
AZ_ML_CONFIRM = "Are you sure you want to perform this operation? (y/n): "
AZ_ML_NOT_CONFIRMED = "Operation cancelled."
AZ_ML_UNEXPECTED = "The command failed with an unexpected error: {kind}: {error}"
AZ_ML_NO_BROWSER = "WARNING: this offline simulator opens no browser; the job's studio page is {url}"
AZ_ML_LOCAL_ENDPOINT = ("Local endpoints (--local) run in Docker, which this simulator does not use; drop --local to "
                        "deploy to a managed online endpoint of the simulated workspace.")
AZ_ML_TRAFFIC_INVALID = ("usage error: traffic is given as deployment=percentage pairs, e.g. --traffic \"blue=90 "
                         "green=10\", not '{item}'.")

# ---- SDK v2 models, online endpoints and deployments (sim.cloud.models.assets/sources, sim.cloud.endpoints,
# ---- sim.rest.models, sim.rest.endpoints) ----
REST_MODEL_NOT_FOUND = "Model container '{name}' was not found in workspace '{workspace}'."
REST_MODEL_VERSION_NOT_FOUND = "Model '{name}' version '{version}' was not found in workspace '{workspace}'."
REST_MODEL_NAME_INVALID = ("'{name}' is not a valid model name: use letters, digits, '-', '_' and '.', starting with a "
                           "letter or digit (at most 255 characters).")
REST_MODEL_VERSION_NOT_INT = "Model version '{version}' is invalid: a model version must be a positive integer."
REST_MODEL_VERSION_NOT_NEXT = ("Model '{name}' cannot get version {version}: the simulated registry numbers versions "
                               "in sequence and the next version of this model is {next}. Leave the version out to "
                               "get the next one.")
REST_MODEL_TYPE_INVALID = "Model type '{type}' is not valid; use one of {types}."
REST_MODEL_URI_MISSING = "A model version needs a modelUri (the path of its files)."
REST_MODEL_URI_UNSUPPORTED = ("The model path '{uri}' is not one the simulated service can read: use a local path (the "
                              "SDK uploads it), azureml://datastores/<datastore>/paths/<path>, "
                              "azureml://jobs/<job>/outputs/artifacts/paths/<path> or runs:/<run id>/<path>.")
REST_MODEL_PATH_MISSING = "Nothing exists at the model path '{uri}'."
REST_MODEL_JOB_NOT_FOUND = "The job '{job}' that the model path '{uri}' names was not found in this workspace."
REST_MODEL_JOB_RUNNING = ("The job '{job}' is still running after {seconds} s; register its model once it has "
                          "completed.")
REST_MODEL_NOT_IN_JOB = ("The job '{job}' has no output '{path}' (model path '{uri}'): it neither saved files there "
                         "nor logged an MLflow model with that name (mlflow.<flavor>.log_model(model, '{path}')).")
REST_MODEL_JOB_ENDED = ("The job '{job}' ended {status} without an output '{path}': read why with "
                        "ml_client.jobs.stream('{job}'), fix it and register the model of a job that completes.")
REST_MODEL_NOT_MLFLOW = ("The model path '{uri}' has no MLmodel file, so it is not an MLflow model; register it as "
                         "custom_model or point at the folder that holds MLmodel.")
REST_MODEL_PATH_IMMUTABLE = "Asset paths cannot be updated."
ENDPOINT_NOT_FOUND = "Online endpoint '{name}' was not found in workspace '{workspace}'."
ENDPOINT_NAME_INVALID = ("'{name}' is not a valid {what} name: use 3 to 32 letters, digits and '-', starting with a "
                         "letter and not ending with '-'.")
ENDPOINT_NAME_TAKEN = ("An online endpoint named '{name}' already exists in region {region}: endpoint names are unique "
                       "in a region (they are part of the scoring address). Choose another name.")
ENDPOINT_AUTH_MODE_INVALID = "auth_mode '{mode}' is not valid; use key, aml_token or aad_token."
ENDPOINT_AUTH_MODE_FIXED = ("The authentication mode of endpoint '{name}' is {mode} and cannot be changed; create a "
                            "new endpoint for another mode.")
ENDPOINT_TRAFFIC_UNKNOWN = ("The {what} of endpoint '{endpoint}' names deployment '{deployment}', which does not "
                            "exist: create the deployment first.")
ENDPOINT_TRAFFIC_PERCENT = "The {what} of deployment '{deployment}' must be a whole percentage from 0 to 100."
ENDPOINT_TRAFFIC_SUM = "The traffic of an endpoint's deployments must add up to 100 (or be 0 everywhere), not {total}."
ENDPOINT_MIRROR_TRAFFIC = "Mirror traffic may copy at most 50 percent of the requests, not {total}."
ENDPOINT_NO_KEYS = "Endpoint '{name}' uses {mode} authentication: it has no keys (get a token instead)."
ENDPOINT_NO_TOKEN = "Endpoint '{name}' uses {mode} authentication: AML tokens are only for aml_token endpoints."
ENDPOINT_KEY_TYPE_INVALID = "Key type '{key_type}' is not valid; use Primary or Secondary."
ENDPOINT_UNAUTHORIZED = ("The request has no valid credential for this endpoint: send 'Authorization: Bearer <key or "
                         "token>' (ml_client.online_endpoints.get_keys gives the keys).")
DEPLOYMENT_NOT_FOUND = "Deployment '{name}' was not found in online endpoint '{endpoint}'."
DEPLOYMENT_MODEL_NOT_FOUND = "The model {model} that the deployment names was not found in this workspace."
DEPLOYMENT_INSTANCE_COUNT = "instance_count must be a whole number of at least 1, not {count}."
DEPLOYMENT_INSTANCE_TYPE = "A managed online deployment needs an instance_type (e.g. Standard_DS3_v2)."
DEPLOYMENT_NEEDS_SCRIPT = ("Deployment '{name}' has no scoring script, which only an MLflow model (type mlflow_model) "
                           "can do without: give code_configuration=CodeConfiguration(code=..., scoring_script=...) "
                           "and an environment.")
DEPLOYMENT_SCRIPT_MISSING = "The scoring script '{script}' is not in the deployment's code folder."
DEPLOYMENT_NEEDS_ENVIRONMENT = "Deployment '{name}' has a scoring script but no environment to run it in."
DEPLOYMENT_FAILED = ("Deployment '{name}' of endpoint '{endpoint}' failed: the scoring container could not start "
                     "({detail}). Read its log: ml_client.online_deployments.get_logs(name='{name}', "
                     "endpoint_name='{endpoint}', lines=50).")
DEPLOYMENT_START_INTERRUPTED = ("the process that started it ended before its container was recorded; run "
                                "begin_create_or_update again")
DEPLOYMENT_HAS_TRAFFIC = ("Deployment '{name}' still gets {percent}% of endpoint '{endpoint}''s traffic: give its "
                          "traffic to other deployments (or set it to 0) before deleting it.")
SCORING_ENDPOINT_NOT_FOUND = "No online endpoint named '{name}' exists in region {region}."
SCORING_DEPLOYMENT_NOT_FOUND = "Deployment '{name}' was not found in online endpoint '{endpoint}'."
SCORING_NO_TRAFFIC = ("Endpoint '{endpoint}' has no deployment with traffic: set endpoint.traffic (e.g. {{\"blue\": "
                      "100}}) or name a deployment with the azureml-model-deployment header (deployment_name=...).")
SCORING_DEPLOYMENT_NOT_READY = "Deployment '{name}' cannot answer: its provisioning state is {state}."
SCORING_TIMEOUT = "Deployment '{name}' did not answer in time (request_timeout_ms of its request_settings)."
SCORING_UNREACHABLE = "Deployment '{name}' could not be reached: {error}."
SCORING_BODY_TOO_LARGE = ("The request body is {size} bytes; a scoring request may carry at most {limit} bytes. "
                          "Send fewer rows per request (split the input into batches).")
SCORING_ROUTE_UNKNOWN = ("No web service answers at {path}: a scoring address reads /_sim/score/<subscription>/"
                         "<resource group>/<workspace>/<service>/score. Use the service's scoring_uri as the SDK "
                         "gives it.")
SCORING_SERVICE_NOT_SERVING = ("Web service '{name}' cannot answer: it is {state}. Wait for it with "
                               "service.wait_for_deployment(show_output=True), or read service.get_logs().")
SCORING_SERVICE_UNREACHABLE = ("Web service '{name}' did not answer ({error}). Read service.get_logs() for what its "
                               "entry script did, then call the service again.")
DEPLOYMENT_MODEL_ID_INVALID = ("The model '{model}' is not a model of this workspace: give its ARM id "
                               "(.../models/<name>/versions/<version>) or azureml:<name>:<version>.")
DEPLOYMENT_CODE_ID_INVALID = "The code '{code}' is not a code asset of this workspace (.../codes/<name>/versions/<v>)."
DEPLOYMENT_LOG_TAIL = "'tail' must be a whole number of lines, not {tail!r}."


# ---- SDK v2 environments, command jobs and MLflow's azureml:// scheme (sim.client.mlflow_plugin, sim.rest) ----
MLFLOW_URI_NOT_A_WORKSPACE = ("{uri} is not a workspace tracking URI; it reads azureml://<region>.api.azureml.ms/"
                              "mlflow/v1.0/subscriptions/<sub>/resourceGroups/<rg>/providers/"
                              "Microsoft.MachineLearningServices/workspaces/<workspace> (ws.mlflow_tracking_uri).")
MLFLOW_WORKSPACE_NOT_FOUND = ("The workspace '{workspace}' (resource group '{resource_group}') that the tracking URI "
                              "{uri} names does not exist.")
MLFLOW_ARTIFACT_PATH_UNSAFE = ("The artifact path '{path}' leaves its folder (it is absolute or holds '..', '~' or "
                               "a backslash); name artifacts by relative paths such as 'model/MLmodel'.")
MLFLOW_ARTIFACT_AREA_UNKNOWN = ("The artifact path '{path}' names none of the workspace's artifact areas ({areas}); "
                                "use the artifact URI MLflow reports for the run or model (run.info.artifact_uri).")
MLFLOW_ARTIFACT_READ_ONLY = ("'{path}' is among the files of a registered model version (area '{area}'), which do "
                             "not change once registered; register a new version instead.")
MLFLOW_ARTIFACT_IS_A_FOLDER = ("'{path}' is a folder, not a file: list it (MlflowClient().list_artifacts) or "
                               "download it with mlflow.artifacts.download_artifacts.")
MLFLOW_ARTIFACT_NO_DELETE = ("Deleting artifacts ('{path}') is not simulated: the workspace keeps the files its runs "
                             "and models logged.")
MLFLOW_ARTIFACT_ASYNC_UPLOAD = ("Uploads from an asynchronous stream are not simulated by the workspace's artifact "
                                "proxy; log the file with mlflow.log_artifact.")
MLFLOW_BODY_TOO_LARGE = ("The request body ({size} bytes) is over the {limit}-byte limit of the workspace's MLflow "
                         "service; log smaller artifacts (split a large file, or save the model without its data).")
MLFLOW_ARTIFACT_LOCATION_CHOSEN = ("The workspace chooses where an experiment's artifacts live, so '{location}' "
                                   "cannot be used: create the experiment without artifact_location.")
MLFLOW_ARTIFACT_URI_NOT_SERVED = ("{uri} is not an artifact URI of a simulated workspace (azureml://<region>."
                                  "api.azureml.ms/mlflow/v2.0/subscriptions/.../workspaces/<workspace>/artifacts/...): "
                                  "use the URI MLflow reports, or a runs:/ or models:/ URI.")
ENV_NOT_FOUND = "Environment '{name}' was not found in this workspace (nor among the curated environments)."
ENV_VERSION_NOT_FOUND = "Environment '{name}' has no version '{version}'."
ENV_RESERVED_NAME = ("Environment names starting with 'AzureML' are reserved for curated environments; '{name}' "
                     "cannot be created or changed.")
ENV_VERSION_IMMUTABLE = ("Environment '{name}' version '{version}' already exists with a different definition; "
                         "environment versions cannot be changed: create a new version.")
ENV_LABEL_UNKNOWN = "Label '{label}' of environment '{name}' is not known; the simulated service knows 'latest'."
ENV_REFERENCE_INVALID = ("'{reference}' does not name an environment version: use azureml:<name>:<version>, "
                         "<name>@latest, an environment ARM id or azureml://registries/azureml/environments/<name>/"
                         "labels/latest.")
JOB_INPUT_UNSUPPORTED = ("Job inputs of type '{kind}' are not simulated; use literal values or uri_file, uri_folder "
                         "and mltable inputs with a path.")
JOB_BINDING_UNKNOWN = ("The command refers to ${{{{{kind}.{name}}}}}, but the job has no {kind} named '{name}'; add "
                       "it to the job's {kind} or fix the command.")
JOB_NOT_FOUND = "Job '{name}' was not found in this workspace."
JOB_EXISTS = ("A job (or run) named '{name}' already exists in this workspace; job names are unique: submit with "
              "another name (or none, to get a new one).")
JOB_COMMAND_REQUIRED = "A command job needs a command (for example 'python train.py')."
JOB_CODE_INVALID = "'{code}' does not name a code asset version (.../codes/<name>/versions/<version>)."
JOB_CODE_MISSING = "The files of code asset '{code}' are missing from storage; submit the job again to upload them."
JOB_TIMEOUT_INVALID = "limits.timeout '{value}' is not an ISO 8601 duration (such as PT1H30M) or a number of seconds."
JOB_TYPE_NOT_SIMULATED = ("Jobs of type '{kind}' are not simulated yet; command jobs (azure.ai.ml.command(...)) and "
                          "sweep jobs (command(...).sweep(...)) are.")

# ---- SDK v2 compute and workspace creation (sim.rest.compute, sim.rest.deployments, sim.cloud.arm) ----
REST_COMPUTE_NOT_FOUND = ("The Resource 'Microsoft.MachineLearningServices/workspaces/{workspace}/computes/{name}' "
                          "under resource group '{resource_group}' was not found.")
REST_COMPUTE_TYPE_UNSUPPORTED = ("computeType '{type}' is not simulated: create an AmlCompute cluster or a "
                                 "ComputeInstance.")
REST_COMPUTE_TYPE_CHANGE = ("Compute '{name}' already exists in workspace '{workspace}' as {existing}; it cannot "
                            "become {requested}. Delete it first or choose another name.")
REST_COMPUTE_INSTANCE_EXISTS = ("Compute instance '{name}' already exists in workspace '{workspace}' with another VM "
                                "size, which cannot be changed; delete it first or choose another name.")
REST_COMPUTE_NODES_CLUSTER_ONLY = "Compute '{name}' is a {type}: only an AmlCompute cluster has nodes to list."
REST_COMPUTE_DELETE_ACTION = "underlyingResourceAction must be Delete or Detach, not '{action}'."
REST_DURATION_INVALID = "'{value}' is not an ISO 8601 duration such as PT2M or PT120S ({field})."
REST_FIELD_NOT_OBJECT = "'{field}' must be a JSON object."
REST_OPERATION_NOT_FOUND = "The operation '{id}' was not found."
REST_LOCATION_UNKNOWN = "The location '{location}' is not a region where Azure Machine Learning is available."
ARM_TEMPLATE_SHAPE = "The template is not valid: it must be a JSON object whose 'resources' is a list of objects."
ARM_PARAMETER_CYCLE = "The default value of the template parameter '{name}' refers to itself."
ARM_PROPERTY_MISSING = "The language expression property '{name}' doesn't exist."
ARM_ARGUMENT_COUNT = "The template function '{name}' expects {count} arguments."
ARM_JSON_INVALID = "The template function 'json' got '{text}', which is not valid JSON."
ARM_RESOURCE_ID_INVALID = ("Unable to evaluate the template function 'resourceId': {parts} do not give a resource "
                           "type (Provider.Namespace/type) followed by one name per type segment.")
ARM_COPY_UNSUPPORTED = "Resource '{name}' uses a copy loop, which this simulator does not deploy."
ARM_RESOURCE_NAME_MISSING = "A resource of type '{type}' in the template has no name."
ARM_DEPLOYMENT_FAILED = ("At least one resource deployment operation failed. {target}: ({code}) {message}")
ARM_DEPLOYMENT_NOT_FOUND = "Deployment '{name}' could not be found in resource group '{resource_group}'."
REST_DEPLOYMENT_PARAMETER_VALUE = ("The deployment parameter '{name}' must be an object with a 'value' (Key Vault "
                                   "references are not simulated).")
REST_DEPLOYMENT_LINK_UNSUPPORTED = ("templateLink and parametersLink are not simulated (there is no network): send the "
                                    "template and its parameters in the request body.")
REST_WORKSPACE_DEPENDENT_RESOURCE = ("Changing a workspace's {field} (to '{value}') is not simulated: each simulated "
                                     "workspace keeps the resources it was created with.")
REST_RESOURCE_NOT_FOUND = "The Resource '{type}/{name}' under resource group '{resource_group}' was not found."

# --- Studio page (sim.studio, sim.studio_v2): requests sent from the endpoint test panel ------------------------
STUDIO_REQUEST_NOT_JSON = "The request body is not valid JSON ({reason}); fix it and send again."
STUDIO_SCORING_FAILED = "Deployment '{deployment}' answered HTTP {status}: {body}"

# ---- Sweeps: the hyperparameter sweep engine shared by SDK v1's HyperDrive and SDK v2's sweep jobs (sim.cloud.sweeps)
SWEEP_NO_OPTIONS = "{distribution}() needs at least one option to sample from."
SWEEP_NOT_NUMBERS = "{distribution}() takes numbers; got {values!r}."
SWEEP_RANGE_EMPTY = "{distribution}() needs min_value < max_value; got {low} and {high}."
SWEEP_RANDINT_UPPER = "randint() needs an upper bound of at least 1; got {upper!r}."
SWEEP_Q_NOT_POSITIVE = "{distribution}() needs a step q greater than 0; got {q!r}."
SWEEP_DISTRIBUTION_UNKNOWN = ("Parameter '{name}' uses '{distribution}', which is not a distribution of the search "
                              "space; use one of {known}.")
SWEEP_NOT_AN_EXPRESSION = ("Parameter '{name}' must be a parameter expression such as choice(...) or uniform(...), "
                           "not {expression!r}.")
SWEEP_SPACE_EMPTY = ("The search space must be a non-empty dict of {{name: expression}}, e.g. "
                     "{{'--learning_rate': choice(0.01, 0.1)}}.")
SWEEP_UNSUPPORTED_DISTRIBUTION = ("{sampler} does not support '{distribution}' (parameter '{name}'); it supports "
                                  "only {supported}.")
SWEEP_SAMPLING_UNKNOWN = "Sampling algorithm '{algorithm}' is not known; use grid, random or bayesian."
SWEEP_SOBOL_NOT_SIMULATED = ("Random sampling with rule 'sobol' is not simulated; use rule='random' (the default) "
                             "or leave the rule out.")
SWEEP_LOGBASE_NOT_SIMULATED = ("Random sampling with logbase {logbase!r} is not simulated: the log distributions "
                               "use base e; leave logbase out.")
SWEEP_POLICY_UNKNOWN = ("Early termination policy '{policy}' is not known; use a BanditPolicy, MedianStoppingPolicy "
                        "or TruncationSelectionPolicy (or none).")
SWEEP_POLICY_WITH_BAYESIAN = ("No early termination policy is supported with Bayesian sampling: remove the policy "
                              "(or choose grid or random sampling).")
SWEEP_POLICY_SETTING = "The policy's {setting} must be {expected}; got {value!r}."
SWEEP_GOAL_INVALID = "The goal of the primary metric must be Maximize or Minimize; got {goal!r}."
SWEEP_METRIC_REQUIRED = "A sweep needs the name of the primary metric its trials log (objective.primary_metric)."
SWEEP_LIMIT_INVALID = "limits.{limit} must be a whole number of at least 1; got {value!r}."
SWEEP_TRIAL_REQUIRED = "A sweep job needs a trial: the command, code and environment each trial runs."
SWEEP_SEARCH_SPACE_UNKNOWN = ("The trial's command refers to ${{{{search_space.{name}}}}}, but the search space has "
                              "no parameter '{name}'; add it to the search space or fix the command.")
SWEEP_ALL_TRIALS_FAILED = "All {count} trials of the sweep failed or were canceled; read a trial's log."
HYPERDRIVE_SETTINGS_KEYS = ("A HyperDrive sweep's settings must name exactly {expected}; got {given}. Build them with "
                            "HyperDriveConfig(...) and submit it with experiment.submit(config).")
HYPERDRIVE_SETTING_INVALID = "The HyperDrive setting {setting} must be {expected}; got {value!r}."
HYPERDRIVE_NOT_A_SWEEP = ("Run '{run_id}' is a '{run_type}' run, not a HyperDrive run: only a sweep's parent run "
                          "(HD_...) has children chosen by a sweep; open it with Run(experiment, run_id).")

# --- Pipeline jobs (sim/cloud/pipelines) ---
PIPELINE_EMPTY = "Pipeline job '{name}' has no nodes: a @pipeline function must call at least one component."
PIPELINE_NODE_KIND = ("Node '{node}' is a {kind} node; only command components run in simulated pipelines so far "
                      "(sweep, parallel and AutoML nodes are not simulated yet).")
PIPELINE_COMPONENT_INVALID = ("Node '{node}' names component '{component}', which is not a registered component "
                              "version (…/components/<name>/versions/<version>).")
PIPELINE_BINDING_UNKNOWN = ("Node '{node}' refers to {kind} '{name}', which does not exist; check the component's "
                            "input and output names and the nodes of the pipeline.")
PIPELINE_INPUT_REQUIRED = ("Node '{node}' leaves input '{name}' unbound, and its component gives it no default: "
                           "pass it when calling the component in the pipeline.")
PIPELINE_CYCLE = ("The pipeline's nodes {nodes} read each other's outputs in a cycle; a pipeline must be a graph "
                  "without cycles.")
PIPELINE_NODE_FAILED = "Node '{node}' (child job {job}) failed, so the pipeline stopped; read that job's std_log.txt."

# --- The azureml registry's built-in components (sim/cloud/registry, sim/rest/registries) ---
REGISTRY_NOT_FOUND = ("Registry '{registry}' does not exist in the simulated Azure; the only registry here is "
                      "'{known}' (Microsoft's built-in components and curated environments).")
REGISTRY_COMPONENT_NOT_FOUND = ("Registry '{registry}' has no component '{name}' (version {version}); the simulated "
                                "registry serves the Responsible AI components: {known}.")
REGISTRY_CODE_NOT_FOUND = "Code asset {code} is not in the simulated azureml registry."
PUBLISHED_PIPELINE_NOT_FOUND = "No published pipeline (or schedule) with id '{id}' exists in this workspace."
PUBLISHED_PIPELINE_DISABLED = "Published pipeline '{name}' is disabled; enable it (published_pipeline.enable()) first."
PIPELINE_PARAMETER_CONFLICT = ("Two steps use a PipelineParameter named '{name}' with different default values; "
                               "give one parameter object to both steps, or give the parameters different names.")
PIPELINE_PARAMETER_UNKNOWN = ("The pipeline has no parameter {names}; its parameters: {known}. Check the names in "
                              "pipeline_parameters (or ParameterAssignments).")
PIPELINE_PARAMETER_NOT_LITERAL = ("Pipeline parameter '{name}' takes a string, number or boolean, not {value!r}; "
                                  "pass a plain value.")
PIPELINE_PARAMETER_NOT_DATAPATH = ("Pipeline parameter '{name}' is a data path: give it a DataPath(datastore, "
                                   "path_on_datastore) (over REST, DataPathAssignments with DataStoreName and "
                                   "RelativePath), not {value!r}.")
PIPELINE_PARAMETER_NAME = "A PipelineParameter needs a name (a non-empty string); got {name!r}."
PIPELINE_PARAMETER_DEFAULT = ("PipelineParameter '{name}' needs a default_value that is a string, number, boolean, "
                              "DataPath or dataset; got {type_name}.")
PIPELINE_PARAMETER_NOT_DATASET = ("PipelineParameter '{name}' is consumed as a dataset, so its default_value must be a "
                                  "TabularDataset or FileDataset.")
PIPELINE_PARAMETER_NOT_A_DATASET = ("Pipeline parameter '{name}' is a dataset: give it a dataset (over REST, "
                                    "DataSetDefinitionValueAssignments with a SavedDataSetReference Id), not "
                                    "{value!r}.")
PIPELINE_ENDPOINT_EXISTS = ("A pipeline endpoint named '{name}' already exists in this workspace; add your "
                            "pipeline to it (PipelineEndpoint.get(ws, name=...).add_default(pipeline)) or choose "
                            "another name.")
PIPELINE_ENDPOINT_NOT_FOUND = "No pipeline endpoint with id or name '{key}' exists in this workspace."
PIPELINE_ENDPOINT_NO_VERSION = ("Pipeline endpoint '{name}' has no version '{version}'; its versions: {versions}.")
PIPELINE_ENDPOINT_DISABLED = "Pipeline endpoint '{name}' is disabled; enable it (pipeline_endpoint.enable()) first."
SCHEDULE_TRIGGER_REQUIRED = ("A schedule needs exactly one trigger: a recurrence (ScheduleRecurrence) or a datastore "
                             "to watch (datastore=...), not both and not neither.")
SCHEDULE_POLLING_INTERVAL = "polling_interval must be a whole number of minutes, at least 1; got {value!r}."
AUTOML_STEP_NO_DATA = ("The AutoML step found no files to read at '{path}': the step that writes its training data "
                       "wrote nothing there.")
AUTOML_STEP_DATA_KIND = ("An AutoMLStep reads its training_data from a TabularDataset or from an earlier step's "
                         "output read as delimited files (OutputFileDatasetConfig.read_delimited_files()); got "
                         "{type_name}.")
AUTOML_STEP_NOT_AUTOML = "An AutoMLStep needs an AutoMLConfig as automl_config; got {type_name}."
AUTOML_DATA_KIND = ("AutoML training and validation data must be a TabularDataset (or a pandas DataFrame), not "
                    "{type_name}; make one with Dataset.Tabular.from_delimited_files(...).")
AUTOML_FRAME_NOT_PARQUET = ("This DataFrame cannot be sent to the AutoML service ({problem}): a column mixes types "
                            "Parquet cannot hold; give each column one type, or register the data as a TabularDataset "
                            "and pass that.")
TRAINING_OUTPUT_TYPE = "TrainingOutput type must be 'Metrics' or 'Model'; got {type!r}."
PIPELINE_PARAMETERS_NOT_DICT = "pipeline_parameters must be a dict of parameter name to value; got {type_name}."
PIPELINE_OUTPUT_UNKNOWN = ("Pipeline run {run_id} has no pipeline output named '{name}'; give a step's PipelineData "
                           "pipeline_output_name='{name}'.")
PIPELINE_ENDPOINT_GET_NEEDS_KEY = "PipelineEndpoint.get needs the endpoint's id or its name."
PIPELINE_ENDPOINT_NOT_A_VERSION = ("Published pipeline {pipeline_id} is not a version of pipeline endpoint "
                                   "'{name}'; add it with add_default(pipeline).")
ESTIMATOR_STEP_NEEDS_ESTIMATOR = ("EstimatorStep needs estimator: an Estimator (or SKLearn) whose entry script the "
                                  "step runs; got {type_name}.")
ESTIMATOR_STEP_NEEDS_ARGUMENTS = ("EstimatorStep needs estimator_entry_script_arguments: a list of the script's "
                                  "command-line arguments (an empty list if it takes none).")
ESTIMATOR_STEP_NEEDS_COMPUTE = "EstimatorStep needs compute_target: the compute target (or its name) the step runs on."
AUTOML_STEP_OUTPUT_KIND = ("An AutoMLStep's outputs are PipelineData with training_output=TrainingOutput('Model') or "
                           "TrainingOutput('Metrics'); got {output!r}.")
DATAPATH_BINDING_MODE = "DataPathComputeBinding mode must be 'mount' or 'download'; got {mode!r}."
SCHEDULE_FREQUENCY_INVALID = ("ScheduleRecurrence frequency must be Minute, Hour, Day or Week here (Month is not "
                              "simulated yet); got {frequency!r}.")
SCHEDULE_NOT_FOUND = "No schedule with id '{id}' exists in this workspace."
PUBLISHED_PIPELINE_NO_TOKEN = ("The request has no Authorization header: send the one "
                               "InteractiveLoginAuthentication().get_authentication_header() returns.")
PUBLISHED_PIPELINE_NO_EXPERIMENT = 'The request body must name the experiment: {"ExperimentName": "<name>"}.'
# An SDK v1 pipeline graph as a client sends it to the service (sim/cloud/pipelines/graphs.py)
PIPELINE_V1_NO_STEPS = "A pipeline needs at least one step: give Pipeline(workspace, steps=[...]) a list of steps."
PIPELINE_STEP_INVALID = ("Pipeline step {index} cannot be run: {problem}. Build steps with PythonScriptStep, "
                         "ParallelRunStep or AutoMLStep.")
PIPELINE_STEP_BAD_BINDING = ("A pipeline step names data the service cannot use: {binding}. Give a step datasets "
                             "(as_named_input), OutputFileDatasetConfig or PipelineData objects.")
PIPELINE_STORE_BAD_KEY = "'{key}' is not a {kind} id: ids are letters, digits and dashes."
PIPELINE_STATUS_INVALID = "Status must be 'Active' or 'Disabled'; got {status!r}."
PARALLEL_OUTPUT_ACTION = "output_action must be 'append_row' or 'summary_only'; got {action!r}."
PARALLEL_ERROR_THRESHOLD = ("error_threshold must be a whole number: how many failed items to tolerate, or -1 for "
                            "any number; got {value!r}.")
PARALLEL_NO_INPUTS = "A ParallelRunStep needs inputs: a list of FileDataset or TabularDataset inputs."
PARALLEL_INIT_FAILED = ("The entry script {script} failed to start in a worker process (it could not be loaded, "
                        "or its init() raised), so no mini-batch was scored. Its traceback is in the step's log: "
                        "fix what init() needs and run the job again.")
STEP_OUTPUT_UNKNOWN = "Step '{step}' has no output called '{name}'; its outputs: {outputs}."
BATCH_ENDPOINT_NOT_FOUND = "Batch endpoint '{name}' does not exist in this workspace."
BATCH_DEPLOYMENT_NOT_FOUND = "Batch endpoint '{endpoint}' has no deployment '{name}'."
BATCH_DEPLOYMENT_IS_DEFAULT = ("Deployment '{name}' is the default of batch endpoint '{endpoint}'; make another "
                               "deployment the default (endpoint.defaults.deployment_name) before deleting it.")
BATCH_DEPLOYMENT_NEEDS_SCRIPT = ("Batch deployment '{name}' has no scoring script, and only an MLflow model can be "
                                 "deployed without one: give code_configuration (code and scoring_script).")
BATCH_DEPLOYMENT_NEEDS_COMPUTE = "Batch deployment '{name}' needs a compute cluster (compute='<cluster name>')."
BATCH_ENDPOINT_NO_DEFAULT = ("Batch endpoint '{endpoint}' has no deployment to run: create one, or name it with "
                             "deployment_name=.")
BATCH_INPUT_NOT_FOUND = "The batch job's input '{uri}' does not exist: register the data or check its path."
BATCH_INPUT_REQUIRED = ("A batch job needs one input: invoke(endpoint_name=..., input=Input(type='uri_folder', "
                        "path=...)) with a data asset, a datastore path or a folder.")
BATCH_ENDPOINT_NAME_TAKEN = ("A batch endpoint named '{name}' already exists in region {region} (endpoint names are "
                             "unique in a region, since the address names them); choose another name.")

# ---- responsible AI on a run: model explanations and fairness dashboards (sim/cloud/runs/assessments.py) ----
ASSESSMENT_NOT_FOUND = ("Run {run_id} has no {kind} with id '{id}'; the ids stored on it are: {known}. "
                        "Upload one first, or use one of those ids.")
ASSESSMENT_NONE_ON_RUN = ("Run {run_id} has no {kind} yet; upload one first "
                          "(ExplanationClient.upload_model_explanation or "
                          "azureml.contrib.fairness.upload_dashboard_dictionary).")
ASSESSMENT_NOT_JSON = ("The {kind} could not be stored: {error}. Pass the dictionary fairlearn's "
                       "_create_group_metric_set returns (or an explanation from TabularExplainer).")
ASSESSMENT_KIND = "'{kind}' is not a kind of item a run keeps; the kinds are: {kinds}."
DASHBOARD_DICT_INVALID = ("dashboard_dict is not a fairness dashboard dictionary: {problem}. Build it with "
                          "fairlearn.metrics._group_metric_set._create_group_metric_set(y_true=..., predictions=..., "
                          "sensitive_features=..., prediction_type='binary_classification').")
EXPLANATION_INVALID = ("upload_model_explanation needs an explanation made by TabularExplainer "
                       "(explain_global or explain_local), not {kind}.")
EXPLAINER_MODEL_INVALID = ("TabularExplainer needs a fitted model with predict_proba (a classifier) or predict (a "
                           "regressor); {kind} has neither.")
EXPLAINER_FEATURES_MISMATCH = ("TabularExplainer was given {names} feature names for data with {columns} columns; "
                               "pass one name per column (features=[...]) or leave features out.")
EXPLANATION_CLIENT_NEEDS_RUN = ("Make the ExplanationClient with ExplanationClient.from_run(run) or "
                                "ExplanationClient.from_run_id(workspace, experiment_name, run_id).")

# ---------------------------------------------------------------------------------------------------
# SIM-SERVICE: the simulated cloud as its own process (sim.service)
# ---------------------------------------------------------------------------------------------------

SIM_SERVICE_BAD_MODE = ("{env}={value!r} is not a service mode: use 'inprocess' (the simulated Azure answers in this "
                        "process) or 'process' (it answers from its own service process).")
SIM_SERVICE_BAD_IDLE = ("{env}={value!r} is not a number of seconds: set it to how long the simulated Azure service "
                        "may stay idle before it stops (for example 600), or unset it.")
SIM_SERVICE_START_FAILED = ("The simulated Azure service for {home} could not start: {reason}. Its log is {log}; "
                            "`dp100 service status` shows its state and `dp100 doctor` checks the installation.")
SIM_SERVICE_START_TIMEOUT = "it did not answer within {seconds:.0f} s"
SIM_SERVICE_EXITED = "it exited with code {code} before answering"
SIM_SERVICE_UNREACHABLE = ("The simulated Azure service for {home} stopped answering during {method} {url} ({reason}). "
                           "Run the cell again: the service restarts on the next call.")
SIM_SERVICE_TOKEN_REQUIRED = ("This simulated Azure service answers only callers that send this home's service token "
                              "(header {header}, or 'Authorization: Bearer' for MLflow via MLFLOW_TRACKING_TOKEN).")
SIM_SERVICE_CALL_NOT_ALLOWED = ("{target} cannot be called through the simulated Azure service: only the sim.cloud "
                                "functions in sim.service.calls.ALLOWED can.")
SIM_SERVICE_CALL_BAD_REQUEST = ("A call to the simulated Azure service must be a JSON object with 'module' and "
                                "'function' (strings), 'args' (a list) and 'kwargs' (an object): {problem}.")
SIM_SERVICE_VALUE_NOT_ENCODABLE = ("Values of type {type} cannot travel to or from the simulated Azure service; "
                                   "pass plain values (text, numbers, lists, dicts, paths, dates or the service's own "
                                   "records).")
SIM_SERVICE_NOT_RUNNING = "No simulated Azure service is running for {home}."
SIM_SERVICE_STATE_HIDDEN = ("{what} needs the simulated Azure's state, which this sandboxed lab kernel cannot see: "
                            "here the SDK reaches Azure only through the simulated Azure service, and this part of "
                            "it does not go through the service yet. Run this lab without the hidden home "
                            "(DP100_SANDBOX_HIDE_HOME=0), or use an SDK call that the service offers.")
SIM_SERVICE_NOT_ROUTED = ("{target} is not available when the simulated Azure runs as its own service "
                          "(DP100_SERVICE=process): the service does not offer it yet. Use DP100_SERVICE=inprocess "
                          "for this lab, or an SDK call that the service offers.")
SIM_SERVICE_GONE_FOR_KERNEL = ("The simulated Azure service for this lab is not answering at {socket} ({reason}). "
                               "Restart the lab's kernel: the app starts the service again before the kernel starts.")
DATASET_FILE_NOT_IN_DATASET = ("The dataset reads no file '{path}'; FileDataset.to_path() lists the paths it "
                               "reads.")
SIM_SERVICE_NOT_A_FILE_HERE = ("{path} lies in this kernel's private /tmp, which the simulated Azure service cannot "
                               "see: save the file in the lab folder and upload it from there.")
SIM_SERVICE_PATH_OUT_OF_REACH = ("The simulated Azure service does not act on {path}: this sandboxed process cannot "
                                 "write there itself (Azure never reads or writes its caller's disk outside the "
                                 "files the caller hands over). Use a path in the lab folder, or in the job's "
                                 "folder for a job.")

# ---------------------------------------------------------------------------------------------------
# SIM-PRIVACY: opendp.smartnoise (differential privacy, notebook 13) and azureml.datadrift (data drift)
# ---------------------------------------------------------------------------------------------------

DP_OUTSIDE_ANALYSIS = ("SmartNoise components are made inside an analysis: write `with sn.Analysis() as analysis:` "
                       "and build the dataset and statistics in that block.")
DP_NOT_RELEASED = "{name} has no value yet: call analysis.release() after the `with sn.Analysis()` block first."
DP_NOT_PRIVATE = ("{name} is not differentially private, so it is never released: only dp_* statistics have a "
                  "value (for example sn.dp_mean(...)).")
DP_NEIGHBORING = "neighboring={value!r} is not known: use 'substitute' (the default) or 'add_remove'."
DP_DATASET_SOURCE = "sn.Dataset needs exactly one source: path='file.csv' or value=<rows>."
DP_COLUMN_NAMES = ("sn.Dataset was given {names} column names for data with {columns} columns: pass one name per "
                   "column (column_names=list(df.columns)).")
DP_COLUMN_UNKNOWN = "The dataset has no column {column!r}; its columns are: {known}."
DP_BOUNDS_REQUIRED = ("{what} needs the bounds of the data ({lower} and {upper}): differential privacy adds noise "
                      "in proportion to how far one row can move the result, which the bounds decide.")
DP_BOUNDS_ORDER = "{what}: the lower bound {lower} is above the upper bound {upper}; swap them."
DP_ROWS_REQUIRED = ("{what} needs the number of rows (data_rows=, a positive whole number, for example "
                    "len(df)): the noise of a mean depends on it.")
DP_PRIVACY_USAGE = ("{what} needs privacy_usage={{'epsilon': <a positive number>}} (and 'delta' for Gaussian noise); "
                    "it was given {given!r}.")
DP_EPSILON_INVALID = ("epsilon must be a number above 0 (smaller means more privacy and more noise), not "
                      "{epsilon!r}.")
DP_DELTA_INVALID = "delta must be a number in [0, 1), usually tiny such as 1e-6; it was {delta!r}."
DP_GAUSSIAN_NEEDS_DELTA = ("Gaussian noise needs a delta above 0: pass privacy_usage={'epsilon': ..., 'delta': 1e-6}, "
                           "or use mechanism='Laplace'.")
DP_MECHANISM_UNKNOWN = "mechanism={name!r} is not known: use one of {known}."
DP_HISTOGRAM_BINS = "sn.dp_histogram needs either edges=[...] (numeric bins) or categories=[...], not both or neither."
DP_COVARIANCE_PAIR = "sn.dp_covariance needs two columns: left=... and right=..., each with its bounds and rows."
DP_COVARIANCE_ROWS = "dp_covariance: left_rows ({left}) and right_rows ({right}) must be the same number of rows."
DP_METADATA_FILE = "The metadata file {path} could not be read ({error}); check the path and that it is YAML."
DP_METADATA_SHAPE = ("The metadata in {source} is not in SmartNoise's layout ({problem}): it needs "
                     "<collection>: <schema>: <table>: with one entry per column (type: int|float|boolean|string, "
                     "and lower/upper for numbers).")
SQL_READER_ARGUMENTS = ("PandasReader takes the data frame first and the metadata second: "
                        "PandasReader(df, metadata); it was given {first} and {second}.")
SQL_PRIVATE_READER = ("PrivateReader needs a reader (PandasReader(df, meta)) and the CollectionMetadata; "
                      "it was given {given}.")
SQL_SYNTAX = ("The query could not be read: {problem}. Queries look like SELECT col, AVG(x) AS avg_x FROM "
              "schema.table [WHERE ...] [GROUP BY col] [ORDER BY ...] [LIMIT n].")
SQL_TABLE_UNKNOWN = "The metadata has no table {table!r}; its tables are: {known}."
SQL_COLUMN_UNKNOWN = "Table {table!r} has no column {column!r}; its columns are: {known}."
SQL_NO_AGGREGATE = ("A private reader answers only aggregates (COUNT, SUM, AVG, VAR, STDDEV); {column!r} is neither "
                    "an aggregate nor a GROUP BY column.")
SQL_AGGREGATE_NOT_SIMULATED = ("{function}() is not simulated by this offline SmartNoise; use COUNT, SUM, AVG, VAR or "
                               "STDDEV.")
SQL_NOT_NUMERIC = "{function}({column}) needs a numeric column with lower and upper bounds in the metadata."
SQL_PRIVATE_ID = "{column!r} is the table's private identifier: it cannot be grouped by or aggregated."
SQL_EXECUTE_FAILED = "The query failed on the data: {error}."
DRIFT_FREQUENCY = "frequency={value!r} is not a data drift frequency: use 'Day', 'Week' or 'Month'."
DRIFT_THRESHOLD = ("drift_threshold={value!r} is not valid: it is a fraction between 0 and 1 of the drift magnitude "
                   "(for example 0.3 for 30%).")
DRIFT_LATENCY = "latency={value!r} is not valid: it is the number of hours new data takes to arrive (a whole number)."
DRIFT_FEATURES = "feature_list must be a list of column names (strings); it was {value!r}."
DRIFT_NAME = "A data drift monitor needs a name (a non-empty string); it was {name!r}."
DRIFT_EXISTS = ("A data drift monitor named '{name}' already exists in this workspace: get it with "
                "DataDriftDetector.get_by_name(ws, '{name}') or choose another name.")
DRIFT_NOT_FOUND = ("No data drift monitor named '{name}' exists in this workspace; create one with "
                   "DataDriftDetector.create_from_datasets(...).")
DRIFT_DATASET_TYPE = ("{argument} must be a TabularDataset (Dataset.Tabular.from_delimited_files(...)), not "
                      "{type_name}.")
DRIFT_TARGET_TIMESTAMP = ("The target dataset has no timestamp column, so its rows cannot be put in periods: define "
                          "one with target.with_timestamp_columns('date') (or a partition_format with {date:...}) "
                          "and register it again.")
DRIFT_DATES = "The start date {start} is after the end date {end}: give the earlier date first."
DRIFT_DATETIME = "{argument} must be a datetime.datetime (for example datetime.datetime.now()), not {type_name}."
DRIFT_COMPUTE_MISSING = ("Compute target is not available. Name: {name}. Create the cluster first, or pass "
                         "create_compute_target=True to let the monitor create it.")
DRIFT_FEATURES_MISSING = ("The features {missing} are not in both the baseline and the target dataset; the columns "
                          "they share are: {shared}.")
DRIFT_ALERT_OFFLINE = ("Drift above the {threshold:.0f}% threshold in {count} period(s): the service would email an "
                       "alert to {emails}; this offline workspace sends no email.")
DRIFT_BOTH_RUN_AND_TIMES = "Either run_id or start_time/end_time should be None: pass one way of choosing results."
DRIFT_SCHEDULE_NOT_SIMULATED = ("Scheduled drift runs are not simulated: enable_schedule records the schedule (state "
                                "Enabled) but runs nothing by itself; use backfill(...) or run(...) to compare now.")
DRIFT_ALERT_EMAILS = "email_addresses must be a list of email addresses (strings), not {type_name}."
DRIFT_ALERT_CONFIG = ("alert_config must be an AlertConfiguration (AlertConfiguration(['you@contoso.com'])), not "
                      "{type_name}.")
DRIFT_METRIC_PROPERTY = "Extended property {key!r} must be a string, number or boolean, not {type_name}."
DRIFT_NOT_UPDATABLE = ("A data drift monitor's {names} cannot be changed after it is created (update changes only "
                       "{allowed}); create a new monitor for other datasets or another frequency.")
DRIFT_STATE = "state={value!r} is not a data drift monitor state: use 'Enabled', 'Disabled' or 'Deleted'."
PROFILE_NOT_FOUND = "Model profiling result with name {name} not found in provided workspace"
PROFILE_INIT_FAILED = ("Profiling failed: the scoring script's init() did not start the server ({detail}). "
                       "Fix the entry script (its traceback is in the error logs, errorLogsUri) and profile again.")
PROFILE_REQUESTS_FAILED = ("Profiling failed: {failed} of {total} sample requests were refused by the scoring script; "
                           "the first: {first}. Each row of the input dataset must be a request body your run() "
                           "accepts (a JSON string); see the error logs (errorLogsUri).")
PROFILE_NAME_EMPTY = "profile_name cannot be None or empty."
PROFILE_NAME_INVALID = ("profile_name {name!r} is not valid: use letters, digits, '-', '_' and '.', starting with a "
                        "letter or digit (at most 255 characters).")
PROFILE_CPU_RANGE = "Expected cpu value is between 0.1 and 3.5. Provided: {value}"
PROFILE_MEMORY_RANGE = "Expected memory value is between 0.1 and 15.0. Provided: {value}"
PROFILE_NO_DATASET = "Dataset not provided. Profiling required a dataset with sample input data."
PROFILE_DATASET_TYPE = ("Dataset type not supported. Profiling currently works only with Tabular Datasets. "
                        "Provided: {type_name}")
PROFILE_DATASET_COLUMNS = ("Dataset format not supported. Number of columns != 1 (found {count}: {columns}); "
                           "profiling needs one column holding one request body (a JSON string) per row.")
PROFILE_DATASET_STRINGS = ("Dataset format not supported. Dataset contains datatype other than string (column "
                           "{column!r} holds {dtype}); each row must be a request body as a JSON string.")
PROFILE_DATASET_EMPTY = "Empty Dataset. The input dataset has no rows to send as sample requests."
PROFILE_WAIT_UNCREATED = ("wait_for_completion operation cannot be performed on this object. Make sure the object "
                          "was created via the appropriate method in the Model class")
PROFILE_FAILED_WARNING = ("Model profiling operation failed with error: {message}. Request ID: {request_id}. "
                          "Read the error logs at errorLogsUri.")

# ---------------------------------------------------------------------------------------------------
# STORAGE CEILING: what the simulated Azure may hold for one DP100_HOME (sim.cloud.storage_ceiling)
# ---------------------------------------------------------------------------------------------------

STORAGE_QUOTA_EXCEEDED = ("The simulated Azure storage is full: storing {what} ({size}) would pass its ceiling of "
                          "{limit} MB ({used} already in use), so nothing was written. Free space by deleting "
                          "blobs or a workspace you no longer need (its runs, models and files go with it), or "
                          "start afresh with `dp100 reset --yes`; the ceiling is {env} (in MB).")
