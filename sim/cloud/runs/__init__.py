"""Runs of the simulated service: lifecycle, metrics, files and submitted jobs.

Modules: `state` (the service's run records), `tracking` (the MLflow side), `lifecycle` (create, status,
finish, list, tags, details), `listing` (set-based counts and pages of runs), `batch` (many runs in one request),
`metrics` (buffered writes, SDK read shapes), `files` (run files = MLflow artifacts), `jobs` (submitted scripts
and compute queues). Other packages import the module they need.
"""
