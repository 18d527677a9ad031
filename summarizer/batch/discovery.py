"""Finding the inputs of a run: files, folders, JSONL files and stdin become Items, in a
deterministic order, each with a file-name-safe output key. Nothing here calls a model.

Nothing inside the run's output folder is read, nor inside any folder that holds another
run's outputs (outdir.is_run_folder): a run must never brief its own Markdown or index.html.

A symlink met while walking a folder is followed only when it resolves inside one of the
paths given on the command line (or with `follow_symlinks`): a link to /etc/passwd inside an
article folder must never be read, let alone sent to a remote API.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..article import (
    JSONL_SUFFIXES,
    MAX_BYTES,
    SUFFIXES,
    Article,
    decode,
    jsonl_article,
    parse_article,
    read_bytes,
    sniff_binary,
)
from ..errors import ArticleError
from .outdir import is_run_folder

LOOP = "symlink loop: this folder was already visited"
OUTSIDE = ("symlink resolves outside the input paths ({target}); not read "
           "(--follow-symlinks to allow)")
IN_OUTPUT = "inside the output folder {out}; not read"
RUN_FOLDER = "holds a summarizer run's outputs (run.json); not read"


@dataclass
class Item:
    """One article to brief, or one input that failed before it became an article."""

    key: str  # output name: unique in the run, safe as a file name
    source: str
    article: Article | None = None
    error: ArticleError | None = None
    duplicate_of: str | None = None
    result_key: str | None = None  # the run's reuse step sets it: an engine reuses it


_UNSAFE = re.compile(r"[^\w.+=@-]+", re.UNICODE)


def output_key(rel: str) -> str:
    """A file-name-safe key from a relative source path: no separators, no '..'."""
    parts = [p for p in re.split(r"[\\/]+", rel) if p not in ("", ".", "..")]
    key = "__".join(_UNSAFE.sub("_", p).strip("_") or "_" for p in parts) or "article"
    return key.lstrip(".")[:150] or "article"


def _matches(rel: str, patterns: Sequence[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in patterns)


class _Roots:
    """The real paths of everything given on the command line: where links may lead."""

    def __init__(self, paths: Sequence[str], follow: bool, out: Path | None = None) -> None:
        self.follow = follow
        self.real = [os.path.realpath(p) for p in paths if p != "-"]
        self.out = os.path.realpath(out) if out is not None else None

    def output(self, path: str) -> str | None:
        """Why `path` must not be read as input: it is in OUT or a run's output folder."""
        real = os.path.realpath(path)
        if self.out is not None and _within(real, self.out):
            return IN_OUTPUT.format(out=self.out)
        return RUN_FOLDER if os.path.isdir(real) and is_run_folder(real) else None

    def outside(self, path: str) -> str | None:
        """The link's target when `path` resolves outside every root (and that matters)."""
        if self.follow:
            return None
        target = os.path.realpath(path)
        return None if any(_within(target, r) for r in self.real) else target


def _within(real: str, top: str) -> bool:
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def _walk(root: Path, roots: _Roots) -> Iterator[tuple[Path | None, str, str | None]]:
    """(path, relative name, error) for files under root; follows symlinked folders once,
    reporting loops instead of circling and links that lead outside the roots."""
    seen: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in seen:
            yield None, os.path.relpath(dirpath, root), LOOP
            dirnames[:] = []
            continue
        seen.add(real)
        dirnames.sort()
        for name in list(dirnames):
            sub = os.path.join(dirpath, name)
            if roots.output(sub):  # an output folder: not an input, not an error either
                dirnames.remove(name)
            elif os.path.islink(sub) and (target := roots.outside(sub)):
                dirnames.remove(name)
                yield None, os.path.relpath(sub, root), OUTSIDE.format(target=target)
        for name in sorted(filenames):
            path = Path(dirpath) / name
            yield path, os.path.relpath(path, root), None


class _Finder:
    """Yields the Items of the paths given; with `load` False only their keys and sources
    (no file is read but a JSONL file's lines), for the pass that finds clashing keys."""

    def __init__(self, include: Sequence[str], exclude: Sequence[str], max_bytes: int,
                 roots: _Roots, load: bool = True) -> None:
        self.include, self.exclude, self.max_bytes = include, exclude, max_bytes
        self.roots, self.load = roots, load

    def fail(self, key_from: str, source: str, reason: str) -> Item:
        return Item(output_key(key_from), source, error=ArticleError(source, reason))

    def add_file(self, path: Path, rel: str, explicit: bool) -> Iterator[Item]:
        suffix = path.suffix.lower()
        if not explicit and suffix not in SUFFIXES:
            return
        if self.include and not _matches(rel, self.include):
            return
        if self.exclude and _matches(rel, self.exclude):
            return
        if suffix in JSONL_SUFFIXES:
            yield from self._add_jsonl(path, rel)
            return
        if not self.load:
            yield Item(output_key(rel), str(path))
            return
        try:
            article = parse_article(read_bytes(path, self.max_bytes), str(path), suffix)
            yield Item(output_key(rel), str(path), article=article)
        except ArticleError as exc:
            yield Item(output_key(rel), str(path), error=exc)

    def _add_jsonl(self, path: Path, rel: str) -> Iterator[Item]:
        """One Item a line, the file read a line at a time (a corpus of any size)."""
        try:
            for lineno, line in _jsonl_lines(path, self.max_bytes):
                key = output_key(f"{rel}-L{lineno}")
                if isinstance(line, ArticleError):
                    yield Item(key, line.source, error=line)
                elif not self.load:
                    yield Item(key, f"{path}#{lineno}")
                else:
                    got = jsonl_article(line, path, lineno)
                    if isinstance(got, ArticleError):
                        yield Item(key, got.source, error=got)
                    else:
                        yield Item(key, got.source, article=got)
        except ArticleError as exc:
            yield Item(output_key(rel), str(path), error=exc)

    def add_folder(self, path: Path, prefix: str) -> Iterator[Item]:
        for file, inner, err in _walk(path, self.roots):
            rel = f"{prefix}{inner}"
            if file is None:
                yield self.fail(rel, str(path / inner), err or "unreadable")
            elif not file.is_symlink():  # one lstat a file (and not three)
                yield from self.add_file(file, rel, explicit=False)
            elif not file.exists():
                yield self.fail(rel, str(file), "broken symlink or symlink loop")
            elif target := self.roots.outside(str(file)):
                yield self.fail(rel, str(file), OUTSIDE.format(target=target))
            elif not self.roots.output(str(file)):  # a link into an output folder: as
                yield from self.add_file(file, rel, explicit=False)  # unread as the folder

    def add_stdin(self, stdin: BinaryIO | None) -> Iterator[Item]:
        raw = (stdin or sys.stdin.buffer).read()
        key = f"stdin-{hashlib.sha256(raw).hexdigest()[:16]}"  # a second stdin run adds
        try:
            yield Item(key, "<stdin>", article=parse_article(raw, "<stdin>"))
        except ArticleError as exc:
            yield Item(key, "<stdin>", error=exc)


def _jsonl_lines(path: Path, max_bytes: int) -> Iterator[tuple[int, str | ArticleError]]:
    """(line number, text or why not) for each non-blank line; a file that is no text at
    all (binary, unreadable) raises ArticleError before the first line."""
    source = str(path)
    try:
        if not path.is_file():
            raise ArticleError(source, "not a regular file")
        fh = path.open("rb")
    except OSError as exc:
        raise ArticleError(source, f"cannot read: {exc.strerror or exc}") from None
    with fh:
        head = fh.read(8192)
        if why := sniff_binary(head):
            raise ArticleError(source, why)
        if not head.strip():
            raise ArticleError(source, "empty file")
        fh.seek(0)
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            where = f"{path}#{lineno}"
            if len(raw) > max_bytes:
                yield lineno, ArticleError(where, f"too large: {len(raw):,} bytes (limit "
                                                  f"{max_bytes:,})")
                continue
            try:
                yield lineno, decode(raw, where).lstrip("\ufeff").rstrip("\r\n")
            except ArticleError as exc:
                yield lineno, exc


def _raw_items(paths: Sequence[str], include: Sequence[str], exclude: Sequence[str],
               max_bytes: int, stdin: BinaryIO | None, follow_symlinks: bool,
               out: Path | None, load: bool) -> Iterator[Item]:
    roots = _Roots(paths, follow_symlinks, out)
    finder = _Finder(include, exclude, max_bytes, roots, load)
    for spec in paths:
        if spec == "-":
            yield from finder.add_stdin(stdin)
            continue
        path = Path(spec)
        try:
            path.resolve(strict=True)
        except (OSError, RuntimeError) as exc:
            reason = "symlink loop" if "loop" in str(exc).lower() else "no such file or folder"
            yield finder.fail(spec, spec, reason)
            continue
        if why := roots.output(spec):
            yield finder.fail(spec, spec, why)
        elif path.is_dir():
            yield from finder.add_folder(path, f"{path.name}/" if len(paths) > 1 else "")
        else:
            yield from finder.add_file(path, path.name, explicit=True)


def iter_items(paths: Sequence[str], include: Sequence[str] = (),
               exclude: Sequence[str] = (), max_bytes: int = MAX_BYTES,
               stdin: BinaryIO | None = None, follow_symlinks: bool = False,
               out: Path | None = None) -> Iterator[Item]:
    """Every input as an Item, in a deterministic order, one article read at a time. A path
    given explicitly is read even when it is a link: the user named it. Nothing inside `out`
    (the run's output folder) or another run's output folder is read.

    Two keys that clash (e.g. "a b.txt" and "a_b.txt") are told apart by their source: a
    first pass counts the keys (names and line numbers only, no article parsed), as 64-bit
    digests; only the clashing ones are kept. With stdin ("-"), which can be read once, the
    inputs are read whole (stdin is one article)."""
    args = (paths, include, exclude, max_bytes, stdin, follow_symlinks, out)
    if "-" in paths:
        yield from _unique_keys(list(_raw_items(*args, load=True)))
        return
    seen: set[int] = set()
    clashes: set[int] = set()
    for it in _raw_items(*args, load=False):
        digest = _digest(it.key)
        (clashes if digest in seen else seen).add(digest)
    del seen
    for it in _raw_items(*args, load=True):
        if clashes and _digest(it.key) in clashes:
            it.key = _told_apart(it)
        yield it


def _digest(key: str) -> int:
    """A key as 64 bits (a set of these is a third of a set of keys; two keys share one
    with a chance of about 1 in 2**64 a pair, and then both are only told apart)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest())


def discover(paths: Sequence[str], include: Sequence[str] = (), exclude: Sequence[str] = (),
             max_bytes: int = MAX_BYTES, stdin: BinaryIO | None = None,
             follow_symlinks: bool = False, out: Path | None = None) -> list[Item]:
    """`iter_items` as a list (every article in memory: for small inputs and tests)."""
    return list(iter_items(paths, include, exclude, max_bytes, stdin, follow_symlinks, out))


def _told_apart(it: Item) -> str:
    return f"{it.key}-{hashlib.sha256(it.source.encode()).hexdigest()[:8]}"


def _unique_keys(items: list[Item]) -> list[Item]:
    counts = Counter(it.key for it in items)
    for it in items:
        if counts[it.key] > 1:  # e.g. "a b.txt" and "a_b.txt": tell them apart by source
            it.key = _told_apart(it)
    return items


def in_shard(item: Item, shard: tuple[int, int]) -> bool:
    """Whether `item` belongs to shard K of N (stable across runs and machines)."""
    k, n = shard
    ident = item.article.id if item.article else item.source
    return int(hashlib.sha256(ident.encode()).hexdigest(), 16) % n == k - 1
