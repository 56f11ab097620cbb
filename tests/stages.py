"""Where a cold generator's time goes: each stage of `build()` timed on the bench's corpus.

    python -m tests.stages [--articles 10000] [--one-process]

Writes the benchmark's synthetic corpus (generator/synthetic.py, the same as `make bench`'s) into
a fresh folder under .bench/, runs one cold `build()` as `python -m generator build` runs it, and
prints for each stage its wall time, the CPU time of this process and of the helper processes it
waited for, and the page faults of both: the figures behind the README's "Where a cold
generator's time goes". With --one-process no helper is forked, to see what each stage costs
on one core. The last run's folder is deleted after its measurements, not before: on this
machine's file system, files created right after a large deletion cost several times as much."""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy is imported, as `python -m generator` does

import generator.build as build_module  # noqa: E402
from generator import parallel  # noqa: E402
from generator.synthetic import write_corpus  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / ".bench"
# The stages of build(), as the names it calls them by (generator/build.py), in their order.
STAGES = ("read_corpus", "facts_keys", "extract_all", "build_index", "render_site",
          "write_pages")


@dataclass
class Stage:
    name: str
    wall_s: float
    cpu_s: float  # this process
    helpers_cpu_s: float  # the helper processes it waited for during the stage
    faults: int  # minor page faults, this process and those helpers
    system_s: float  # of cpu_s and helpers_cpu_s, the part in the kernel


def _usage() -> tuple[resource.struct_rusage, resource.struct_rusage]:
    return resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)


def _spent(before: resource.struct_rusage, after: resource.struct_rusage, *fields: str) -> float:
    """The seconds the fields grew by, in whole microseconds (an unchanged total gives 0.0)."""
    return round(sum(getattr(after, f) - getattr(before, f) for f in fields), 6) + 0.0


def timed_build(seeds: Path, docs: Path) -> tuple[list[Stage], float]:
    """One build() with each stage timed; the stages, and the whole build's wall time."""
    stages: list[Stage] = []
    real = {name: getattr(build_module, name) for name in STAGES}

    def timing(name: str):
        def stage(*args, **kwargs):
            started, (own, helpers) = time.perf_counter(), _usage()
            result = real[name](*args, **kwargs)
            wall, (own_after, helpers_after) = time.perf_counter() - started, _usage()
            stages.append(Stage(
                name, wall, _spent(own, own_after, "ru_utime", "ru_stime"),
                _spent(helpers, helpers_after, "ru_utime", "ru_stime"),
                own_after.ru_minflt - own.ru_minflt + helpers_after.ru_minflt - helpers.ru_minflt,
                _spent(own, own_after, "ru_stime") + _spent(helpers, helpers_after, "ru_stime")))
            return result
        return stage
    for name in STAGES:
        setattr(build_module, name, timing(name))
    try:
        started = time.perf_counter()
        build_module.build(seeds, docs, log=io.StringIO())
        return stages, time.perf_counter() - started
    finally:
        for name, function in real.items():
            setattr(build_module, name, function)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--one-process", action="store_true", help="fork no helper process")
    args = parser.parse_args(argv)
    WORK.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="stages-", dir=WORK))
    parallel_from, collecting = parallel.PARALLEL_FROM, gc.isenabled()
    try:
        write_corpus(work / "seeds", args.articles)
        shutil.copy(REPO / "seeds" / "topics.yml", work / "seeds" / "topics.yml")
        if args.one_process:
            parallel.PARALLEL_FROM = sys.maxsize
        gc.disable()  # as `python -m generator` runs (cli._no_cycle_collection)
        stages, total = timed_build(work / "seeds", work / "docs")
    finally:
        parallel.PARALLEL_FROM = parallel_from
        if collecting:
            gc.enable()
        shutil.rmtree(work, ignore_errors=True)
    print("| stage | wall (s) | CPU here (s) | CPU of helpers (s) | of which system (s) | page faults |")
    print("|---|---|---|---|---|---|")
    for stage in stages:
        print(f"| {stage.name} | {stage.wall_s:.2f} | {stage.cpu_s:.2f} | {stage.helpers_cpu_s:.2f} | "
              f"{stage.system_s:.2f} | {stage.faults:,} |")
    print(f"| build() | {total:.2f} | | | | |")
    print(json.dumps({"articles": args.articles, "one_process": args.one_process, "build_s": round(total, 2),
                      "stages": [{k: round(v, 3) if isinstance(v, float) else v for k, v in asdict(s).items()}
                                 for s in stages]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
