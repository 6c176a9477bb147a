"""Issue 4 through the whole stack: scan, inventory, find (containers themselves are tested in test_mail_*/test_archives_*)."""
from __future__ import annotations

import os
import shutil

import pytest

from builders import make_tar, make_zip
from core_helpers import OUTLOOK_FIXTURES, cli_json
from scanner.config import ScanConfig
from scanner.inventory import open_inventory
from scanner.scan import run_scan

pytestmark = pytest.mark.slow
FIXTURES = OUTLOOK_FIXTURES

CSV = ("Customer Name,Email,Phone\nWinifred Oakley,winifred.oakley@example.net,0161 496 0321\n"
       "Barnaby Quist,barnaby.quist@example.net,020 7946 0999\n").encode()


def test_same_csv_in_a_share_and_two_backups_is_analysed_once_and_found_three_times(tmp_path):
    share = tmp_path / "srv"
    (share / "sales").mkdir(parents=True)
    (share / "backups").mkdir()
    (share / "sales" / "clients.csv").write_bytes(CSV)
    make_tar(share / "backups" / "2024-05.tar.gz", {"home/sales/clients.csv": CSV})
    make_zip(share / "backups" / "old.zip", {"sales/clients.csv": CSV})
    inv = tmp_path / "inv"
    run_scan([str(share)], ScanConfig(inventory=str(inv), workers=1))
    rows = cli_json(["find", "--email", "winifred.oakley@example.net", "-i", str(inv), "-f", "json"])
    assert sorted(r["location"] for r in rows) == sorted([
        f"{share}/sales/clients.csv",
        f"{share}/backups/2024-05.tar.gz!/home/sales/clients.csv",
        f"{share}/backups/old.zip!/sales/clients.csv"])
    assert len({r["content_hash"] for r in rows}) == 1
    reader = open_inventory(str(inv))
    analyses = reader.query("SELECT count(*) FROM contents WHERE content_hash = ?", [rows[0]["content_hash"]])[0][0]
    reader.close()
    assert analyses == 1


def test_a_recipient_of_the_real_outlook_pst_is_found_at_its_pst_uri(tmp_path):
    pst = os.path.join(FIXTURES, "200-recipients.pst")
    if not os.path.exists(pst):
        pytest.skip("shared Outlook fixtures not present")
    mail = tmp_path / "mail"
    mail.mkdir()
    shutil.copy(pst, mail / "200-recipients.pst")
    inv = tmp_path / "inv"
    run_scan([str(mail)], ScanConfig(inventory=str(inv), workers=1))
    rows = cli_json(["find", "--email", "XMailUser150@xmailserver.test", "-i", str(inv), "-f", "json"])
    assert [r["location"] for r in rows] == [f"{mail}/200-recipients.pst!/message-1"]
    assert rows[0]["members"] == ["message-1"]
