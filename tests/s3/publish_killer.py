"""Run `publish` and SIGKILL this very process at a named step (a power cut, an OOM kill), for the
crash tests: `python publish_killer.py INVENTORY DEST TENANT HOST KEY STEP`."""
from __future__ import annotations

import os
import signal
import sys


def main(inventory: str, dest: str, tenant: str, host: str, key: str, kill_at: str) -> None:
    from scanner.fleet.publish import publish
    from scanner.fleet.store import open_store

    def step(name: str) -> None:
        if name == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    publish(inventory, open_store(dest), tenant, host, key, step=step)


if __name__ == "__main__":
    main(*sys.argv[1:])
