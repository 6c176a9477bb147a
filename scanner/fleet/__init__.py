"""The MSP fleet: tenants, publishing inventories as one Hive-partitioned dataset, and querying it."""
