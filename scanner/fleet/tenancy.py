"""Tenants: an MSP's clients. One inventory and one HMAC key per tenant, never mixed.

An inventory scanned with `--tenant NAME` (or a daemon with `tenant = "NAME"`)
is stamped with the tenant and the id of its key (`tenant.json`: an HMAC of a
fixed label under the secret, which tells keys apart and reveals nothing of
them). From then on a scan that names another tenant, or brings another key,
is refused before anything is written: one tenant's findings can never land in
another tenant's inventory, nor be keyed with another tenant's secret. The
tenant's hosts share its key file (`--key`), so their inventories can be
published and queried together (`pdsweep publish`, `find --fleet`); another
tenant's key opens nothing of them.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import re

from ..errors import PdsweepError, UsageError
from ..inventory.files import write_json_atomic
from ..keys import load_or_create_secret

TENANT_FILE = "tenant.json"
# Safe as a Hive partition value, an S3 key segment and a directory name: no '/', '=', spaces or dots.
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


class TenantMismatch(PdsweepError):
    """A scan for one tenant pointed at another tenant's inventory, or with another key."""

    exit_code = 2


def check_tenant_name(name: str, what: str = "tenant") -> str:
    if not _NAME.match(name or ""):
        raise UsageError(f"--{what} {name!r}: use 1-63 lower-case letters, digits, '-' or '_' "
                         "(it becomes a path segment: tenant=NAME/)")
    return name


def key_id(secret: bytes) -> str:
    """A public id of a secret: equal ids, same key. 64 bits of an HMAC of a fixed label."""
    return hmac.new(secret, b"pdsweep key id", hashlib.sha256).hexdigest()[:16]


def inventory_tenant(inventory: str) -> dict | None:
    """{"tenant": ..., "key_id": ...} of a stamped inventory, else None."""
    try:
        with open(os.path.join(inventory, TENANT_FILE)) as f:
            return json.load(f)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise PdsweepError(f"cannot read {os.path.join(inventory, TENANT_FILE)}: {type(exc).__name__}") from None


def bind_tenant(inventory: str, tenant: str | None, secret: bytes) -> str | None:
    """Check (and on first use, stamp) the inventory's tenant and key; the inventory's tenant."""
    stamp = inventory_tenant(inventory)
    kid = key_id(secret)
    if stamp is None:
        if tenant is None:
            return None
        check_tenant_name(tenant)
        os.makedirs(inventory, mode=0o700, exist_ok=True)
        write_json_atomic(os.path.join(inventory, TENANT_FILE), {"tenant": tenant, "key_id": kid})
        return tenant
    if tenant is not None and tenant != stamp["tenant"]:
        raise TenantMismatch(f"inventory {inventory} belongs to tenant {stamp['tenant']!r}, not {tenant!r}: "
                             "each tenant has its own inventory (--inventory)")
    if kid != stamp["key_id"]:
        raise TenantMismatch(f"inventory {inventory} of tenant {stamp['tenant']!r} is keyed with key id "
                             f"{stamp['key_id']}; this key is {kid}: use the tenant's key file (--key)")
    return stamp["tenant"]


def load_tenant_secret(config) -> bytes:
    """The scan's secret, once the inventory is known to be this tenant's and keyed with it."""
    secret = load_or_create_secret(config.resolved_key_path)
    bind_tenant(config.inventory, getattr(config, "tenant", None), secret)
    return secret
