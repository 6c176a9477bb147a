"""A real Samba server for the SMB connector tests, started once per session.

The share holds synthetic files built here from faker en_GB people: one
planted person in several formats (text, CSV, DOCX, a ZIP member, an email),
other people, a file with no personal data, an awkward file name, and a
folder the test user may not read. Skipped only where smbd is not installed.
"""
from __future__ import annotations

import os
import shutil
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from samba_server import SambaServer, samba_missing, served_directory  # noqa: E402
from smb_share import build_share  # noqa: E402


@pytest.fixture(scope="session")
def samba(tmp_path_factory):
    reason = samba_missing()
    if reason:
        pytest.skip(reason)
    share = served_directory()
    people = build_share(share)
    server = SambaServer(share_path=share)
    try:
        server.start()
    except Exception:
        shutil.rmtree(share, ignore_errors=True)
        raise
    server.people = people
    yield server
    server.close()
    shutil.rmtree(share, ignore_errors=True)


@pytest.fixture
def smb_env(samba, monkeypatch):
    """The password in the environment, credentials from earlier tests forgotten."""
    from connectors import smb_credentials, smb_session

    smb_session.reset_sessions()
    smb_credentials.forget_all()
    monkeypatch.setenv("PDSWEEP_SMB_PASSWORD", samba.password)
    monkeypatch.delenv("PDSWEEP_SMB_CREDENTIALS", raising=False)
    monkeypatch.delenv("PDSWEEP_SMB_USER", raising=False)
    yield samba
    smb_session.reset_sessions()
    smb_credentials.forget_all()
