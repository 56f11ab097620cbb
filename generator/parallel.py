"""The per-article stages (reading, extraction, tag files, pages) on every core, in forked processes.

The workers are forked after the inputs exist, so they inherit the task and its jobs (the
corpus, the gazetteer, the templates) and only a job's number and its result cross a pipe."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")

PARALLEL_FROM = 200  # below this many jobs, starting worker processes costs more than it saves
_CHUNK = 64
_inherited: tuple[Callable, Sequence] | None = None


def map_in_workers(task: Callable[[Job], Result], jobs: Sequence[Job]) -> Iterator[Result]:
    """task(job) for every job, in order; results arrive while the rest are still running."""
    workers = len(os.sched_getaffinity(0))
    if len(jobs) < PARALLEL_FROM or workers < 2:
        yield from map(task, jobs)
        return
    global _inherited
    _inherited = (task, jobs)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            _inherited = None  # the workers have their copy; the parent needs none
            chunks = [range(start, min(start + _CHUNK, len(jobs))) for start in range(0, len(jobs), _CHUNK)]
            for results in pool.imap(_run_chunk, chunks):
                yield from results
    finally:
        _inherited = None


def _run_chunk(numbers: range) -> list:
    task, jobs = _inherited
    return [task(jobs[number]) for number in numbers]
