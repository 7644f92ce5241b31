"""One way to spread work over the CPUs: forked worker processes that inherit what is imported."""

from __future__ import annotations

import contextlib
import gc
import importlib
import multiprocessing
import os
import signal


@contextlib.contextmanager
def collector_paused():
    """The cyclic garbage collector off for the block: its passes over many acyclic objects cost as much as the work."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _quiet_interrupts() -> None:
    # Ctrl-C reaches the whole process group: the parent stops the run and says so; a worker just ends
    signal.signal(signal.SIGINT, lambda *_: os._exit(130))
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def map_in_processes(function, tasks: list, jobs: int, *, preload=(), chunksize: int = 1, wrap=None) -> list | None:
    """`[function(task) for task in tasks]` by `jobs` forked workers; None when there is no usable process pool.

    `preload`: modules imported here first, for the workers to inherit; `wrap(iterator)` wraps the results as they
    come (a progress bar). The collector is frozen meanwhile: the workers' collections leave inherited pages alone.
    """
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    for name in preload:
        vars(importlib.import_module(name))  # loads a module imported lazily (`checks.lazy_module`) too
    gc.freeze()
    pool = None
    others = set(multiprocessing.active_children())  # the caller's own children are not this pool's to stop
    try:
        # The workers are forked with Ctrl-C held back until they can end quietly, and the parent
        # takes it only once the pool is whole: a worker forked half-way is one the pool does not
        # know of, which waits for work forever, and the interpreter's exit waits for it.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            pool = ProcessPoolExecutor(max_workers=jobs, initializer=_quiet_interrupts)
            results = pool.map(function, tasks, chunksize=chunksize)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        return list(wrap(results) if wrap is not None else results)
    except (OSError, BrokenProcessPool):
        return None
    except BaseException:
        # interrupted: the workers stop now, rather than finish a scan nobody waits for
        for worker in set(multiprocessing.active_children()) - others:
            worker.terminate()
        raise
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        gc.unfreeze()
