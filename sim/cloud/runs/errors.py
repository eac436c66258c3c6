"""The messages the experiments/runs/environments part of the simulated service raises its errors with.

The texts live in `sim.messages` (one module for every user-facing message); the error classes in
`sim.cloud.errors`. This module only re-exports the messages these modules use.
"""

from __future__ import annotations

from sim.messages import (  # noqa: F401  (re-exported for the cloud modules)
    BAD_ARGUMENT,
    BAD_EXPERIMENT_NAME,
    BAD_VIEW_TYPE,
    COMPUTE_NOT_FOUND_FOR_RUN,
    ENVIRONMENT_CURATED_READONLY,
    ENVIRONMENT_FILE_INVALID,
    ENVIRONMENT_FILE_NOT_FOUND,
    ENVIRONMENT_NAME_REQUIRED,
    ENVIRONMENT_NOT_FOUND,
    ENVIRONMENT_VERSION_NOT_FOUND,
    EXPERIMENT_ARCHIVED,
    EXPERIMENT_NOT_FOUND,
    FILE_ALREADY_EXISTS,
    FILE_NOT_IN_RUN,
    LOG_BAD_VALUE,
    PROPERTY_IMMUTABLE,
    RUN_ALREADY_TERMINAL,
    RUN_BATCH_SIZE,
    RUN_ID_INVALID,
    RUN_ID_TAKEN,
    RUN_NOT_FOUND,
    RUN_OFFLINE_ONLY,
    RUN_OWNER_ENDED,
    RUN_START_NOT_INTERACTIVE,
    RUN_SUBMITTER_ENDED,
    SCRIPT_NOT_FOUND,
    SOURCE_DIRECTORY_NOT_FOUND,
    SUBMIT_BAD_CONFIG,
    UPLOAD_SOURCE_NOT_FOUND,
)
