"""One real Dask cluster (scheduler and two workers, separate processes) per test session."""
from __future__ import annotations

import os

import pytest

from .dask_processes import DaskCluster, unshare_works


@pytest.fixture(scope="session")
def dask_session_cluster(tmp_path_factory):
    workdir = str(tmp_path_factory.mktemp("dask"))
    hidden = None
    if unshare_works():
        hidden = os.path.join(workdir, "hidden")
        os.makedirs(hidden)
    cluster = DaskCluster(workdir, hidden, tls=True).start()   # as on a real network: mutual TLS
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def dask_cluster(dask_session_cluster):
    """The session's cluster with both workers up (a test may have killed one: its nanny restarts it)."""
    dask_session_cluster.wait_for_workers(2)
    return dask_session_cluster
