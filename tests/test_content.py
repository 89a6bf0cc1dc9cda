"""Finding the content files."""

import os

from generator.content import content_files


def test_content_files_are_found_in_a_sorted_walk_that_marks_symlinks(tmp_path):
    content, outside = tmp_path / "content", tmp_path / "outside"
    for folder in (content / "2024" / "b", content / ".drafts", outside):
        folder.mkdir(parents=True)
    for rel in ("z.md", "notes.txt", ".hidden.md", "2024/a.md", "2024/B.md", "2024/b/c.md", ".drafts/d.md"):
        (content / rel).write_text("x", encoding="utf-8")
    (outside / "o.md").write_text("x", encoding="utf-8")
    os.symlink(outside, content / "linked")  # a symlinked folder is not entered
    os.symlink(outside / "o.md", content / "2024" / "l.md")
    os.symlink(tmp_path / "gone.md", content / "broken.md")

    assert content_files(content) == [
        (".hidden.md", False), ("broken.md", True), ("z.md", False),  # a folder's files first, sorted
        ("2024/B.md", False), ("2024/a.md", False), ("2024/l.md", True),  # then each subfolder in turn
        ("2024/b/c.md", False),
    ]
    assert content_files(tmp_path / "missing") == []
