"""Subject requests on a share scanned over SMB: the access pack reads every smb:// copy again over
SMB (never "vanished" because it is remote); erasure plans leave share files to the server's admin."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from smb_share import PLANTED_AT
from scanner.cli import cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def share_inventory(samba, tmp_path_factory):
    """The session share scanned once over SMB (real model)."""
    inventory = str(tmp_path_factory.mktemp("smb-requests") / "inventory")
    result = CliRunner().invoke(cli, ["scan", samba.uri(), "-i", inventory, "-q", "-w", "1"],
                                env={"PDSWEEP_SMB_PASSWORD": samba.password})
    assert result.exit_code == 0, result.output
    return inventory


def _sar(inventory, samba, out, env) -> tuple[int, dict]:
    planted = samba.people["planted"]
    result = CliRunner().invoke(cli, ["sar", "--email", planted.email, "-i", inventory, "--out", str(out),
                                      "--format", "json"], env=env)
    assert "Traceback" not in result.output and samba.password not in result.output
    with open(out / "index.json") as f:
        return result.exit_code, json.load(f)


def _copies(pack: dict) -> dict[str, dict]:
    return {c["location"]: c for g in pack["groups"] for c in g["copies"]}


def test_access_pack_reads_smb_copies_again(smb_env, share_inventory, tmp_path):
    samba = smb_env
    planted = samba.people["planted"]
    code, pack = _sar(share_inventory, samba, tmp_path / "pack",
                      {"PDSWEEP_SMB_USER": samba.user, "PDSWEEP_SMB_PASSWORD": samba.password})
    assert code == 0
    base = samba.uri(user=False)
    copies = _copies(pack)
    assert set(copies) == {f"{base}/{rel}" for rel in PLANTED_AT}
    assert {c["state"] for c in copies.values()} == {"current"}, copies
    texts = [e for g in pack["groups"] for e in g["excerpts"]]
    assert any(planted.email in e for e in texts)
    other = samba.people["other"]
    assert not any(other.email in e for e in texts)        # the other person in staff.csv: redacted


def test_access_pack_says_why_a_share_could_not_be_read(smb_env, share_inventory, tmp_path):
    """A wrong password: every smb:// copy is listed as unreadable with the reason, never as vanished."""
    code, pack = _sar(share_inventory, smb_env, tmp_path / "pack",
                      {"PDSWEEP_SMB_USER": smb_env.user, "PDSWEEP_SMB_PASSWORD": "not-the-password"})
    assert code == 0
    copies = _copies(pack)
    assert len(copies) == len(PLANTED_AT)
    for copy in copies.values():
        assert copy["state"] == "unreadable" and "logon failed" in copy["reason"], copy
        assert "not-the-password" not in copy["reason"]


def test_erasure_plan_leaves_share_files_to_the_server(smb_env, share_inventory):
    planted = smb_env.people["planted"]
    result = CliRunner().invoke(cli, ["erase", "--email", planted.email, "-i", share_inventory, "--format", "json"])
    assert result.exit_code == 0, result.output
    actions = json.loads(result.output)["actions"]
    assert actions and all(a["action"] == "manual" and "SMB share" in a["reason"] for a in actions), actions
    assert {a["location"] for a in actions} == {smb_env.uri(rel.split("!/")[0], user=False) for rel in PLANTED_AT}


def test_detect_reads_a_file_on_the_share(smb_env):
    planted = smb_env.people["planted"]
    result = CliRunner().invoke(cli, ["detect", smb_env.uri("hr/planted.txt"), "--format", "json", "--no-ner"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {r["file"] for r in rows} == {smb_env.uri("hr/planted.txt", user=False)}
    assert planted.email in {r["text"] for r in rows if r["entity_type"] == "EMAIL_ADDRESS"}
    missing = CliRunner().invoke(cli, ["detect", smb_env.uri("hr/nothere.txt"), "--no-ner"])
    assert missing.exit_code == 1 and "no such file" in missing.output and "Traceback" not in missing.output
