"""One `--batch-api` run: split, submit, poll, collect, retry once, price.

    todo (BatchRun.reuse: what OUT and the cache hold is never sent)
      -> resume: this run's batches in OUT/batches.json still out are polled, not resent
      -> round 1: the rest, as lines keyed by result key, split under the provider's limits;
         each batch id written to batches.json the moment it exists
      -> poll every batch out (1 s, doubling to --batch-poll-max), collect each as it ends:
         an answer is validated as a live one is, then grounded, policed and written
         through BatchRun (`_briefed`); a failed line or an invalid answer goes once more
         (round 2: a follow-up batch, or live with --batch-retry live); expired and
         cancelled requests, and second failures, go to errors.jsonl with their reason
      -> run.json's `batch_api`: the batches, and what they cost beside the live price

A kill at any point loses nothing submitted: a rerun finds the batch ids, polls them, and
collects what is not yet in OUT. The one gap: a kill between the provider creating a batch
and its id being written (one request's time) would submit those articles again.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from ..backends.base import Backend, Message, Usage
from ..configuration import Configuration
from ..discovery import Item
from ..errors import ConfigurationError, ExtractionFailed, SummarizerError
from ..pipeline import BriefResult, brief_from_extraction
from ..progress import Progress
from .base import BatchProvider, Outcome, Status, fits
from .options import BatchAPIOptions
from .pricing import batch_prices
from .state import STATE_FILE, BatchState, Entry, row_usage, usage_row


class _Options(Protocol):
    @property
    def batch_api(self) -> BatchAPIOptions | None: ...

    @property
    def force(self) -> bool: ...


class _Summary(Protocol):
    model_calls: int
    prompt_tokens: int
    completion_tokens: int
    cached_tokens: int
    batch_api: dict[str, Any] | None

    def add_usage(self, usage: Usage) -> None: ...


class BatchRun(Protocol):
    """What the flow needs of batch.BatchRun (which imports this module): its results go
    through `_briefed` / `_failed`, so its outputs are a live run's, whatever made them."""

    @property
    def config(self) -> Configuration: ...

    @property
    def options(self) -> _Options: ...

    @property
    def out(self) -> Path: ...

    @property
    def summary(self) -> _Summary: ...

    def _briefed(self, item: Item, result: BriefResult, progress: Progress | None) -> None: ...

    def _failed(self, item: Item, exc: Exception, progress: Progress | None) -> None: ...

    async def _abrief_all(self, items: Sequence[Item], progress: Progress) -> None: ...


def batch_provider(config: Configuration) -> BatchProvider:
    """The Batch API of the configured backend, or a one-line refusal. Only the SDK of the
    provider at hand is imported (anthropic's alone takes seconds)."""
    backend: Backend = config.backend
    provider: BatchProvider | None = None
    if backend.name == "openai":
        from ..backends.openai import OpenAIBackend
        from .openai import OpenAIBatches

        if isinstance(backend, OpenAIBackend):
            provider, recorder = OpenAIBatches(backend, config.settings), backend.recorder
    elif backend.name == "anthropic":
        from ..backends.anthropic import AnthropicBackend
        from .anthropic import AnthropicBatches

        if isinstance(backend, AnthropicBackend):
            provider, recorder = AnthropicBatches(backend, config.settings), backend.recorder
    if provider is None:
        raise ConfigurationError(f"--batch-api: the {backend.name} backend has no batch API "
                                 "here (openai/... and anthropic/... models have one)")
    if recorder is not None:
        raise ConfigurationError("--batch-api sends no live calls to record or replay: drop "
                                 "--record / --replay")
    if config.policy == "reask":
        raise ConfigurationError("--batch-api: --policy reask asks each article again after "
                                 "grounding; use flag or drop with a batch")
    return provider


def run_batches(run: BatchRun, items: Sequence[Item], progress: Progress) -> None:
    """Brief `items` through the provider's Batch API; results go through `run`."""
    options = run.options.batch_api or BatchAPIOptions()
    provider = batch_provider(run.config)
    flow = Flow(run, provider, options, progress)
    if items:
        provider.check()
        flow.go(items)
    run.summary.batch_api = flow.report()


class Flow:
    def __init__(self, run: BatchRun, provider: BatchProvider, options: BatchAPIOptions,
                 progress: Progress, sleep: Callable[[float], None] = time.sleep) -> None:
        self.run, self.provider, self.options = run, provider, options
        self.progress, self.sleep = progress, sleep
        self.state = BatchState(run.out / STATE_FILE, fresh=run.options.force)
        self.items: dict[str, Item] = {}  # custom_id (result key) -> item
        self.open: set[str] = set()  # not yet briefed or failed by this process
        self.earlier: dict[str, Usage] = {}  # an invalid first answer's tokens
        self.retries: dict[str, list[Message]] = {}  # custom_id -> the retry's extra turns
        self.counts: dict[str, tuple[int, int]] = {}
        self.batch_usage = Usage()
        self.live: list[Item] = []
        self.abandoned = False
        self.seen: dict[str, Any] = {"batches": [], "resumed": [], "submitted": 0,
                                     "retried": 0}

    # -- plan ------------------------------------------------------------------------------

    def go(self, items: Sequence[Item]) -> None:
        for it in items:
            assert it.article is not None
            self.items[self.run.config.result_key(it.article)] = it
        self.open = set(self.items)
        pending = self.state.pending(self.open)
        self.seen["resumed"] = [e.id for e in pending]
        self.seen["batches"] += [e.id for e in pending]
        out = {cid for e in pending for cid in e.custom_ids}
        for e in self.state.current():  # a retry still out: its first answer's tokens
            if e.round == 1 and e.collected:
                self.earlier.update({cid: row_usage(f.get("usage")) for cid, f in
                                     e.failures.items() if cid in out and f.get("retry")})
        latest = self.state.latest()
        fresh = []
        for cid in self.items:
            entry = latest.get(cid)
            if cid in out:
                continue
            if entry is not None and cid in entry.failures:
                self._settle_failure(entry, cid, entry.failures[cid])
            else:
                fresh.append(cid)
        self._submit(fresh, 1)
        self._send_retries()
        self._poll()
        if self.live:
            self.seen["live_calls_before"] = self.run.summary.model_calls
            asyncio.run(self.run._abrief_all(self.live, self.progress))
        if not self.abandoned and not self.state.pending(set(self.items)):
            self.state.finished = True
            self.state.save()

    # -- submit ----------------------------------------------------------------------------

    def _submit(self, cids: Sequence[str], round_: int,
                followups: dict[str, list[Message]] | None = None) -> None:
        if not cids:
            return
        p, config = self.provider, self.run.config
        max_requests = self.options.max_requests or p.max_requests
        max_bytes = self.options.max_bytes or p.max_bytes
        lines, kept = [], []
        for cid in cids:
            article = self.items[cid].article
            assert article is not None
            messages = config.backend.render(article, config.prompt,
                                             (followups or {}).get(cid, ()))
            line = p.line(cid, messages)
            if len(line) + 1 > max_bytes:
                self._fail(cid, f"the request is {len(line):,} bytes, over the {p.name} batch "
                                f"limit of {max_bytes:,}", self.earlier.pop(cid, Usage()))
                continue
            lines.append(line)
            kept.append(cid)
        for group in fits(lines, max_requests, max_bytes):
            ids = [kept[i] for i in group]
            try:
                batch_id, extra = p.submit([lines[i] for i in group])
            except SummarizerError as exc:
                for cid in ids:
                    self._fail(cid, f"{p.name} batch not submitted: {exc}",
                               self.earlier.pop(cid, Usage()))
                continue
            self.state.add(Entry(batch_id, p.name, self.state.run, round_, ids, extra=extra))
            self.seen["batches"].append(batch_id)
            self.seen["submitted"] += len(ids)

    def _send_retries(self) -> None:
        if not self.retries:
            return
        retries, self.retries = self.retries, {}
        self.seen["retried"] += len(retries)
        if self.options.retry == "live":
            for cid in retries:
                usage = self.earlier.pop(cid, Usage())
                self.run.summary.add_usage(usage)  # the invalid answer's tokens were spent
                self.batch_usage = self.batch_usage + usage
                self.open.discard(cid)
                self.live.append(self.items[cid])
            return
        self._submit(list(retries), 2, retries)

    # -- poll and collect ------------------------------------------------------------------

    def _poll(self) -> None:
        wait = self.options.poll_start
        while pending := self.state.pending(self.open):
            for entry in pending:
                try:
                    status = self.provider.poll(entry.id)
                except SummarizerError as exc:
                    return self._abandon(pending, f"could not poll {self.provider.name} batch "
                                                  f"{entry.id}: {exc}; rerun to resume it")
                self.counts[entry.id] = (status.done, status.total)
                if status.ended:
                    self._collect(entry, status)
            self._note()
            if self.retries:
                self._send_retries()
                wait = self.options.poll_start
            if self.state.pending(self.open):
                self.sleep(min(wait, self.options.poll_max))
                wait = min(wait * 2, max(self.options.poll_max, self.options.poll_start))
        return None

    def _note(self) -> None:
        done = sum(d for d, _ in self.counts.values())
        total = sum(t for _, t in self.counts.values())
        out = len(self.state.pending(self.open))
        self.progress.note(f"{self.provider.name} batches: {out} out, {done}/{total} requests "
                           "done")

    def _collect(self, entry: Entry, status: Status) -> None:
        mine, seen = set(entry.custom_ids), set()
        try:
            for outcome in self.provider.results(entry.id, status):
                cid = outcome.custom_id
                if cid not in mine or cid in seen:
                    continue
                seen.add(cid)
                if cid in self.open:
                    self._settle(entry, outcome)
        except SummarizerError as exc:
            return self._abandon([entry], f"could not read the results of {self.provider.name}"
                                          f" batch {entry.id}: {exc}; rerun to collect them")
        for cid in entry.custom_ids:
            if cid not in seen and cid in self.open:
                why = status.missing or (f"no result for this request in {self.provider.name} "
                                         f"batch {entry.id} ({status.state})")
                self._settle(entry, Outcome(cid, reason=why, retry=not status.missing))
        entry.collected, entry.status = True, status.state
        self.state.save()
        return None

    def _settle(self, entry: Entry, outcome: Outcome) -> None:
        cid = outcome.custom_id
        usage = self.earlier.pop(cid, Usage()) + outcome.usage
        final = entry.round == 2 or not outcome.retry  # no retry left: salvage may keep it
        if (ext := outcome.extraction or (outcome.salvaged if final else None)) is not None:
            ext.usage, ext.attempts = usage, max(usage.calls, 1)
            return self._brief(cid, ext)
        entry.failures[cid] = {"reason": outcome.reason, "retry": outcome.retry,
                               "followup": outcome.followup, "usage": usage_row(usage)}
        return self._settle_failure(entry, cid, entry.failures[cid])

    def _settle_failure(self, entry: Entry, cid: str, failure: dict[str, Any]) -> None:
        usage = row_usage(failure.get("usage"))  # the earlier answer's tokens included
        if entry.round == 1 and failure.get("retry"):
            self.earlier[cid] = usage
            self.retries[cid] = list(failure.get("followup") or [])
            return None
        why = failure.get("reason") or "failed"
        if entry.round == 2:
            why = f"{why} (after a retry)"
        return self._fail(cid, why, usage)

    def _abandon(self, entries: Sequence[Entry], why: str) -> None:
        self.abandoned = True
        for entry in entries:
            for cid in entry.custom_ids:
                if cid in self.open:
                    self._fail(cid, why, self.earlier.pop(cid, Usage()))

    # -- results through BatchRun ------------------------------------------------------------

    def _brief(self, cid: str, ext: Any) -> None:
        item = self.items[cid]
        assert item.article is not None
        self.open.discard(cid)
        self.batch_usage = self.batch_usage + ext.usage
        try:
            result = brief_from_extraction(item.article, self.run.config, ext,
                                           time.perf_counter())
        except Exception as exc:
            self.run._failed(item, exc, self.progress)
        else:
            self.run._briefed(item, result, self.progress)

    def _fail(self, cid: str, why: str, usage: Usage) -> None:
        self.open.discard(cid)
        self.batch_usage = self.batch_usage + usage
        self.run._failed(self.items[cid], ExtractionFailed(why, attempts=usage.calls,
                                                           usage=usage), self.progress)

    def report(self) -> dict[str, Any]:
        """run.json's `batch_api`: what was sent, and its price beside the live price."""
        s = self.run.summary
        b = self.batch_usage
        live = Usage(s.prompt_tokens - b.prompt_tokens, s.completion_tokens - b.completion_tokens,
                     cached_tokens=max(s.cached_tokens - b.cached_tokens, 0))
        before = self.seen.pop("live_calls_before", s.model_calls)
        return {"provider": self.provider.name, **self.seen, "retry": self.options.retry,
                "live_calls": s.model_calls - before, "state": str(self.state.path),
                **batch_prices(self.run.config.backend.model, self.batch_usage, live)}
