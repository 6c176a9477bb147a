"""Location URI: the outermost file, then `!/member` for every level of nesting.

This is a public contract (DESIGN.md "Location URI"): it is what `find` prints
and what an engineer pastes into a ticket, so it must stay stable.
"""
from __future__ import annotations

from dataclasses import dataclass

SEPARATOR = "!/"


@dataclass(frozen=True, order=True)
class Location:
    """Where a piece of content lives: an outer path plus a chain of members."""

    outer: str
    members: tuple[str, ...] = ()

    @property
    def uri(self) -> str:
        return self.outer + "".join(SEPARATOR + m for m in self.members)

    @property
    def depth(self) -> int:
        return len(self.members)

    @property
    def name(self) -> str:
        """The last component's file name (used to scan names for personal data)."""
        last = self.members[-1] if self.members else self.outer
        return last.rstrip("/").rsplit("/", 1)[-1]

    def child(self, member: str) -> "Location":
        return Location(self.outer, self.members + (clean_member_name(member),))

    @classmethod
    def from_row(cls, row) -> "Location":
        """A stored location, from its `path` and `members` columns: the only exact way back, since an
        outer path may itself hold `!/` (a folder named `x!`). Never re-split a stored URI."""
        return cls(row["path"], tuple(row["members"] or ()))

    @classmethod
    def parse(cls, uri: str) -> "Location":
        """A URI typed by a person (splits on every `!/`). For a stored location use `from_row`."""
        outer, *members = uri.split(SEPARATOR)
        return cls(outer, tuple(members))

    def __str__(self) -> str:
        return self.uri


def clean_member_name(name: str) -> str:
    """A member's path as stored, without a leading `./` or `/`.

    The name is only ever used as a label, never as a path to write to, so
    `../x` is harmless; we still strip the leading noise DESIGN.md asks for.
    """
    name = name.replace("\\", "/")
    while name.startswith("./"):
        name = name[2:]
    return name.lstrip("/") or "(unnamed)"
