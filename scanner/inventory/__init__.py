from .reader import InventoryReader, open_inventory
from .store import InventoryWriter, ensure_inventory_dir

__all__ = ["InventoryReader", "InventoryWriter", "open_inventory", "ensure_inventory_dir"]
