"""Render the figures of `figures.compute_figures` as one self-contained HTML page.

Every number shown sits in an element with `data-figure` (and `data-key` for
the row), so a test or a script can read the page back and compare.
"""
from __future__ import annotations

from html import escape

from . import svg
from .page import figure, human_bytes, page, size_figure, table, tags
from .render_where import where_section

KIND_COLOURS = {"mail": "#d9822b", "share": "#2f6f9f", "backup": "#3a9a6b"}
KIND_TITLES = {"mail": "Mail", "share": "Shares", "backup": "Backups"}
KIND_NOTES = {"mail": "in mailboxes and message files", "share": "plain files on shares and disks",
              "backup": "inside archives and compressed files"}
TOTAL_CARDS = [("locations", "locations scanned"), ("with_personal_data", "hold personal data"),
               ("files_with_personal_data", "files on disk holding it"), ("findings", "findings"),
               ("value_count", "distinct values"), ("not_read", "skipped or unreadable")]
FOOTER = ("A location holds personal data when its content or its file name has at least one finding. "
          "Findings count occurrences; values count distinct keyed values. Kind is what the outermost file "
          "on disk is. Ages are last-modified times in UTC (an archive member keeps its stored time). "
          "Only masked previews are shown; the inventory holds no plaintext values.")


def render_html(fig: dict) -> str:
    body = "".join([_totals(fig["totals"]), where_section(fig["where"]), _kinds(fig["kind"]),
                    _age(fig["age"]), _duplicates(fig["duplicates"]), _suppressed(fig["suppressed"])])
    subtitle = (f'Inventory <span class="loc">{escape(fig["inventory"])}</span> · '
                f'as of {escape(fig["as_of"])} · retention {escape(fig["age"]["retention"])}')
    return page("pdsweep: where personal data lives", subtitle, body, FOOTER)


def _totals(t: dict) -> str:
    html = ['<section id="totals"><h2>Totals</h2><div class="cards">']
    html += [_card(figure("totals." + key, t[key], cls="num"), label) for key, label in TOTAL_CARDS]
    size = size_figure("totals.bytes_with_personal_data", t["bytes_with_personal_data"], cls="num")
    html.append(_card(size, "in locations holding personal data") + "</div>")
    html.append("<h3>By entity type</h3>")
    html.append(svg.hbar_chart([(r["entity_type"], r["findings"]) for r in t["by_entity_type"]]))
    html.append(table(["entity type", "locations", "findings", "values"], [
        [escape(r["entity_type"])] + [figure(f"entity.{n}", r[n], r["entity_type"])
                                      for n in ("locations", "findings", "value_count")]
        for r in t["by_entity_type"]], numeric={1, 2, 3}))
    html.append("<h3>Skipped or unreadable, with reasons</h3>")
    html.append(table(["status", "reason", "locations"], [
        [escape(r["status"]), escape(r["reason"]),
         figure("not_read.locations", r["locations"], f'{r["status"]}: {r["reason"]}')]
        for r in t["not_read_by_reason"]], numeric={2}, empty="every location was read"))
    return "".join(html) + "</section>"


def _card(number_html: str, label: str) -> str:
    return f'<div class="card">{number_html}<span class="lbl">{escape(label)}</span></div>'


def _kinds(kinds: list[dict]) -> str:
    rows = [("locations", "locations"), ("files", "files on disk"), ("findings", "findings"),
            ("value_count", "distinct values")]
    html = ['<section id="kind"><h2>Mail, shares and backups</h2><div class="kinds">']
    for k in kinds:
        dl = "".join(f'<dt>{label}</dt><dd>{figure("kind." + key, k[key], k["kind"])}</dd>'
                     for key, label in rows)
        dl += f'<dt>size</dt><dd>{size_figure("kind.bytes", k["bytes"], k["kind"])}</dd>'
        html.append(f'<div class="card kind {k["kind"]}"><h3>{KIND_TITLES[k["kind"]]}</h3>'
                    f'<span class="lbl">{KIND_NOTES[k["kind"]]}</span><dl>{dl}</dl></div>')
    html.append("</div><h3>Findings by kind</h3>")
    html.append(svg.hbar_chart([(KIND_TITLES[k["kind"]], k["findings"]) for k in kinds],
                               colours=[KIND_COLOURS[k["kind"]] for k in kinds]))
    return "".join(html) + "</section>"


def _age(age: dict) -> str:
    older = age["older"]
    cutoff_year = int(age["cutoff"][:4]) if age["cutoff"] else None
    html = ['<section id="age"><h2>Age</h2><p>Last-modified year of every location holding personal data. '
            '<span class="legend"><span style="background:var(--old)"></span>'
            f'up to {cutoff_year} (the cut-off year)'
            '<span style="background:var(--recent)"></span>later</span></p>',
            svg.histogram([(_year(b), b["locations"]) for b in age["histogram"]], cutoff_year),
            '<p class="note">' + " · ".join(f'{_year(b)}: {figure("age.year", b["locations"], b["year"])}'
                                             for b in age["histogram"]) + "</p>"]
    if age["undated"]:
        html.append(f'<p class="note">{figure("age.undated", age["undated"])} location(s) have no date.</p>')
    html.append(f'<h3>Older than the retention period ({escape(age["retention"])}: last modified before '
                f'{escape(age["cutoff"])}): {figure("age.older.count", older["count"])} location(s), '
                f'{size_figure("age.older.bytes", older["bytes"])}, the candidates for deletion</h3>')
    html.append(table(["location", "modified", "size", "owner", "kind", "findings"], [
        [figure("age.older.location", r["location"], cls="loc") + " " + tags(r["entity_types"]),
         f'<span class="d">{escape(r["modified"])}</span>', human_bytes(r["size"] or 0),
         escape(r["owner"] or ""), escape(r["kind"]),
         figure("age.older.findings", r["findings"], r["location"])]
        for r in older["items"]], numeric={2, 5}, empty="nothing older than the retention period"))
    if older["count"] > older["shown"]:
        html.append(f'<p class="note">the {older["shown"]:,} oldest are listed; '
                    'the JSON has the same cap</p>')
    return "".join(html) + "</section>"


def _year(histogram_bin: dict) -> str:
    return ("≤" if histogram_bin["and_earlier"] else "") + str(histogram_bin["year"])


def _duplicates(d: dict) -> str:
    html = ['<section id="duplicates"><h2>Duplicates</h2>',
            f'<p>{figure("duplicates.groups", d["groups"])} content(s) holding personal data are stored in '
            f'more than one place: {figure("duplicates.redundant_copies", d["redundant_copies"])} '
            'extra copies, '
            f'{size_figure("duplicates.redundant_bytes", d["redundant_bytes"])}.</p>']
    html.append(table(["content", "copies", "size", "findings", "locations"], [
        [f'<span class="loc">{escape(r["content"])}</span><br>{tags(r["entity_types"])}',
         figure("duplicates.copies", r["copies"], r["content"]), human_bytes(r["size"] or 0),
         f'{r["findings"]:,}', _copies(r)]
        for r in d["items"]], numeric={1, 2, 3}, empty="no content is held in more than one place"))
    return "".join(html) + "</section>"


def _copies(row: dict) -> str:
    listed = "<br>".join(f'<span class="loc">{escape(loc)}</span>' for loc in row["locations"])
    left_out = row["copies"] - len(row["locations"])
    return listed + (f'<br><span class="note">and {left_out:,} more</span>' if left_out > 0 else "")


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
        html.append(table(columns, [[figure("suppressed.location", item[c], cls="loc") if c == "location"
                                     else _value(item.get(c)) for c in columns] for item in s["items"]]))
    return "".join(html) + "</section>"


def _value(value) -> str:
    if isinstance(value, (list, tuple)):
        return "<br>".join(escape(str(v)) for v in value)
    return escape("" if value is None else str(value))
