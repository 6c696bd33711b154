"""Background tasks: results come back on the main thread, errors are delivered, not lost."""

import threading

from desktop.ui.tasks import TaskRunner


def test_real_worker_thread_delivers_on_the_main_thread(qtbot):
    runner = TaskRunner()
    main = threading.get_ident()
    seen = {}

    def work(progress):
        seen["worker"] = threading.get_ident()
        progress(1, 2, "half")
        return 42

    def done(value):
        seen["done"] = (value, threading.get_ident())

    progress_calls = []
    runner.run_task(
        work, done, on_progress=lambda *a: progress_calls.append((*a, threading.get_ident()))
    )
    qtbot.waitUntil(lambda: "done" in seen, timeout=5000)
    assert seen["worker"] != main
    assert seen["done"] == (42, main)
    assert progress_calls == [(1, 2, "half", main)]


def test_an_exception_in_a_task_reaches_the_error_callback(qtbot):
    runner = TaskRunner()
    errors = []

    def work(progress):
        raise ValueError("bad data")

    runner.run_task(work, lambda value: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert errors == ["ValueError: bad data"]


def test_synchronous_runner_runs_inline():
    runner = TaskRunner(synchronous=True)
    results = []
    runner.run_task(lambda progress: "now", results.append)
    assert results == ["now"]
