"""Mirror of `azureml._restclient`: only its exception classes are simulated."""
