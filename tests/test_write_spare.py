"""The folder a build replaces is kept beside the output to stage the next build, never trusted blindly."""

from __future__ import annotations

from pathlib import Path

from site_builder.write import Kept, spare_path, write_site


def kept(path: Path) -> Kept:
    """The live file, as the build's manifest would hand it over to be linked."""
    return Kept(path, path.stat().st_ino)


def _tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_each_build_writes_exactly_its_files_whatever_the_spare_held(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    # Build n is staged in the folder of build n - 2: files become folders and folders files.
    builds = [
        {"index.html": b"1", "posts/a/index.html": b"a", "posts/b/index.html": b"b"},
        {"index.html": b"2", "models/x.json": b"{}"},
        {"index.html": b"3", "posts": b"a file where a folder was"},
        {"index.html": b"4", "models/x.json": b"{1}"},
        {"index.html": b"5", "posts/c/index.html": b"c"},
        {"index.html": b"5"},
    ]
    for files in builds:
        write_site(files, out)
        assert _tree(out) == files
    assert spare_path(out).is_dir()


def test_a_changed_file_is_never_written_into_the_file_the_live_site_links_to(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site({"page.html": b"one"}, out)
    # Kept: the new folder links the live file, so the spare (the first build) and the site share it.
    write_site({"page.html": b"one"}, out, keep=lambda name: kept(out / name))
    write_site({"page.html": b"one"}, out, keep=lambda name: kept(out / name))
    assert (out / "page.html").stat().st_ino == (spare_path(out) / "page.html").stat().st_ino
    write_site({"page.html": b"two"}, out)
    assert (out / "page.html").read_bytes() == b"two"
    assert (spare_path(out) / "page.html").read_bytes() == b"one"


def test_unchanged_files_linked_in_the_spare_are_kept_as_they_are(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    files = {"index.html": b"home", "posts/a/index.html": b"a"}
    write_site(files, out)
    write_site(files, out, keep=lambda name: kept(out / name))
    inode = (out / "posts/a/index.html").stat().st_ino
    written = write_site(
        {**files, "index.html": b"new home"}, out, keep=lambda name: None if name == "index.html" else kept(out / name)
    )
    assert written == 1
    assert (out / "posts/a/index.html").stat().st_ino == inode
    assert _tree(out) == {**files, "index.html": b"new home"}


def test_links_planted_in_the_spare_are_removed_not_followed(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_bytes(b"not ours")
    write_site({"index.html": b"1"}, out)
    write_site({"index.html": b"2"}, out)
    (spare_path(out) / "posts").symlink_to(outside)
    (spare_path(out) / "index.html").unlink()
    (spare_path(out) / "index.html").symlink_to(outside / "index.html")
    write_site({"index.html": b"3", "posts/index.html": b"p"}, out)
    assert _tree(out) == {"index.html": b"3", "posts/index.html": b"p"}
    assert not (out / "posts").is_symlink()
    assert _tree(outside) == {"index.html": b"not ours"}


def test_a_spare_that_is_a_link_is_not_used(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_bytes(b"mine")
    spare_path(out).symlink_to(elsewhere)
    write_site({"index.html": b"1"}, out)
    write_site({"index.html": b"2"}, out)
    assert _tree(out) == {"index.html": b"2"}
    assert _tree(elsewhere) == {"keep.txt": b"mine"}
    assert not spare_path(out).is_symlink()


def test_linked_files_are_linked_from_where_they_are(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    kept = tmp_path / "kept.bin"
    kept.write_bytes(b"index")
    for _ in range(3):  # the third build finds the first's folder, holding this very file, as its spare
        write_site({"index.html": b"1"}, out, linked={"pagefind/part.bin": kept})
        assert (out / "pagefind/part.bin").stat().st_ino == kept.stat().st_ino
    other = tmp_path / "other.bin"
    other.write_bytes(b"new index")
    write_site({"index.html": b"1"}, out, linked={"pagefind/part.bin": other})
    assert _tree(out) == {"index.html": b"1", "pagefind/part.bin": b"new index"}
    assert kept.read_bytes() == b"index"
