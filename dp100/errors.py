"""The one exception type the platform raises for problems a user can fix."""


class SetupError(Exception):
    """A problem with the local set-up (paths, databases) that a user can fix.

    Its message is one sentence that names the path or URL and what to do; the CLI and the app print
    it instead of a traceback.
    """
