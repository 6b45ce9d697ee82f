"""Errors the command line reports as a clear message (no traceback)."""


class CjbError(Exception):
    """A failure a user can act on: the message names the file, the row and the rule."""


class LandingLockedError(CjbError):
    """Another ``cjb land`` or ``cjb run`` holds the warehouse."""
