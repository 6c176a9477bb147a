"""Write the report: atomically, readable by its owner only (paths can name people)."""
from __future__ import annotations

import json
import os
import tempfile

from ..errors import UsageError


def write_report(out_path: str, fig: dict, fmt: str) -> None:
    from .render import render_html

    folder = os.path.dirname(os.path.abspath(out_path))
    if not os.path.isdir(folder):
        raise UsageError(f"--out: no such folder {folder}")
    text = render_html(fig) if fmt == "html" else figures_json(fig)
    fd, tmp = tempfile.mkstemp(prefix=".report-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, out_path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def figures_json(fig: dict) -> str:
    return json.dumps(fig, indent=2, ensure_ascii=False, default=str) + "\n"
