"""Connectors: turn roots into items with locations, metadata and text.

Never imports `scanner` or `detectors` (STYLE.md rule 1).
"""
from .blob import Blob
from .context import ExploreContext
from .dispatch import explore
from .document import Extracted, Field, Item, Skipped
from .limits import LimitExceeded, Limits
from .location import Location

__all__ = ["Blob", "ExploreContext", "explore", "Extracted", "Field", "Item", "Skipped",
           "LimitExceeded", "Limits", "Location"]
