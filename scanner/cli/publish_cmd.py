"""`pdsweep publish`: one host's inventory into its tenant's fleet dataset (a directory or s3:// prefix)."""
from __future__ import annotations

import json

import click

from ..fleet.publish import publish
from ..fleet.store import open_store
from .options import handle_errors, inventory_option, key_option, resolve_inventory, s3_endpoint_option


@click.command("publish")
@inventory_option
@key_option
@click.option("--to", "dest", required=True, metavar="DEST",
              help="A directory, or s3://bucket/prefix (credentials from the standard AWS chain).")
@click.option("--tenant", required=True, metavar="NAME", help="The tenant (client) this inventory belongs to.")
@click.option("--host", default=None, metavar="NAME",
              help="The host's name in the dataset. Default: the host of the inventory's last scan.")
@s3_endpoint_option
@handle_errors
def publish_command(inventory, key_path, dest, tenant, host, s3_endpoint):
    """Publish a snapshot of the inventory under DEST/tenant=T/host=H/.

    The snapshot is a Hive-partitioned Parquet dataset (locations, findings,
    contents, scans), keyed and masked as the inventory is: no plaintext
    personal data. Readers see the previous snapshot or the new one, never a
    mix; a publish killed half-way leaves the previous one readable. The
    inventory must be the tenant's (see scan --tenant) and the key its key.

    Example:

    \b
        pdsweep publish --inventory /var/lib/pdsweep/acme --to s3://msp-fleet/pdsweep --tenant acme
        pdsweep find --fleet s3://msp-fleet/pdsweep --tenant acme --key /etc/pdsweep/acme.key --email jane@acme.example
    """
    from ..labels import label_everything   # files scanned with --ner deferred: published labelled
    label_everything(resolve_inventory(inventory), key_path, notify=lambda line: click.echo(line, err=True))
    pointer = publish(resolve_inventory(inventory), open_store(dest, s3_endpoint), tenant, host, key_path)
    click.echo(json.dumps(dict(tenant=pointer["tenant"], host=pointer["host"], snapshot=pointer["snapshot"],
                               rows={t: m["rows"] for t, m in pointer["tables"].items()}), indent=2))
