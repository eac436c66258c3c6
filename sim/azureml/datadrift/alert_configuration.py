"""`azureml.datadrift.alert_configuration`: who is emailed when a monitor's drift crosses its threshold."""

from __future__ import annotations

from sim import messages


class AlertConfiguration:
    """The email addresses a data drift monitor alerts (this offline workspace writes the alert to the run log)."""

    def __init__(self, email_addresses):
        if isinstance(email_addresses, str):
            email_addresses = [email_addresses]
        if not isinstance(email_addresses, list | tuple) or not all(isinstance(a, str) for a in email_addresses):
            raise TypeError(messages.DRIFT_ALERT_EMAILS.format(type_name=type(email_addresses).__name__))
        self.email_addresses = list(email_addresses)

    def __repr__(self) -> str:
        return f"AlertConfiguration(email_addresses={self.email_addresses!r})"
