"""Writing the access pack: index.json and a self-contained, escaped index.html; dir 0700, files 0600."""
from __future__ import annotations

import json
import os
from html import escape

from ..errors import UsageError
from ..inventory.files import atomic_write

_STYLE = ("body{font-family:sans-serif;max-width:60em;margin:2em auto}pre{white-space:pre-wrap;"
          "background:#f4f4f4;padding:.6em}.state{font-weight:bold}td,th{padding:.2em .6em;text-align:left}")


def write_pack(out_dir: str, pack: dict) -> list[str]:
    out_dir = os.path.abspath(out_dir)
    if os.path.exists(out_dir) and os.listdir(out_dir):
        raise UsageError(f"--out {out_dir} exists and is not empty")
    os.makedirs(out_dir, mode=0o700, exist_ok=True)
    os.chmod(out_dir, 0o700)
    files = [_write(out_dir, "index.json", json.dumps(pack, indent=2, ensure_ascii=False) + "\n"),
             _write(out_dir, "index.html", render_html(pack))]
    return files


def _write(out_dir: str, name: str, text: str) -> str:
    path = os.path.join(out_dir, name)
    atomic_write(path, lambda f: f.write(text.encode("utf-8")), 0o600)
    return path


def render_html(pack: dict) -> str:
    req = pack["request"]
    head = (f"<h1>Subject access request{' ' + escape(req['id']) if req.get('id') else ''}</h1>"
            f"<p>Received {escape(req['received'])}; due {escape(req['due'])}"
            f"{' (extended by two months)' if req['extended'] else ''}. Generated {escape(pack['generated'])}. "
            f"{pack['locations']} location(s) in {len(pack['groups'])} distinct content(s).</p>")
    body = "".join(_group_html(i, g) for i, g in enumerate(pack["groups"], 1))
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Subject access pack"
            f"</title><style>{_STYLE}</style></head><body>{head}{body}</body></html>\n")


def _group_html(n: int, group: dict) -> str:
    rows = "".join(f"<tr><td>{escape(c['location'])}</td><td class=\"state\">{escape(c['state'])}</td>"
                   f"<td>{escape(c['modified'] or '')}</td><td>{escape(c['reason'] or '')}</td></tr>"
                   for c in group["copies"])
    excerpts = "".join(f"<pre>{escape(e)}</pre>" for e in group["excerpts"])
    note = f"<p><em>{escape(group['note'])}</em></p>" if group["note"] else ""
    return (f"<section><h2>{n}. {escape(', '.join(group['entity_types']))}</h2>"
            f"<table><tr><th>copy</th><th>state</th><th>modified</th><th>note</th></tr>{rows}</table>"
            f"{note}{excerpts}</section>")
