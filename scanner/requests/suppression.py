"""The suppression register lives with the inventory (scanner/suppression.py); kept here for requests."""
from ..suppression import REGISTER, add_entry, load_register, register_path, suppressed_hits

__all__ = ["REGISTER", "add_entry", "load_register", "register_path", "suppressed_hits"]
