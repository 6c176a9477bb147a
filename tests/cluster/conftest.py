"""One real Dask cluster (scheduler and two workers, separate processes) per test session."""
from __future__ import annotations

import os

import pytest

from .dask_processes import DaskCluster, unshare_works


@pytest.fixture(scope="session")
def dask_cluster(tmp_path_factory):
    workdir = str(tmp_path_factory.mktemp("dask"))
    hidden = None
    if unshare_works():
        hidden = os.path.join(workdir, "hidden")
        os.makedirs(hidden)
    cluster = DaskCluster(workdir, hidden).start()
    try:
        yield cluster
    finally:
        cluster.stop()
