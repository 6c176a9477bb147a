"""Write the report: atomically, readable by its owner only (paths can name people)."""
from __future__ import annotations

import json
import os

from ..errors import UsageError
from ..inventory.files import atomic_write


def write_report(out_path: str, fig: dict, fmt: str) -> None:
    from .render import render_html

    folder = os.path.dirname(os.path.abspath(out_path))
    if not os.path.isdir(folder):
        raise UsageError(f"--out: no such folder {folder}")
    text = render_html(fig) if fmt == "html" else figures_json(fig)
    atomic_write(out_path, lambda f: f.write(text.encode("utf-8")), 0o600, prefix=".report-")


def figures_json(fig: dict) -> str:
    return json.dumps(fig, indent=2, ensure_ascii=False, default=str) + "\n"
