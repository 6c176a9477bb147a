"""The page shell: inline stylesheet, a few lines of inline script, and small HTML helpers.

Nothing here refers to anything outside the file: system fonts, no images, no
links to the network, so the report opens the same air-gapped.
"""
from __future__ import annotations

from html import escape

STYLE = """
:root { --ink:#1d2733; --muted:#5d6b7a; --line:#dde3ea; --bg:#f5f7fa; --card:#fff; --accent:#2f6f9f;
        --old:#c0603a; --recent:#2f6f9f; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
       color:var(--ink); background:var(--bg); }
header { background:#1f3b57; color:#fff; padding:22px 32px 18px; }
header h1 { margin:0 0 4px; font-size:22px; font-weight:600; }
header p { margin:0; color:#c9d6e3; font-size:13px; }
main { max-width:1080px; margin:0 auto; padding:8px 24px 40px; }
section { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:18px 22px;
          margin:18px 0; }
h2 { font-size:17px; margin:0 0 12px; }
h3 { font-size:14px; margin:16px 0 8px; color:var(--muted); font-weight:600; }
.cards { display:grid; grid-template-columns:repeat(auto-fit,minmax(128px,1fr)); gap:12px; }
.card { border:1px solid var(--line); border-radius:6px; padding:10px 14px; background:#fbfcfd; }
.card .num { font-size:22px; font-weight:600; display:block; white-space:nowrap; }
.card .lbl { color:var(--muted); font-size:12px; }
.kinds { display:grid; grid-template-columns:repeat(3,1fr); gap:14px; }
.kind { border-top:4px solid var(--accent); }
.kind.mail { border-top-color:#d9822b; } .kind.backup { border-top-color:#3a9a6b; }
.kind dl { display:grid; grid-template-columns:auto auto; margin:8px 0 0; gap:2px 12px; }
.kind dt { color:var(--muted); } .kind dd { margin:0; text-align:right; font-variant-numeric:tabular-nums; }
table { border-collapse:collapse; width:100%; font-size:13px; }
th, td { text-align:left; padding:5px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { color:var(--muted); font-weight:600; background:#f8fafc; }
.d { white-space:nowrap; }
td.n, th.n { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
.loc { font-family:ui-monospace,"DejaVu Sans Mono",monospace; font-size:12px; word-break:break-all; }
.preview { font-family:ui-monospace,"DejaVu Sans Mono",monospace; font-size:12px; background:#eef2f6;
           border-radius:3px; padding:0 4px; margin-right:4px; white-space:nowrap; }
.tag { display:inline-block; font-size:11px; border:1px solid var(--line); border-radius:9px; padding:0 6px;
       margin:1px 2px 1px 0; color:var(--muted); }
.empty, .note { color:var(--muted); font-style:italic; }
svg text { font-size:12px; fill:var(--ink); } svg .small { font-size:11px; fill:var(--muted); }
svg .axis { stroke:#9aa7b4; } svg .old { fill:var(--old); } svg .recent { fill:var(--recent); }
svg .cell { cursor:pointer; } svg .cell rect { stroke:#fff; stroke-width:2; opacity:.92; }
svg .cell:hover rect, svg .cell:focus rect { opacity:1; }
svg .cell-label { fill:#fff; font-weight:600; font-size:13px; }
svg .cell-sub { fill:#eef3f8; font-size:11px; }
details { margin:2px 0 2px 14px; }
details > summary { cursor:pointer; padding:3px 0; list-style-position:outside; }
details.root { margin-left:0; }
.row { display:inline-flex; gap:10px; align-items:center; width:calc(100% - 24px); }
.row .name { flex:1 1 auto; min-width:0; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
.bar { flex:0 0 160px; height:8px; background:#e8edf2; border-radius:4px; overflow:hidden; }
.bar span { display:block; height:100%; background:var(--accent); }
.row .n { flex:0 0 120px; text-align:right; color:var(--muted); font-variant-numeric:tabular-nums; }
.files { margin:4px 0 8px 14px; width:calc(100% - 14px); }
.legend span { display:inline-block; width:10px; height:10px; border-radius:2px; margin:0 4px 0 12px; }
.tools button { font:inherit; font-size:12px; border:1px solid var(--line); background:#fff;
                border-radius:4px; padding:2px 8px; cursor:pointer; margin-left:6px; }
footer { color:var(--muted); font-size:12px; max-width:1080px; margin:0 auto; padding:0 24px 30px; }
"""

# Treemap cells open the matching folder in the tree; two buttons open or close every folder.
SCRIPT = """
document.addEventListener('DOMContentLoaded', function () {
  function reveal(id) {
    var node = document.getElementById(id);
    for (var el = node; el; el = el.parentElement) { if (el.tagName === 'DETAILS') el.open = true; }
    if (node) node.scrollIntoView({block: 'start', behavior: 'smooth'});
  }
  document.querySelectorAll('svg .cell').forEach(function (cell) {
    cell.addEventListener('click', function () { reveal(cell.getAttribute('data-target')); });
    cell.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') reveal(cell.getAttribute('data-target'));
    });
  });
  document.querySelectorAll('[data-expand]').forEach(function (button) {
    button.addEventListener('click', function () {
      var open = button.getAttribute('data-expand') === 'all';
      document.querySelectorAll('#tree details').forEach(function (d) { d.open = open; });
    });
  });
});
"""


def page(title: str, subtitle: str, body: str, footer: str) -> str:
    # A CSP that forbids every fetch: a stray reference could not leak a request even if one slipped in.
    csp = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
    return (f'<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{escape(title)}</title><style>{STYLE}</style><script>{SCRIPT}</script></head>'
            f'<body><header><h1>{escape(title)}</h1><p>{subtitle}</p></header><main>{body}</main>'
            f'<footer>{footer}</footer></body></html>\n')


def figure(name: str, value: int | str, key: str | None = None, shown: str | None = None, tag: str = "span",
           cls: str = "") -> str:
    """An element holding one figure: `data-figure` names it, `data-key` its row, `data-value` is exact."""
    text = shown if shown is not None else (f"{value:,}" if isinstance(value, int) else str(value))
    key_attr = f' data-key="{escape(str(key))}"' if key is not None else ""
    cls_attr = f' class="{cls}"' if cls else ""
    return (f'<{tag}{cls_attr} data-figure="{escape(name)}"{key_attr} data-value="{escape(str(value))}">'
            f'{escape(text)}</{tag}>')


def size_figure(name: str, n: int, key: str | None = None, cls: str = "") -> str:
    return figure(name, n, key, shown=human_bytes(n), cls=cls)


def table(headers: list[str], rows: list, numeric: set[int] = frozenset(), empty: str = "none",
          cls: str = "") -> str:
    """Rows are lists of cell HTML, or whole `<tr>` strings already built."""
    if not rows:
        return f'<p class="empty">{escape(empty)}</p>'
    def align(i: int) -> str:
        return ' class="n"' if i in numeric else ""
    head = "".join(f"<th{align(i)}>{escape(h)}</th>" for i, h in enumerate(headers))
    body = "".join(row if isinstance(row, str) else
                   "<tr>" + "".join(f"<td{align(i)}>{c}</td>" for i, c in enumerate(row)) + "</tr>"
                   for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def human_bytes(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            return f"{int(size)} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{n} B"


def tags(values: list[str]) -> str:
    return "".join(f'<span class="tag">{escape(v)}</span>' for v in values)


def previews(values: list[str]) -> str:
    return "".join(f'<span class="preview">{escape(v)}</span>' for v in values)
