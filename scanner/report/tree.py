"""Nest the flat folder, file and location rows of `figures` into a drill-down tree."""
from __future__ import annotations

import posixpath
from collections import defaultdict


def build_tree(folders: list[dict], files: list[dict], locations: list[dict]) -> list[dict]:
    """Roots -> folders -> files -> the locations in each file holding personal data.

    The rows come already capped by `figures`; what was left out is counted
    (`more_files`, `more_items`) so the page can say so.
    """
    by_file: dict[str, list[dict]] = defaultdict(list)
    for row in locations:
        by_file[row["path"]].append(_location_node(row))
    files_in: dict[str, list[dict]] = defaultdict(list)
    for row in files:
        files_in[row["folder"]].append(_file_node(row, by_file.get(row["path"], [])))
    nodes = {row["folder"]: _folder_node(row, files_in.get(row["folder"], [])) for row in folders}
    roots = []
    for row in folders:   # ordered by depth, so a parent exists before its children are attached
        node = nodes[row["folder"]]
        parent = nodes.get(posixpath.dirname(row["folder"])) if row["depth"] > 0 else None
        (parent["folders"] if parent else roots).append(node)
    return roots


def _folder_node(row: dict, files: list[dict]) -> dict:
    return dict(name=row["folder"] if row["depth"] == 0 else posixpath.basename(row["folder"]),
                path=row["folder"], findings=row["findings"], files=row["files"], locations=row["locations"],
                bytes=row["bytes"], folders=[], file_list=files, more_files=row["direct_files"] - len(files))


def _file_node(row: dict, items: list[dict]) -> dict:
    return dict(name=posixpath.basename(row["path"]), path=row["path"], kind=row["kind"],
                findings=row["findings"], locations=row["locations"], bytes=row["bytes"], owner=row["owner"],
                items=items, more_items=row["locations"] - len(items))


def _location_node(row: dict) -> dict:
    members = list(row["members"] or [])
    return dict(location=row["uri"], member=" › ".join(members) if members else "",
                findings=row["findings"], entity_types=list(row["entity_types"]), size=row["size"],
                previews=list(row["previews"] or []))
