"""A pool of worker processes that run queries, each killable when it overruns.

pyoxigraph has no way to cancel a query, and a query in a thread cannot be stopped, so a
time limit needs processes: each worker holds the store open read-only; a request borrows
an idle worker, sends it the job and waits at most the time limit for the answer. If none
comes the worker is killed (SIGKILL: RocksDB opened read-only has nothing to lose) and a
fresh one takes its place, and the caller gets :class:`QueryTimeout`.

Several workers also let several queries run at once (Oxigraph holds the GIL while it
iterates, so threads in one process would take turns). Workers are started with ``spawn``:
the web server is multi-threaded by then, and forking a threaded process is unsafe.
"""
from __future__ import annotations

import multiprocessing
import queue
import threading
import time
from dataclasses import dataclass

from . import worker as worker_module


class PoolError(RuntimeError):
    """Base of the pool's failures; the message is meant for the client."""


class QueryTimeout(PoolError):
    pass


class PoolBusy(PoolError):
    pass


class WorkerDied(PoolError):
    pass


@dataclass
class Outcome:
    meta: dict
    body: bytes
    waited: float        # seconds spent waiting for a free worker
    elapsed: float       # seconds from sending the job to having the answer


class _Worker:
    def __init__(self, context) -> None:
        self.conn, child = context.Pipe(duplex=True)
        self.process = context.Process(target=worker_module.serve, args=(child,), daemon=True,
                                       name="kg-query-worker")
        self.process.start()
        child.close()

    def kill(self) -> None:
        try:
            self.process.kill()
            self.process.join(5)
        finally:
            self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(2)
        self.conn.close()


class QueryPool:
    """``run(job, timeout)`` on the first free worker; ``size`` workers at most."""

    def __init__(self, size: int):
        self.size = max(1, size)
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.timeouts = 0           # how many workers were killed for overrunning
        for _ in range(self.size):
            self._add()

    def _add(self) -> None:
        worker = _Worker(self._context)
        with self._lock:
            if self._closed:
                worker.stop()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()

    def run(self, job: dict, timeout: float, wait: float | None = None) -> Outcome:
        """Run ``job`` on a worker; raise QueryTimeout after ``timeout`` seconds of running,
        PoolBusy after ``wait`` seconds (default: ``timeout``) without a free worker."""
        t0 = time.perf_counter()
        try:
            worker = self._idle.get(timeout=timeout if wait is None else wait)
        except queue.Empty:
            raise PoolBusy(f"all {self.size} query workers stayed busy for {timeout if wait is None else wait:g} s; "
                           f"try again later") from None
        t1 = time.perf_counter()
        try:
            worker.conn.send(job)
            if not worker.conn.poll(timeout):
                self.timeouts += 1
                self._replace(worker)
                raise QueryTimeout(f"the query ran longer than the time limit of {timeout:g} s and was stopped; "
                                   f"narrow it (LIMIT, more specific patterns) or ask the operator to raise "
                                   f"--timeout")
            meta = worker.conn.recv()
            body = worker.conn.recv_bytes()
        except (EOFError, OSError, BrokenPipeError) as exc:
            self._replace(worker)
            raise WorkerDied(f"the query worker stopped unexpectedly ({exc.__class__.__name__}); "
                             f"it has been replaced") from None
        self._idle.put(worker)
        return Outcome(meta, body, waited=t1 - t0, elapsed=time.perf_counter() - t1)

    def _replace(self, worker: _Worker) -> None:
        self._discard(worker)
        threading.Thread(target=self._add, name="kg-worker-replace", daemon=True).start()

    def alive(self) -> int:
        with self._lock:
            return sum(1 for w in self._all if w.process.is_alive())

    def pids(self) -> list[int]:
        with self._lock:
            return sorted(w.process.pid for w in self._all if w.process.pid)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()
