"""The one way an edit declines: the location is not touched, and the reason (no plaintext) says why."""


class Refused(Exception):
    """The location is not touched; the reason says why (no plaintext)."""
