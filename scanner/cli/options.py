"""Options shared by several commands, and the error boundary of the CLI."""
from __future__ import annotations

import functools
import os
import sys

import click

from ..config import default_inventory
from ..errors import PdsweepError

inventory_option = click.option(
    "--inventory", "-i", type=click.Path(file_okay=False), default=None,
    help="Inventory directory. Default: $PDSWEEP_INVENTORY, else ./pdsweep-inventory.")

key_option = click.option(
    "--key", "key_path", type=click.Path(dir_okay=False), default=None,
    help="HMAC secret file (mode 0600). Default: <inventory>/key. Share it between hosts to query their inventories together.")


tenant_option = click.option(
    "--tenant", default=None, metavar="NAME",
    help="The client (tenant) this inventory belongs to: it is stamped with the tenant and its key, and a "
         "scan for another tenant or with another key is refused. Lower-case letters, digits, - and _.")


s3_endpoint_option = click.option(
    "--s3-endpoint", default=None, metavar="URL",
    help="S3-compatible endpoint (MinIO, Ceph, Wasabi, B2, SeaweedFS). Default: $AWS_ENDPOINT_URL, else AWS.")


smb_credentials_option = click.option(
    "--smb-credentials", type=click.Path(dir_okay=False), envvar="PDSWEEP_SMB_CREDENTIALS",
    help="For smb:// roots: a file of username=/password=/domain= lines, mode 0600. "
         "Else the password comes from $PDSWEEP_SMB_PASSWORD or a prompt.")


def cluster_options(f):
    """--cluster ADDRESS and its TLS options, folded into one `cluster` argument (ClusterSettings or None)."""
    @functools.wraps(f)
    def wrapper(*args, cluster_address, tls_ca, tls_cert, tls_key, insecure_cluster, **kwargs):
        from ..cluster import cluster_settings

        cluster = None
        if cluster_address:
            cluster = cluster_settings(cluster_address, tls_ca, tls_cert, tls_key, insecure_cluster)
        elif tls_ca or tls_cert or tls_key or insecure_cluster:
            raise click.UsageError("--tls-ca, --tls-cert, --tls-key and --insecure-cluster need --cluster")
        return f(*args, cluster=cluster, **kwargs)

    for option in reversed([
        click.option("--cluster", "cluster_address", metavar="ADDRESS", envvar="PDSWEEP_CLUSTER",
                     help="Analyse on a Dask cluster: tls://HOST:8786 (or tcp:// on this machine)."),
        click.option("--tls-ca", type=click.Path(dir_okay=False, exists=True),
                     help="CA certificate that signed the scheduler's and workers' certificates."),
        click.option("--tls-cert", type=click.Path(dir_okay=False, exists=True),
                     help="This machine's client certificate for the cluster."),
        click.option("--tls-key", type=click.Path(dir_okay=False, exists=True),
                     help="The private key of --tls-cert."),
        click.option("--insecure-cluster", is_flag=True,
                     help="Allow tcp:// to another machine: keys, credentials and findings cross the "
                          "network unencrypted."),
    ]):
        wrapper = option(wrapper)
    return wrapper


def format_option(*choices: str, default: str):
    return click.option("--format", "-f", "fmt", type=click.Choice(choices), default=default,
                        show_default=True, help="Output format.")


def identifier_options(f):
    """--name/--email/--phone/--postcode/--nino/--nhs, each repeatable."""
    for kind, help_text in reversed([
        ("name", "Full name, any order or case: 'Jane Smith', 'SMITH, Jane'."),
        ("email", "Email address (case-insensitive)."),
        ("phone", "Phone number in any written form; UK numbers without +44 are fine."),
        ("postcode", "UK postcode, with or without the space."),
        ("nino", "National Insurance number."),
        ("nhs", "NHS number."),
    ]):
        f = click.option(f"--{kind}", multiple=True, help=help_text + " Repeatable.")(f)
    return f


def resolve_inventory(inventory: str | None) -> str:
    return os.path.abspath(inventory or default_inventory())


def handle_errors(f):
    """Library errors become one-line messages and exit codes; no traceback, no plaintext."""
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except PdsweepError as exc:
            click.echo(f"pdsweep: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("pdsweep: interrupted", err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:
            if os.environ.get("PDSWEEP_DEBUG"):
                raise
            # The message of an unexpected exception may quote data: print its type only.
            click.echo(f"pdsweep: failed: {type(exc).__name__} (set PDSWEEP_DEBUG=1 for a traceback)", err=True)
            sys.exit(1)
    return wrapper
