"""The per-article stages (reading, extraction, tag files, pages) on every core, in forked processes,
and the whole generator stage in a process of its own.

The workers are forked after the inputs exist, so they inherit the task and its jobs (the
corpus, the gazetteer, the templates) and only a job's number and its result cross a pipe."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sys
import traceback
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


def in_child_process(task: Callable[[], Result]) -> Result:
    """task() in a forked process, which sends back its result, or its exception, pickled.

    What the task builds up (a build's corpus: millions of objects) is dropped whole when that
    process ends, instead of being freed object by object in this one: 0.26-0.4 s at 10,000
    briefings, and the memory was not returned to the system anyway (RSS 440 MB, then 426 MB)."""
    sys.stdout.flush()  # else the child's copy of what is buffered would be written twice
    sys.stderr.flush()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(reader)
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(_outcome(task))
        finally:
            os._exit(0)
    os.close(writer)
    try:
        with os.fdopen(reader, "rb") as pipe:
            sent = pipe.read()
    except BaseException:
        os.kill(pid, signal.SIGTERM)
        raise
    finally:
        _, status = os.waitpid(pid, 0)
    if not sent:
        raise RuntimeError(f"the build process ended without a result (wait status {status})")
    succeeded, value = pickle.loads(sent)
    if succeeded:
        return value
    raise value


def _outcome(task: Callable[[], Result]) -> bytes:
    try:
        return pickle.dumps((True, task()), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as error:
        told = "".join(traceback.format_exception(error))
        error.add_note(f"in the build process:\n{told}")
        try:
            return pickle.dumps((False, error), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # an exception that cannot be pickled: its story still can
            return pickle.dumps((False, RuntimeError(told)), protocol=pickle.HIGHEST_PROTOCOL)
