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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .article import (
    JSONL_SUFFIXES,
    MAX_BYTES,
    SUFFIXES,
    Article,
    iter_jsonl,
    parse_article,
    read_bytes,
)
from .errors import ArticleError
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


@dataclass
class _Finder:
    include: Sequence[str]
    exclude: Sequence[str]
    max_bytes: int
    roots: _Roots

    def __post_init__(self) -> None:
        self.items: list[Item] = []

    def fail(self, key_from: str, source: str, reason: str) -> None:
        self.items.append(Item(output_key(key_from), source, error=ArticleError(source, reason)))

    def add_file(self, path: Path, rel: str, explicit: bool) -> None:
        suffix = path.suffix.lower()
        if not explicit and suffix not in SUFFIXES:
            return
        if self.include and not _matches(rel, self.include):
            return
        if self.exclude and _matches(rel, self.exclude):
            return
        if suffix in JSONL_SUFFIXES:
            self._add_jsonl(path, rel)
            return
        try:
            article = parse_article(read_bytes(path, self.max_bytes), str(path), suffix)
            self.items.append(Item(output_key(rel), str(path), article=article))
        except ArticleError as exc:
            self.items.append(Item(output_key(rel), str(path), error=exc))

    def _add_jsonl(self, path: Path, rel: str) -> None:
        try:
            for got in iter_jsonl(path, max_bytes=50 * self.max_bytes):
                key = output_key(f"{rel}-L{got.source.rsplit('#', 1)[-1]}")
                if isinstance(got, ArticleError):
                    self.items.append(Item(key, got.source, error=got))
                else:
                    self.items.append(Item(key, got.source, article=got))
        except ArticleError as exc:
            self.items.append(Item(output_key(rel), str(path), error=exc))

    def add_folder(self, path: Path, prefix: str) -> None:
        for file, inner, err in _walk(path, self.roots):
            rel = f"{prefix}{inner}"
            if file is None:
                self.fail(rel, str(path / inner), err or "unreadable")
            elif file.is_symlink() and not file.exists():
                self.fail(rel, str(file), "broken symlink or symlink loop")
            elif file.is_symlink() and (target := self.roots.outside(str(file))):
                self.fail(rel, str(file), OUTSIDE.format(target=target))
            elif file.is_symlink() and self.roots.output(str(file)):
                continue  # a link into an output folder: as unread as the folder itself
            else:
                self.add_file(file, rel, explicit=False)

    def add_stdin(self, stdin: BinaryIO | None) -> None:
        raw = (stdin or sys.stdin.buffer).read()
        key = f"stdin-{hashlib.sha256(raw).hexdigest()[:16]}"  # a second stdin run adds
        try:
            self.items.append(Item(key, "<stdin>", article=parse_article(raw, "<stdin>")))
        except ArticleError as exc:
            self.items.append(Item(key, "<stdin>", error=exc))


def discover(paths: Sequence[str], include: Sequence[str] = (), exclude: Sequence[str] = (),
             max_bytes: int = MAX_BYTES, stdin: BinaryIO | None = None,
             follow_symlinks: bool = False, out: Path | None = None) -> list[Item]:
    """Every input as an Item, in a deterministic order. A path given explicitly is read
    even when it is a link: the user named it. Nothing inside `out` (the run's output
    folder) or another run's output folder is read."""
    roots = _Roots(paths, follow_symlinks, out)
    finder = _Finder(include, exclude, max_bytes, roots)
    for spec in paths:
        if spec == "-":
            finder.add_stdin(stdin)
            continue
        path = Path(spec)
        try:
            path.resolve(strict=True)
        except (OSError, RuntimeError) as exc:
            reason = "symlink loop" if "loop" in str(exc).lower() else "no such file or folder"
            finder.fail(spec, spec, reason)
            continue
        if why := roots.output(spec):
            finder.fail(spec, spec, why)
        elif path.is_dir():
            finder.add_folder(path, f"{path.name}/" if len(paths) > 1 else "")
        else:
            finder.add_file(path, path.name, explicit=True)
    return _unique_keys(finder.items)


def _unique_keys(items: list[Item]) -> list[Item]:
    counts: dict[str, int] = {}
    for it in items:
        counts[it.key] = counts.get(it.key, 0) + 1
    for it in items:
        if counts[it.key] > 1:  # e.g. "a b.txt" and "a_b.txt": tell them apart by source
            it.key = f"{it.key}-{hashlib.sha256(it.source.encode()).hexdigest()[:8]}"
    return items


def in_shard(item: Item, shard: tuple[int, int]) -> bool:
    """Whether `item` belongs to shard K of N (stable across runs and machines)."""
    k, n = shard
    ident = item.article.id if item.article else item.source
    return int(hashlib.sha256(ident.encode()).hexdigest(), 16) % n == k - 1
