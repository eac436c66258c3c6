"""Fairness assessment helpers the simulator serves beside the real fairlearn.

`group_metric_set` builds the fairness dashboard dictionary (per-group metrics of one or more models) that
`azureml.contrib.fairness` uploads to a run and `raiwidgets.FairnessDashboard` displays; the metrics themselves
are computed by the real fairlearn's `MetricFrame`.
"""
