"""Render the figures of `figures.compute_figures` as one self-contained HTML page.

Every number shown sits in an element with `data-figure` (and `data-key` for
the row), so a test or a script can read the page back and compare.
"""
from __future__ import annotations

import hashlib
from html import escape

from . import svg
from .page import figure, human_bytes, page, previews, tags

KIND_COLOURS = {"mail": "#d9822b", "share": "#2f6f9f", "backup": "#3a9a6b"}
KIND_TITLES = {"mail": "Mail", "share": "Shares", "backup": "Backups"}
KIND_NOTES = {"mail": "in mailboxes and message files", "share": "plain files on shares and disks",
              "backup": "inside archives and compressed files"}


def render_html(fig: dict) -> str:
    body = "".join([_totals(fig["totals"]), _where(fig["where"]), _kinds(fig["kind"]), _age(fig["age"]),
                    _duplicates(fig["duplicates"]), _suppressed(fig["suppressed"])])
    subtitle = (f'Inventory <span class="loc">{escape(fig["inventory"])}</span> · as of {escape(fig["as_of"])} · '
                f'retention {escape(fig["age"]["retention"])}')
    footer = ("A location holds personal data when its content or its file name has at least one finding. "
              "Findings count occurrences; values count distinct keyed values. Kind is what the outermost file "
              "on disk is. Ages are last-modified times (an archive member keeps its stored time). "
              "Only masked previews are shown; the inventory holds no plaintext values.")
    return page("pdsweep: where personal data lives", subtitle, body, footer)


def _totals(t: dict) -> str:
    cards = [("locations", "locations scanned"), ("with_personal_data", "hold personal data"),
             ("files_with_personal_data", "files on disk holding it"), ("findings", "findings"),
             ("value_count", "distinct values"), ("not_read", "not read (skipped, errors)")]
    html = ['<section id="totals"><h2>Totals</h2><div class="cards">']
    html += [f'<div class="card">{figure("totals." + k, t[k], cls="num")}<span class="lbl">{label}</span></div>'
             for k, label in cards]
    html.append(f'<div class="card">{figure("totals.bytes_with_personal_data", t["bytes_with_personal_data"], shown=human_bytes(t["bytes_with_personal_data"]), cls="num")}'
                f'<span class="lbl">in locations holding personal data</span></div></div>')
    html.append("<h3>By entity type</h3>")
    html.append(svg.hbar_chart([(r["entity_type"], r["findings"]) for r in t["by_entity_type"]]))
    html.append(_table(["entity type", "locations", "findings", "values"], [
        [escape(r["entity_type"]), _n("entity.locations", r["locations"], r["entity_type"]),
         _n("entity.findings", r["findings"], r["entity_type"]), _n("entity.value_count", r["value_count"], r["entity_type"])]
        for r in t["by_entity_type"]], numeric={1, 2, 3}))
    html.append("<h3>Not read, with reasons</h3>")
    html.append(_table(["status", "reason", "locations"], [
        [escape(r["status"]), escape(r["reason"]), _n("not_read.locations", r["locations"], f'{r["status"]}: {r["reason"]}')]
        for r in t["not_read_by_reason"]], numeric={2}, empty="every location was read"))
    return "".join(html) + "</section>"


def _where(where: dict) -> str:
    html = ['<section id="where"><h2>Where</h2>']
    for root in where["roots"]:
        children = root["folders"] + root["file_list"]
        html.append(f'<h3>{escape(root["path"])}: {root["findings"]:,} findings in {root["files"]:,} file(s)</h3>')
        html.append(svg.treemap(_treemap_cells(children)))
    if not where["roots"]:
        html.append('<p class="empty">no personal data found</p>')
    html.append('<h3>Folders and files <span class="tools"><button data-expand="all">expand all</button>'
                '<button data-expand="none">collapse all</button></span></h3><div id="tree">')
    html += [_folder(root, root["findings"], is_root=True) for root in where["roots"]]
    if where["folders"] > where["folders_shown"]:
        html.append(f'<p class="note">the {where["folders_shown"]:,} folders with most findings are listed, '
                    f'of {where["folders"]:,}</p>')
    return "".join(html) + "</div></section>"


def _treemap_cells(children: list[dict], groups: int = 20, per_group: int = 6) -> list[dict]:
    """Two levels: each top folder split into its own folders and files, coloured by the top folder.

    The smaller groups and cells are merged into "other" so every cell stays big enough to label.
    """
    ranked = sorted(children, key=lambda c: -c["findings"])
    cells = []
    for group, child in enumerate(ranked[:groups]):
        inner = sorted(child.get("folders", []) + child.get("file_list", []), key=lambda n: -n["findings"])
        if sum(n["findings"] for n in inner[:per_group]) < child["findings"] / 2:
            inner = []      # split into slivers it would tell nothing: one cell for the whole folder
        for node in inner[:per_group] or [child]:
            label = f'{child["name"]}/{node["name"]}' if inner else child["name"]
            cells.append(_cell_of(label, node["findings"], node["path"], group))
        rest = child["findings"] - sum(n["findings"] for n in inner[:per_group]) if inner else 0
        if rest > 0:
            cells.append(_cell_of(f'{child["name"]}/… other', rest, child["path"], group, other=True))
    rest = sum(c["findings"] for c in ranked[groups:])
    if rest > 0:
        cells.append(_cell_of(f"{len(ranked) - groups:,} other folders", rest, ranked[0]["path"], groups, other=True))
    return cells


def _cell_of(label: str, findings: int, path: str, group: int, other: bool = False) -> dict:
    return dict(label=label, value=findings, target=_node_id(path), group=group, other=other,
                sub=f"{findings:,} findings")


def _folder(node: dict, top: int, is_root: bool = False) -> str:
    summary = _tree_row(node["name"], node["findings"], top, "where.findings", node["path"],
                        f'{node["files"]:,} file(s)')
    inner = [_folder(child, top) for child in node["folders"]]
    if node["file_list"]:
        rows = [_file_rows(f) for f in node["file_list"]]
        inner.append(_table(["file / location", "findings", "size", "owner", "masked previews"], rows,
                            numeric={1, 2}, cls="files"))
    if node["more_files"]:
        inner.append(f'<p class="note">and {node["more_files"]:,} more file(s) not listed</p>')
    return (f'<details id="{_node_id(node["path"])}"{" open" if is_root else ""} class="{"root" if is_root else ""}">'
            f'<summary>{summary}</summary>{"".join(inner)}</details>')


def _file_rows(f: dict) -> str:
    rows = [f'<tr><td class="loc"><b>{escape(f["name"])}</b> <span class="tag">{f["kind"]}</span></td>'
            f'<td class="n">{figure("where.findings", f["findings"], f["path"])}</td>'
            f'<td class="n">{human_bytes(f["bytes"])}</td><td>{escape(f["owner"] or "")}</td><td></td></tr>']
    for item in f["items"]:
        label = escape(item["member"]) if item["member"] else "(the file itself)"
        rows.append(f'<tr><td class="loc">&nbsp;&nbsp;↳ {label} {tags(item["entity_types"])}</td>'
                    f'<td class="n">{figure("where.location.findings", item["findings"], item["location"])}</td>'
                    f'<td class="n">{human_bytes(item["size"] or 0)}</td><td></td>'
                    f'<td>{previews(item["previews"])}</td></tr>')
    if f["more_items"]:
        rows.append(f'<tr><td colspan="5" class="note">and {f["more_items"]:,} more location(s)</td></tr>')
    return "".join(rows)


def _tree_row(name: str, value: int, top: int, fig_name: str, key: str, note: str) -> str:
    share = 100 * value / top if top else 0
    return (f'<span class="row"><span class="name loc" title="{escape(key)}">{escape(name)}</span>'
            f'<span class="bar"><span style="width:{share:.1f}%"></span></span>'
            f'<span class="n">{figure(fig_name, value, key)} findings</span><span class="n">{note}</span></span>')


def _kinds(kinds: list[dict]) -> str:
    html = ['<section id="kind"><h2>Mail, shares and backups</h2><div class="kinds">']
    for k in kinds:
        rows = [("locations", "locations"), ("files", "files on disk"), ("findings", "findings"),
                ("value_count", "distinct values")]
        dl = "".join(f'<dt>{label}</dt><dd>{figure("kind." + key, k[key], k["kind"])}</dd>' for key, label in rows)
        dl += f'<dt>size</dt><dd>{figure("kind.bytes", k["bytes"], k["kind"], shown=human_bytes(k["bytes"]))}</dd>'
        html.append(f'<div class="card kind {k["kind"]}"><h3>{KIND_TITLES[k["kind"]]}</h3>'
                    f'<span class="lbl">{KIND_NOTES[k["kind"]]}</span><dl>{dl}</dl></div>')
    html.append("</div><h3>Findings by kind</h3>")
    html.append(svg.hbar_chart([(KIND_TITLES[k["kind"]], k["findings"]) for k in kinds],
                               colours=[KIND_COLOURS[k["kind"]] for k in kinds]))
    return "".join(html) + "</section>"


def _age(age: dict) -> str:
    older = age["older"]
    cutoff_year = int(age["cutoff"][:4]) if age["cutoff"] else None
    html = ['<section id="age"><h2>Age</h2>',
            '<p>Last-modified year of every location holding personal data. '
            f'<span class="legend"><span style="background:var(--old)"></span>up to {cutoff_year} (the cut-off year)'
            '<span style="background:var(--recent)"></span>later</span></p>',
            svg.histogram([(b["year"], b["locations"]) for b in age["histogram"]], cutoff_year)]
    html.append('<p class="note">' + " · ".join(
        f'{b["year"]}: {figure("age.year", b["locations"], b["year"])}' for b in age["histogram"]) + "</p>")
    if age["undated"]:
        html.append(f'<p class="note">{figure("age.undated", age["undated"])} location(s) have no date.</p>')
    html.append(f'<h3>Older than the retention period ({escape(age["retention"])}: last modified before '
                f'{escape(age["cutoff"])}): {figure("age.older.count", older["count"])} location(s), '
                f'{figure("age.older.bytes", older["bytes"], shown=human_bytes(older["bytes"]))}, '
                'the candidates for deletion</h3>')
    html.append(_table(["location", "modified", "size", "owner", "kind", "findings"], [
        [figure("age.older.location", r["location"], tag="span", cls="loc") + " " + tags(r["entity_types"]),
         f'<span class="d">{escape(r["modified"])}</span>', human_bytes(r["size"] or 0), escape(r["owner"] or ""),
         r["kind"],
         _n("age.older.findings", r["findings"], r["location"])]
        for r in older["items"]], numeric={2, 5}, empty="nothing older than the retention period"))
    if older["count"] > older["shown"]:
        html.append(f'<p class="note">the {older["shown"]:,} oldest shown; the JSON output has the same cap</p>')
    return "".join(html) + "</section>"


def _duplicates(d: dict) -> str:
    html = ['<section id="duplicates"><h2>Duplicates</h2>',
            f'<p>{figure("duplicates.groups", d["groups"])} content(s) holding personal data are stored in more '
            f'than one place: {figure("duplicates.redundant_copies", d["redundant_copies"])} extra copies, '
            f'{figure("duplicates.redundant_bytes", d["redundant_bytes"], shown=human_bytes(d["redundant_bytes"]))}.</p>']
    html.append(_table(["content", "copies", "size", "findings", "locations"], [
        [f'<span class="loc">{escape(r["content"])}</span><br>{tags(r["entity_types"])}',
         _n("duplicates.copies", r["copies"], r["content"]), human_bytes(r["size"] or 0), f'{r["findings"]:,}',
         "<br>".join(f'<span class="loc">{escape(loc)}</span>' for loc in r["locations"])
         + (f'<br><span class="note">and {r["copies"] - len(r["locations"]):,} more</span>'
            if r["copies"] > len(r["locations"]) else "")]
        for r in d["items"]], numeric={1, 2, 3}, empty="no content is held in more than one place"))
    return "".join(html) + "</section>"


def _suppressed(s: dict) -> str:
    html = ['<section id="suppressed"><h2>Suppressed subjects found again</h2>']
    if not s["recorded"]:
        html.append(f'<p class="empty">none recorded ({escape(s["note"])})</p>')
    elif not s["items"]:
        html.append(f'<p>{figure("suppressed.count", 0)} suppressed subjects reappeared.</p>')
    else:
        columns = list(s["items"][0])
        html.append(f'<p>{figure("suppressed.count", s["count"])} hit(s) of suppressed subjects: '
                    'restored or re-created copies to put beyond use again.</p>')
        html.append(_table(columns, [[figure("suppressed.location", item[c], cls="loc") if c == "location"
                                      else _cell(item.get(c)) for c in columns] for item in s["items"]]))
    return "".join(html) + "</section>"


def _table(headers: list[str], rows: list, numeric: set[int] = frozenset(), empty: str = "none",
           cls: str = "") -> str:
    if not rows:
        return f'<p class="empty">{escape(empty)}</p>'
    head = "".join(f'<th class="{"n" if i in numeric else ""}">{escape(h)}</th>' for i, h in enumerate(headers))
    body = "".join(row if isinstance(row, str) else
                   "<tr>" + "".join(f'<td class="{"n" if i in numeric else ""}">{c}</td>' for i, c in enumerate(row))
                   + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _n(name: str, value: int, key: str) -> str:
    return figure(name, value, key)


def _cell(value) -> str:
    if isinstance(value, (list, tuple)):
        return "<br>".join(escape(str(v)) for v in value)
    return escape("" if value is None else str(value))


def _node_id(path: str) -> str:
    return "n-" + hashlib.sha1(path.encode("utf-8", "surrogatepass")).hexdigest()[:12]
