"""Group commit: phones' joins and answers written in one transaction per batch, off the event loop.

A room of 300 answering at once would otherwise mean 300 disk flushes in a row on the loop that also
draws the facilitator's screen. Here each write waits in a queue; one worker thread commits everything
queued so far in a single transaction, and only then does each waiter hear that its write is durable
(so a phone is never told "saved" for an answer a crash could lose). Writes that arrive during a commit
form the next batch, so batches grow by themselves under load and stay single writes when it is quiet.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from facilitate.session.events import Event
from facilitate.session.journal import AnswerRecord, DeviceRecord, Journal

Record = DeviceRecord | AnswerRecord | Event


def _retrieve(future: asyncio.Future[None]) -> None:
    if not future.cancelled():
        future.exception()


class GroupCommit:
    def __init__(self, journal: Journal) -> None:
        self._journal = journal
        self._queue: list[tuple[Record, Callable[[], None], asyncio.Future[None]]] = []
        self._worker: asyncio.Task[None] | None = None
        self._executor: ThreadPoolExecutor | None = None
        self.batches = 0  # how many commits, for benchmarks and tests
        self.largest_batch = 0

    async def write(self, record: Record, on_durable: Callable[[], None]) -> None:
        """Return once `record` is committed. `on_durable` runs first, on the loop, in commit order,
        even if the caller has been cancelled meanwhile (the answer is saved either way)."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        done.add_done_callback(_retrieve)  # a waiter that went away must not leave "never retrieved"
        self._queue.append((record, on_durable, done))
        if self._worker is None or self._worker.done():
            self._worker = loop.create_task(self._drain())
        await asyncio.shield(done)

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="journal-commit")
        while self._queue:
            batch, self._queue = self._queue, []
            self.batches += 1
            self.largest_batch = max(self.largest_batch, len(batch))
            try:
                await loop.run_in_executor(
                    self._executor, self._journal.write_batch, [record for record, _, _ in batch]
                )
            except Exception as exc:  # JournalError (disk full, file gone): every waiter hears it
                for _, _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
                continue
            for _, on_durable, done in batch:
                on_durable()
                if not done.done():
                    done.set_result(None)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
