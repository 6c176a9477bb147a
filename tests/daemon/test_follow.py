"""`find` in another process follows what happens under a watched directory, within 5 s."""
from __future__ import annotations

import os
import shutil

import pytest

from .conftest import find, letter, wait_for, write

pytestmark = pytest.mark.slow


def test_create_is_findable_by_email_and_name(watched, people):
    root, inventory, _ = watched
    (_, email), = people(1)
    name = "Margaret Thompson"    # fixed: the small model misses ~3% of random faker names ("Holly Day")
    path = os.path.join(root, "new", "letter.txt")
    write(path, letter(name, email))
    wait_for(lambda: find(inventory, email=email) == {path})
    assert path in find(inventory, name="THOMPSON, Margaret")   # the real NER model ran in the daemon


def test_edit_adds_then_removes_a_persons_email(watched, people):
    root, inventory, _ = watched
    (name_a, email_a), (name_b, email_b) = people(2)
    path = os.path.join(root, "notes.txt")
    write(path, f"call back {email_b}\n")
    wait_for(lambda: find(inventory, email=email_b) == {path})
    assert find(inventory, email=email_a) == set()

    with open(path, "a") as f:
        f.write(f"also copy in {email_a}\n")
    wait_for(lambda: find(inventory, email=email_a) == {path})

    write(path, f"call back {email_b}\n")                # A's address edited out again
    wait_for(lambda: find(inventory, email=email_a) == set())
    assert find(inventory, email=email_b) == {path}


def test_rename_moves_the_location(watched, people):
    root, inventory, _ = watched
    (name, email), = people(1)
    old, new = os.path.join(root, "draft.txt"), os.path.join(root, "final.txt")
    write(old, letter(name, email))
    wait_for(lambda: find(inventory, email=email) == {old})
    os.rename(old, new)
    wait_for(lambda: find(inventory, email=email) == {new})


def test_directory_moves_within_out_of_and_into_the_root(watched, people, tmp_path):
    root, inventory, _ = watched
    persons = people(3)
    folder = os.path.join(root, "clients")
    paths = {email: os.path.join(folder, f"{i}", "record.txt") for i, (_, email) in enumerate(persons)}
    for (name, email) in persons:
        write(paths[email], letter(name, email))
    for email, path in paths.items():
        wait_for(lambda: find(inventory, email=email) == {path})

    moved = os.path.join(root, "archive", "clients-2024")
    os.makedirs(os.path.dirname(moved))
    os.rename(folder, moved)                              # within the root
    for email, path in paths.items():
        expected = {path.replace(folder, moved)}
        wait_for(lambda: find(inventory, email=email) == expected)

    outside = str(tmp_path / "clients-out")
    shutil.move(moved, outside)                           # out of the root: gone
    for email in paths:
        wait_for(lambda: find(inventory, email=email) == set())

    back = os.path.join(root, "restored")
    shutil.move(outside, back)                            # and back in under a new name
    for email, path in paths.items():
        expected = {path.replace(folder, back)}
        wait_for(lambda: find(inventory, email=email) == expected)


def test_delete_file_and_directory(watched, people):
    root, inventory, _ = watched
    (n1, e1), (n2, e2) = people(2)
    single, nested = os.path.join(root, "one.txt"), os.path.join(root, "tree", "a", "b", "two.txt")
    write(single, letter(n1, e1))
    write(nested, letter(n2, e2))
    wait_for(lambda: find(inventory, email=e1) == {single} and find(inventory, email=e2) == {nested})
    os.unlink(single)
    wait_for(lambda: find(inventory, email=e1) == set())
    shutil.rmtree(os.path.join(root, "tree"))
    wait_for(lambda: find(inventory, email=e2) == set())


def test_members_of_an_archive_follow_their_file(watched, people):
    root, inventory, _ = watched
    import zipfile
    (name, email), = people(1)
    path = os.path.join(root, "bundle.zip")
    tmp = path + ".partial"
    with zipfile.ZipFile(tmp, "w") as z:
        z.writestr("inner/letter.txt", letter(name, email))
    os.rename(tmp, path)
    wait_for(lambda: find(inventory, email=email) == {path + "!/inner/letter.txt"})
    os.unlink(path)
    wait_for(lambda: find(inventory, email=email) == set())


def test_logs_hold_counts_and_paths_but_no_values(watched, people):
    root, inventory, daemon = watched
    (name, email), = people(1)
    write(os.path.join(root, "log-check.txt"), letter(name, email))
    wait_for(lambda: len(find(inventory, email=email)) == 1)
    records = daemon.log_records()
    assert any(r["msg"].startswith("updated") and r.get("files_read", 0) >= 1 for r in records)
    text = daemon.log()
    assert email not in text and name.split()[-1] not in text.replace(root, "")
