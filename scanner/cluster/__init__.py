"""Running a scan's analysis on a Dask cluster (`pdsweep scan --cluster ADDRESS`)."""
from .settings import ClusterSettings, cluster_settings

__all__ = ["ClusterSettings", "cluster_settings"]
