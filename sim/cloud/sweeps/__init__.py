"""Hyperparameter sweeps: the engine SDK v1's HyperDrive and SDK v2's sweep jobs share.

- `search_space`: parameter expressions in the service's shape ([distribution, [arguments]]), checked and drawn;
- `sampling`: grid, random and Bayesian sampling;
- `policies`: Bandit, median stopping and truncation selection early termination;
- `engine`: the loop that launches trials within the limits, applies the policy and names the best trial;
- `sweep_jobs`: SDK v2's sweep jobs (a SweepJob as the REST API submits it), whose trials are command jobs.

It knows no SDK: it raises `sim.cloud.errors.CloudError`s, which each face turns into its own exceptions.
"""
