"""The daemon: keep the inventory current by watching roots and re-crawling them on a schedule.

`Session` holds the writer (lock), the model and the secret for the daemon's
lifetime; `Daemon` runs the loop; `DaemonConfig` comes from TOML or the CLI.
"""
from .config import DaemonConfig, RootConfig, daemon_config_from_dict, load_daemon_config, parse_interval
from .runner import Daemon
from .session import Session
from .status import read_status

__all__ = ["Daemon", "DaemonConfig", "RootConfig", "Session", "daemon_config_from_dict", "load_daemon_config",
           "parse_interval", "read_status"]
