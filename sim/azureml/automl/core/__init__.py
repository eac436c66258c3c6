"""Simulated `azureml.automl.core`: `forecasting_parameters.ForecastingParameters`."""
