"""The per-article stages (reading, extraction, tag files, pages) on every core, and the whole
generator stage in a process of its own, both by forking.

The helpers are forked after the inputs exist, so they inherit the task and its jobs (the
corpus, the gazetteer, the templates) and only a job's number and its result cross a pipe."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import pickle
import queue
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")

PARALLEL_FROM = 200  # below this many jobs, starting helper processes costs more than it saves
_CHUNK = 64
_LAST_CHUNKS = 8  # the last this many chunks' jobs go in quarter chunks (_chunks)
_NUMBER = 4  # bytes of a chunk's number in a helper's message
_PIPE_BYTES = 1 << 20


def map_in_workers(task: Callable[[Job], Result], jobs: Sequence[Job],
                   meanwhile: Callable[[], object] | None = None) -> Iterator[Result]:
    """task(job) for every job, in order; results arrive while the rest are still running.
    `meanwhile`, if given, runs in this process as the first result is asked for, once the
    helpers have begun: work of this process's own (saving a cache), which the helpers make up
    for by taking more of the jobs.

    This process does its share, beside one forked helper for each other core, and each takes
    the next chunk of jobs when it is free. A forked process copies each page of memory it
    writes to, and counting a reference to an object writes to it: with the build process idle
    and two helpers, both copied most of the corpus (the build's peak of memory, near 1 GB at
    10,000 briefings); the build process's own work copies nothing."""
    if not worth_a_helper(len(jobs)):
        if meanwhile is not None:
            meanwhile()
        yield from map(task, jobs)
        return
    chunks = _chunks(len(jobs))

    def run(number: int) -> list:
        return [task(jobs[job]) for job in chunks[number]]
    tickets = _Tickets(len(chunks))
    helpers = [_Helper(run, tickets) for _ in range(len(os.sched_getaffinity(0)) - 1)]
    sent: queue.SimpleQueue = queue.SimpleQueue()
    for helper in helpers:
        helper.start_receiving(sent)
    try:
        if meanwhile is not None:
            meanwhile()
        yield from _in_order(run, len(chunks), tickets, sent, helpers)
    finally:
        for helper in helpers:
            helper.stop()


def _chunks(count: int) -> list[range]:
    """The jobs' numbers in chunks of _CHUNK, the last few a quarter of that, so that the
    processes finish at about the same time: a chunk of 64 articles is 80 ms of extraction,
    which one process would otherwise be left doing alone at the end."""
    small = _CHUNK // 4
    tail = max(0, count - _LAST_CHUNKS * _CHUNK)
    return ([range(start, min(start + _CHUNK, tail)) for start in range(0, tail, _CHUNK)]
            + [range(start, min(start + small, count)) for start in range(tail, count, small)])


def worth_a_helper(jobs: int) -> bool:
    """Whether work of this many jobs (articles, pages) gains from a helper process."""
    return jobs >= PARALLEL_FROM and len(os.sched_getaffinity(0)) > 1


class _Tickets:
    """Each chunk's number, given once to whichever process asks first: a counter in memory
    shared with the helpers forked after it."""

    def __init__(self, count: int):
        self._next = multiprocessing.get_context("fork").Value("q", 0)
        self._count = count

    def left(self) -> int:
        """How many numbers no process has taken yet (as it was a moment ago)."""
        return self._count - self._next.value

    def take(self) -> int | None:
        with self._next.get_lock():
            number = self._next.value
            if number >= self._count:
                return None
            self._next.value = number + 1
        return number


def _in_order(run: Callable[[int], list], count: int, tickets: _Tickets, sent: queue.SimpleQueue,
              helpers: list[_Helper]) -> Iterator:
    """Each chunk's results in turn: this process runs the next chunk whenever the one due has
    not arrived yet, and waits for the helpers once none is left to take."""
    arrived: dict[int, list | bytes] = {}
    running = len(helpers)

    def receive(number: int | None, results: bytes | None) -> None:
        nonlocal running
        if number is None:  # that helper is done
            running -= 1
        else:
            arrived[number] = results
    for due in range(count):
        while due not in arrived:
            try:
                receive(*sent.get_nowait())
                continue
            except queue.Empty:
                pass
            if (number := tickets.take()) is not None:
                arrived[number] = run(number)
            elif running:
                receive(*sent.get())
            else:
                raise RuntimeError("a helper process ended without sending its results ("
                                   + "; ".join(helper.story() for helper in helpers) + ")")
        results = arrived.pop(due)
        yield from results if isinstance(results, list) else _unpickled(results)


def _unpickled(message: bytes) -> list:
    succeeded, value = pickle.loads(message)
    if succeeded:
        return value
    raise value


class _Helper:
    """A forked process that runs chunks until the tickets run out, sending each chunk's results
    (or its exception) pickled; a thread here receives them, so the helper never waits for
    this process to be free."""

    def __init__(self, run: Callable[[int], list], tickets: _Tickets):
        self._reader, writer = os.pipe()
        _widen(writer)
        self.pid = _fork()
        if self.pid == 0:
            try:
                os.close(self._reader)
                with os.fdopen(writer, "wb") as pipe:
                    while (number := tickets.take()) is not None:
                        message = _outcome(lambda: run(number), "in a helper process")
                        pipe.write(len(message).to_bytes(8, "little") + number.to_bytes(_NUMBER, "little"))
                        pipe.write(message)
                        pipe.flush()
            finally:
                os._exit(0)
        os.close(writer)
        self._status: int | None = None
        self._thread: threading.Thread | None = None

    def start_receiving(self, sent: queue.SimpleQueue) -> None:
        """Once every helper is forked: a helper forked while a thread runs could inherit a lock
        that thread holds."""
        self._thread = threading.Thread(target=self._receive, args=(sent,), daemon=True)
        self._thread.start()

    def _receive(self, sent: queue.SimpleQueue) -> None:
        with os.fdopen(self._reader, "rb") as pipe:
            while header := pipe.read(8 + _NUMBER):
                size, number = int.from_bytes(header[:8], "little"), int.from_bytes(header[8:], "little")
                sent.put((number, pipe.read(size)))
        sent.put((None, None))

    def stop(self) -> None:
        """Ends the helper if it still runs (this process failed or stopped early) and waits."""
        if self._status is None:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            _, self._status = os.waitpid(self.pid, 0)
        if self._thread is not None:
            self._thread.join()

    def story(self) -> str:
        _, self._status = os.waitpid(self.pid, 0)
        return f"process {self.pid}, wait status {self._status}"


def _widen(pipe: int) -> None:
    """A pipe that holds a few chunks' results (Linux; 1 MB at most unprivileged). In the usual
    64 KB, a helper waited for this process's receiving thread, which reads only when the thread
    doing this process's share lets it have the interpreter: 0.97 s of a helper's 10.8 s of
    extraction at 10,000 articles (py-spy), for results of some 220 KB a chunk."""
    try:
        fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
    except (AttributeError, OSError):  # not Linux, or a lower limit: the pipe stays as it was
        pass


def in_child_process(task: Callable[[], Result]) -> Result:
    """task() in a forked process, which sends back its result, or its exception, pickled.

    What the task builds up (a build's corpus: millions of objects) is dropped whole when that
    process ends, instead of being freed object by object in this one: 0.26-0.4 s at 10,000
    briefings, and the memory was not returned to the system anyway (RSS 440 MB, then 426 MB)."""
    return in_background(task, "the build process")()


_KEPT_TO_THE_END: list = []  # keep_to_the_end


def keep_to_the_end(value) -> None:
    """Holds `value` until this process ends. In a forked process that ends with os._exit
    (in_child_process), its memory is then returned to the system at once, where freeing a build's
    briefings object by object, as the task returned, took 0.2 s at 10,000."""
    _KEPT_TO_THE_END.append(value)


def in_background(task: Callable[[], Result], name: str = "a helper process") -> Callable[[], Result]:
    """task() begun in a forked process at once, while this one goes on; the function returned
    waits for its result (or raises its exception), the first time it is called. The helper
    writes its result to a file, not a pipe, and ends: if this process fails before it waits,
    no helper is left blocked on a full pipe, holding its copy of the memory."""
    sent = tempfile.TemporaryFile()
    pid = _fork()
    if pid == 0:
        try:
            sent.write(_outcome(task, f"in {name}"))
            sent.flush()
        finally:
            os._exit(0)
    outcome: list[tuple[bool, Result]] = []

    def result() -> Result:
        if not outcome:
            with sent:
                try:
                    _, status = os.waitpid(pid, 0)
                except BaseException:
                    os.kill(pid, signal.SIGTERM)
                    os.waitpid(pid, 0)
                    raise
                sent.seek(0)
                message = sent.read()
            if not message:
                raise RuntimeError(f"{name} ended without a result (wait status {status})")
            outcome.append(pickle.loads(message))
        succeeded, value = outcome[0]
        if succeeded:
            return value
        raise value
    return result


def shared_with_a_helper(task: Callable[[int], Result], count: int, help_from: int = 1) -> Callable[[], list[Result]]:
    """task(number) for each number below count, begun at once in a forked helper, which takes
    the numbers one by one; the function returned runs in this process the numbers the helper
    has not taken yet, then gathers the helper's results. So this process, done with its own
    work, helps instead of waiting (0.3 to 0.6 s of a cold build at 10,000 briefings, waiting
    for the related briefings); but only if `help_from` numbers or more are left, for a task
    whose first run in a process costs more than the others."""
    tickets = _Tickets(count)

    def helper_share() -> dict[int, Result]:
        return {number: task(number) for number in iter(tickets.take, None)}
    theirs = in_background(helper_share)

    def results() -> list[Result]:
        done = {number: task(number) for number in iter(tickets.take, None)} if tickets.left() >= help_from else {}
        done.update(theirs())
        return [done[number] for number in range(count)]
    return results


def _fork() -> int:
    sys.stdout.flush()  # else the child's copy of what is buffered would be written twice
    sys.stderr.flush()
    return os.fork()


def _outcome(task: Callable[[], Result], where: str) -> bytes:
    try:
        return pickle.dumps((True, task()), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as error:
        told = "".join(traceback.format_exception(error))
        error.add_note(f"{where}:\n{told}")
        try:
            return pickle.dumps((False, error), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # an exception that cannot be pickled: its story still can
            return pickle.dumps((False, RuntimeError(told)), protocol=pickle.HIGHEST_PROTOCOL)
