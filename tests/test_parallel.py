"""The per-article stages on every core: this process does its share beside forked helpers."""

import os
import signal
import time

import pytest

from generator import parallel
from generator.parallel import in_background, map_in_workers


@pytest.fixture
def two_cores(monkeypatch):
    """One helper beside this process, whatever this machine has."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})


def slow(job):
    """A job slow enough that this process cannot take every chunk before the helper starts."""
    time.sleep(0.0005)
    return job


def test_results_come_in_the_order_of_the_jobs_and_this_process_does_a_share(two_cores):
    results = list(map_in_workers(lambda job: (slow(job) * job, os.getpid()), range(2000)))
    assert [square for square, _ in results] == [job * job for job in range(2000)]
    done_by = {pid for _, pid in results}
    assert os.getpid() in done_by and len(done_by) == 2


def test_a_failure_in_a_helper_comes_back_with_its_traceback(two_cores):
    here = os.getpid()

    def task(job):
        if os.getpid() != here and job % 64 == 3:
            raise ValueError(f"job {job} failed")
        return slow(job)
    with pytest.raises(ValueError, match="failed") as failure:
        list(map_in_workers(task, range(2000)))
    assert any(note.startswith("in a helper process:") and "in task" in note for note in failure.value.__notes__)


def test_a_helper_that_dies_is_reported_not_waited_for(two_cores):
    here = os.getpid()

    def task(job):
        if os.getpid() != here:
            os.kill(os.getpid(), signal.SIGKILL)
        return slow(job)
    with pytest.raises(RuntimeError, match="ended without sending its results .*wait status 9"):
        list(map_in_workers(task, range(2000)))


def test_stopping_early_ends_the_helpers(two_cores):
    results = map_in_workers(lambda job: job, range(100_000))
    assert next(results) == 0
    results.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_few_jobs_run_here_alone(two_cores):
    assert {pid for pid in map_in_workers(lambda job: os.getpid(), range(parallel.PARALLEL_FROM - 1))} == {os.getpid()}


def test_a_task_begun_in_the_background_gives_its_result_or_its_error_when_asked():
    here = os.getpid()
    result = in_background(lambda: (os.getpid(), "done"))
    pid, told = result()
    assert told == "done" and pid != here
    assert result() == (pid, "done")  # asked again: the same result, no second wait

    def fails():
        raise ValueError("in the background")
    failure = in_background(fails)
    with pytest.raises(ValueError, match="in the background") as raised:
        failure()
    assert any(note.startswith("in a helper process:") for note in raised.value.__notes__)


def test_a_background_task_whose_result_is_never_asked_for_still_ends(tmp_path):
    """Its result (here a megabyte, more than a pipe holds) goes to a file, so the helper ends
    instead of waiting to be read, holding its copy of this process's memory."""
    told = tmp_path / "pid"

    def task():
        told.write_text(str(os.getpid()))
        return b"x" * 2**20
    in_background(task)
    deadline = time.monotonic() + 30
    while not told.exists() or not told.read_text():
        assert time.monotonic() < deadline
        time.sleep(0.01)
    pid = int(told.read_text())
    while os.waitpid(pid, os.WNOHANG) == (0, 0):
        assert time.monotonic() < deadline, "the helper is still waiting to be read"
        time.sleep(0.01)


@pytest.mark.skipif(not hasattr(parallel.fcntl, "F_GETPIPE_SZ"), reason="pipe sizes are Linux's")
def test_a_helpers_pipe_holds_several_chunks_of_facts():
    """A chunk of 64 articles' facts is some 220 KB pickled: in a 64 KB pipe the helper waited
    for this process to read, and did no work meanwhile."""
    with open("/proc/sys/fs/pipe-max-size") as limit:
        if int(limit.read()) < parallel._PIPE_BYTES:
            pytest.skip("this machine allows smaller pipes")
    helper = parallel._Helper(lambda number: [], parallel._Tickets(0))
    try:
        assert parallel.fcntl.fcntl(helper._reader, parallel.fcntl.F_GETPIPE_SZ) >= 4 * 220_000
    finally:
        helper.stop()
        os.close(helper._reader)


def test_work_shared_with_a_helper_is_done_once_each_in_order_by_both_processes():
    def task(number):
        time.sleep(0.01)  # slow enough for the helper to take some before this process takes the rest
        return number * number, os.getpid()
    results = parallel.shared_with_a_helper(task, 40)()
    assert [square for square, _ in results] == [number * number for number in range(40)]
    assert os.getpid() in {pid for _, pid in results} and len({pid for _, pid in results}) == 2


def test_this_process_helps_only_while_enough_work_is_left():
    def task(number):
        time.sleep(0.01)
        return os.getpid()
    results = parallel.shared_with_a_helper(task, 40, help_from=30)
    time.sleep(0.2)  # the helper has taken more than ten by now: fewer than thirty are left
    done_by = results()
    assert len(done_by) == 40 and os.getpid() not in done_by


def test_work_shared_with_a_helper_gives_the_helpers_error():
    here = os.getpid()

    def task(number):
        time.sleep(0.01)
        if os.getpid() != here:
            raise ValueError(f"number {number} failed in the helper")
        return number
    with pytest.raises(ValueError, match="failed in the helper"):
        parallel.shared_with_a_helper(task, 20)()


class _Witness:
    """Writes to a file when it is freed."""

    def __init__(self, path):
        self.path = path

    def __del__(self):
        self.path.write_text("freed")


def test_what_a_child_process_keeps_to_the_end_is_not_freed_object_by_object(tmp_path):
    kept, dropped = tmp_path / "kept", tmp_path / "dropped"

    def task():
        parallel.keep_to_the_end(_Witness(kept))
        _Witness(dropped)
        return "done"
    assert parallel.in_child_process(task) == "done"
    assert dropped.read_text() == "freed"  # freed as usual, when the task let it go
    assert not kept.exists()  # left to the end of the process, which frees its memory at once
    assert not parallel._KEPT_TO_THE_END  # and nothing is kept in this process


def test_work_of_this_process_done_meanwhile_runs_here_once_and_even_with_no_job(two_cores):
    ran: list[int] = []
    results = list(map_in_workers(lambda job: (slow(job), os.getpid()), range(2000),
                                  meanwhile=lambda: ran.append(os.getpid())))
    assert ran == [os.getpid()]
    assert [job for job, _ in results] == list(range(2000))
    assert len({pid for _, pid in results}) == 2  # the helper began before it
    assert list(map_in_workers(slow, [], meanwhile=lambda: ran.append(0))) == []
    assert ran == [os.getpid(), 0]


def test_jobs_come_in_chunks_that_are_smaller_at_the_end():
    """So the processes finish together: one left with a whole last chunk waits for nobody."""
    for count in (0, 1, 200, 513, 10_000):
        chunks = parallel._chunks(count)
        assert [job for chunk in chunks for job in chunk] == list(range(count))
    sizes = [len(chunk) for chunk in parallel._chunks(10_000)]
    assert sizes[0] == parallel._CHUNK and max(sizes[-parallel._LAST_CHUNKS * 4:]) == parallel._CHUNK // 4
