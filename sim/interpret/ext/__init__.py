"""`interpret.ext`: the namespace interpret-community's explainers are published under."""
