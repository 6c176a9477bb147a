"""smb:// URIs, credentials files and how credentials reach workers: no server needed."""
from __future__ import annotations

import os
import pickle

import pytest

from connectors import smb_credentials
from connectors.smb import SmbFileEntry
from connectors.smb_credentials import SmbCredentials, SmbCredentialsError, read_credentials_file
from connectors.smb_uri import SmbPath, SmbUriError, canonical_uri, is_smb_uri


@pytest.mark.parametrize("uri, host, port, share, parts, user, canonical, unc", [
    ("smb://fs1/Finance", "fs1", 445, "Finance", (), None, "smb://fs1/Finance", r"\\fs1\Finance"),
    ("smb://svc@FS1.corp.example:445/Finance/2024/", "fs1.corp.example", 445, "Finance", ("2024",), "svc",
     "smb://fs1.corp.example/Finance/2024", r"\\fs1.corp.example\Finance\2024"),
    ("SMB://127.0.0.1:14450/data/a b/#1 %41.txt", "127.0.0.1", 14450, "data", ("a b", "#1 %41.txt"), None,
     "smb://127.0.0.1:14450/data/a b/#1 %41.txt", r"\\127.0.0.1\data\a b\#1 %41.txt"),
    ("smb://CORP;jane@fs1//data/./x", "fs1", 445, "data", ("x",), "CORP;jane", "smb://fs1/data/x",
     r"\\fs1\data\x"),
])
def test_parse(uri, host, port, share, parts, user, canonical, unc):
    path = SmbPath.parse(uri)
    assert (path.host, path.port, path.share, path.parts, path.user) == (host, port, share, parts, user)
    assert path.uri == canonical_uri(uri) == canonical
    assert path.unc == unc
    assert SmbPath.parse(path.uri).uri == canonical       # a location URI parses back to itself


@pytest.mark.parametrize("uri, message", [
    ("smb://fs1", "needs a share"),
    ("smb://fs1/", "needs a share"),
    ("smb:///data", "expected smb://"),
    ("smb://u:secret@fs1/data", "process listings"),
    ("smb://fs1:0/data", "port"),
    ("smb://fs1:70000/data", "port"),
    ("smb://fs1:x/data", "port"),
    ("smb://fs1/data/../etc", "'..'"),
    ("/srv/data", "expected smb://"),
])
def test_parse_rejects(uri, message):
    with pytest.raises(SmbUriError) as err:
        SmbPath.parse(uri)
    assert message in str(err.value) and "secret" not in str(err.value)


def test_is_smb_uri():
    assert is_smb_uri("smb://h/s") and is_smb_uri("SMB://h/s")
    assert not is_smb_uri("/srv/smb://x") and not is_smb_uri("smb:/h/s")


def test_credentials_file(tmp_path):
    path = tmp_path / "cred"
    path.write_text("# comment\nusername = svc-scan\npassword= p@ss = word \ndomain=CORP\nother=1\n")
    os.chmod(path, 0o600)
    assert read_credentials_file(str(path)) == {"username": "svc-scan", "password": " p@ss = word ",
                                                "domain": "CORP"}
    os.chmod(path, 0o644)
    with pytest.raises(SmbCredentialsError, match="chmod 600"):
        read_credentials_file(str(path))
    with pytest.raises(SmbCredentialsError, match="cannot open"):
        read_credentials_file(str(tmp_path / "missing"))


def test_credentials_never_in_repr_and_travel_to_workers_by_pickle():
    smb_credentials.forget_all()
    creds = SmbCredentials("fs1", "svc", "hunter2-secret", "CORP")
    entry = SmbFileEntry("smb://fs1/data/a.txt", 3, 1, 2, 0, None, credentials=creds)
    assert "hunter2" not in repr(creds) and "hunter2" not in repr(entry)
    data = pickle.dumps([entry, entry])
    assert smb_credentials.registered("fs1") is None
    back = pickle.loads(data)                                # what a spawned worker does
    assert back[0] == entry and back[0].credentials.password == "hunter2-secret"
    assert smb_credentials.registered("fs1").qualified_user == "CORP\\svc"
    smb_credentials.forget_all()


def test_resolve_order(tmp_path, monkeypatch):
    smb_credentials.forget_all()
    cred = tmp_path / "cred"
    cred.write_text("username=fromfile\npassword=filepw\n")
    os.chmod(cred, 0o600)
    monkeypatch.setenv("PDSWEEP_SMB_PASSWORD", "envpw")
    got = smb_credentials.resolve_credentials("h1", "uriuser", str(cred), prompt=False)
    assert (got.username, got.password) == ("uriuser", "envpw")     # URI user, then the env password
    monkeypatch.delenv("PDSWEEP_SMB_PASSWORD")
    got = smb_credentials.resolve_credentials("h2", None, str(cred), prompt=False)
    assert (got.username, got.password) == ("fromfile", "filepw")
    with pytest.raises(SmbCredentialsError, match="no password"):
        smb_credentials.resolve_credentials("h3", "someone", None, prompt=False)
    smb_credentials.forget_all()


def test_prompt_only_in_a_terminal(monkeypatch):
    import io
    import sys

    smb_credentials.forget_all()
    monkeypatch.delenv("PDSWEEP_SMB_PASSWORD", raising=False)
    asked = []
    monkeypatch.setattr(smb_credentials.getpass, "getpass", lambda prompt: asked.append(prompt) or "typed-pw")

    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stdin", Tty())
    got = smb_credentials.resolve_credentials("fs9", "svc", None)
    assert got.password == "typed-pw" and asked == ["Password for svc on smb://fs9: "]
    monkeypatch.setattr(sys, "stdin", io.StringIO())            # not a terminal: a usage error, no prompt
    with pytest.raises(SmbCredentialsError, match="no password"):
        smb_credentials.resolve_credentials("fs10", "svc", None)
    assert len(asked) == 1
    smb_credentials.forget_all()
