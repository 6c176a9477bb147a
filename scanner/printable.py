"""Strings bound for Parquet or JSON must be valid UTF-8."""


def printable(s: str) -> str:
    """Undecodable file-name bytes (surrogate escapes) are shown as \\xNN escapes."""
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return s.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
