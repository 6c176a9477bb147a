"""The "Where" section: a treemap of the top folders and a drill-down tree to files and their members."""
from __future__ import annotations

import hashlib
from html import escape

from . import svg
from .page import figure, human_bytes, previews, table, tags

FILE_COLUMNS = ["file / location", "findings", "size", "owner", "masked previews"]


def where_section(where: dict) -> str:
    html = ['<section id="where"><h2>Where</h2>']
    for root in where["roots"]:
        html.append(f'<h3>{escape(root["path"])}: {root["findings"]:,} findings '
                    f'in {root["files"]:,} file(s)</h3>')
        html.append(svg.treemap(treemap_cells(root["folders"] + root["file_list"])))
    if not where["roots"]:
        html.append('<p class="empty">no personal data found</p>')
    html.append('<h3>Folders and files <span class="tools"><button data-expand="all">expand all</button>'
                '<button data-expand="none">collapse all</button></span></h3><div id="tree">')
    html += [_folder(root, root["findings"], is_root=True) for root in where["roots"]]
    if where["folders"] > where["folders_shown"]:
        html.append(f'<p class="note">the {where["folders_shown"]:,} folders with most findings are listed, '
                    f'of {where["folders"]:,}</p>')
    return "".join(html) + "</div></section>"


def treemap_cells(children: list[dict], groups: int = 20, per_group: int = 6) -> list[dict]:
    """Two levels: each top folder split into its own folders and files, coloured by the top folder.

    The smaller groups and cells are merged into "other" so every cell stays big enough to label.
    """
    ranked = sorted(children, key=lambda c: -c["findings"])
    cells = []
    for group, child in enumerate(ranked[:groups]):
        inner = sorted(child.get("folders", []) + child.get("file_list", []), key=lambda n: -n["findings"])
        inner = inner[:per_group]
        if sum(n["findings"] for n in inner) < child["findings"] / 2:
            inner = []      # split into slivers it would tell nothing: one cell for the whole folder
        for node in inner or [child]:
            label = f'{child["name"]}/{node["name"]}' if inner else child["name"]
            cells.append(_cell(label, node["findings"], node["path"], group))
        rest = child["findings"] - sum(n["findings"] for n in inner) if inner else 0
        if rest > 0:
            cells.append(_cell(f'{child["name"]}/… other', rest, child["path"], group, other=True))
    rest = sum(c["findings"] for c in ranked[groups:])
    if rest > 0:
        label = f"{len(ranked) - groups:,} other folders"
        cells.append(_cell(label, rest, ranked[0]["path"], groups, other=True))
    return cells


def node_id(path: str) -> str:
    """An element id for a folder: paths hold characters no id should."""
    return "n-" + hashlib.sha1(path.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def _cell(label: str, findings: int, path: str, group: int, other: bool = False) -> dict:
    return dict(label=label, value=findings, target=node_id(path), group=group, other=other,
                sub=f"{findings:,} findings")


def _folder(node: dict, top: int, is_root: bool = False) -> str:
    inner = [_folder(child, top) for child in node["folders"]]
    if node["file_list"]:
        rows = [_file_rows(f) for f in node["file_list"]]
        inner.append(table(FILE_COLUMNS, rows, numeric={1, 2}, cls="files"))
    if node["more_files"]:
        inner.append(f'<p class="note">and {node["more_files"]:,} more file(s) not listed</p>')
    attributes = ' open class="root"' if is_root else ""
    return (f'<details id="{node_id(node["path"])}"{attributes}><summary>{_summary(node, top)}</summary>'
            f'{"".join(inner)}</details>')


def _summary(node: dict, top: int) -> str:
    share = 100 * node["findings"] / top if top else 0
    return (f'<span class="row">'
            f'<span class="name loc" title="{escape(node["path"])}">{escape(node["name"])}</span>'
            f'<span class="bar"><span style="width:{share:.1f}%"></span></span>'
            f'<span class="n">{figure("where.findings", node["findings"], node["path"])} findings</span>'
            f'<span class="n">{node["files"]:,} file(s)</span></span>')


def _file_rows(f: dict) -> str:
    rows = [f'<tr><td class="loc"><b>{escape(f["name"])}</b> '
            f'<span class="tag">{escape(f["kind"])}</span></td>'
            f'<td class="n">{figure("where.findings", f["findings"], f["path"])}</td>'
            f'<td class="n">{human_bytes(f["bytes"])}</td><td>{escape(f["owner"] or "")}</td><td></td></tr>']
    for item in f["items"]:
        label = escape(item["member"]) if item["member"] else "(the file itself)"
        rows.append(f'<tr><td class="loc">&nbsp;&nbsp;↳ {label} {tags(item["entity_types"])}</td>'
                    f'<td class="n">{figure("where.location.findings", item["findings"], item["location"])}'
                    '</td>'
                    f'<td class="n">{human_bytes(item["size"] or 0)}</td><td></td>'
                    f'<td>{previews(item["previews"])}</td></tr>')
    if f["more_items"]:
        rows.append(f'<tr><td colspan="5" class="note">and {f["more_items"]:,} more location(s)</td></tr>')
    return "".join(rows)
