"""Background tasks: results come back on the main thread, errors are delivered, not lost.

The first test is the suite's one test of real worker threads; every other test runs tasks
inline with ``TaskRunner(synchronous=True)``.
"""

import threading

from desktop.ui.tasks import TaskRunner


def test_real_worker_threads_deliver_results_and_errors_on_the_main_thread(qtbot):
    runner = TaskRunner()
    main = threading.get_ident()
    seen = {}
    progress_calls = []

    def work(progress):
        seen["worker"] = threading.get_ident()
        progress(1, 2, "half")
        return 42

    def fail(progress):
        seen["failing worker"] = threading.get_ident()
        raise ValueError("bad data")

    runner.run_task(
        work,
        lambda value: seen.setdefault("done", (value, threading.get_ident())),
        on_progress=lambda *a: progress_calls.append((*a, threading.get_ident())),
    )
    runner.run_task(
        fail,
        lambda value: seen.setdefault("wrongly done", value),
        lambda message: seen.setdefault("failed", (message, threading.get_ident())),
    )
    qtbot.waitUntil(lambda: "done" in seen and "failed" in seen, timeout=5000)
    assert runner.wait(5000)  # the pool is idle for the next test

    assert main not in (seen["worker"], seen["failing worker"])
    assert seen["done"] == (42, main)
    assert progress_calls == [(1, 2, "half", main)]
    assert seen["failed"] == ("ValueError: bad data", main)
    assert "wrongly done" not in seen


def test_an_exception_in_a_task_reaches_the_error_callback():
    runner = TaskRunner(synchronous=True)
    errors = []

    def work(progress):
        raise ValueError("bad data")

    runner.run_task(work, lambda value: None, errors.append)
    assert errors == ["ValueError: bad data"]


def test_synchronous_runner_runs_inline():
    runner = TaskRunner(synchronous=True)
    results, progress_calls = [], []

    def work(progress):
        progress(1, 1, "all")
        return "now"

    runner.run_task(work, results.append, on_progress=lambda *a: progress_calls.append(a))
    assert results == ["now"] and progress_calls == [(1, 1, "all")]
