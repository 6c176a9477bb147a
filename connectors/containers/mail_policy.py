"""The email policy mail is parsed with: policy.default, its header objects shared (issue 16)."""
from __future__ import annotations

from email import policy
from email.headerregistry import HeaderRegistry


class ParsedOnce(HeaderRegistry):
    """policy.default's header classes, each distinct (name, raw value) parsed once per process.

    EmailMessage parses a header afresh on every read, and a message's Content-Type is read a dozen
    times (walking parts, decoding, naming attachments): that was half of a mail scan (issue 16).
    Header objects are immutable (str subclasses with read-only attributes), so one can be shared.
    """

    MAX_KEPT = 20_000

    def __init__(self):
        super().__init__()
        self._parsed: dict[tuple[str, str], object] = {}
        self._classes: dict[type, type] = {}

    def __getitem__(self, name):
        # HeaderRegistry builds a new class, type('_' + cls.__name__, (cls, base_class), {}), for every
        # header it parses: ~20 us, a quarter of parsing one. That class depends only on the registry
        # entry for the name (the base class is fixed), so it is built once per entry.
        entry = self.registry.get(name.lower(), self.default_class)
        made = self._classes.get(entry)
        if made is None:
            made = self._classes[entry] = super().__getitem__(name)
        return made

    def __call__(self, name, value):
        key = (name, value)
        header = self._parsed.get(key)
        if header is None:
            header = super().__call__(name, value)
            if len(self._parsed) >= self.MAX_KEPT:
                self._parsed.clear()
            self._parsed[key] = header
        return header


POLICY = policy.default.clone(header_factory=ParsedOnce())
