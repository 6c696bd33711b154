"""The cyclic garbage collector is off while a snapshot is computed, and back on after."""

from __future__ import annotations

import gc

import pytest

from desktop.ui.collector import CollectorPause, resume_collector
from tests.ui.conftest import buy


@pytest.fixture
def collector_on():
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_off_from_the_first_hold_to_the_last_release(collector_on):
    pause = CollectorPause()
    pause.hold()
    pause.hold()  # a second recompute asked before the first answered
    assert not gc.isenabled()
    pause.release()
    assert not gc.isenabled()  # one still runs
    frozen = gc.get_freeze_count()
    kept = [[] for _ in range(100)]  # young objects alive at the end: frozen with the rest
    pause.release()
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen + len(kept)
    assert pause.running == 0


def test_cycles_made_during_the_pause_are_collected_not_frozen(collector_on):
    class Node:
        pass

    pause = CollectorPause()
    pause.hold()
    node = Node()
    node.self = node  # a reference cycle, garbage once the name is gone
    del node
    assert any(type(o) is Node for o in gc.get_objects())  # uncollected while paused
    pause.release()
    assert not any(type(o) is Node for o in gc.get_objects(generation=None))
    assert not any(type(o) is Node for o in _frozen())


def _frozen():
    gc.unfreeze()  # the permanent generation is not listed; bring it back to look, then refreeze
    try:
        return gc.get_objects()
    finally:
        gc.freeze()


def test_after_start_up_what_is_alive_is_frozen_and_the_collector_on(collector_on):
    gc.disable()  # as desktop.app leaves it for the start-up
    frozen = gc.get_freeze_count()
    made = [{} for _ in range(100)]  # start-up's objects, alive at the first paint
    resume_collector()
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen + len(made)
    again = gc.get_freeze_count()
    resume_collector()  # a collector someone else turned on is left as it is
    assert gc.isenabled() and gc.get_freeze_count() == again


def test_a_release_without_a_hold_and_release_all_leave_the_collector_on(collector_on):
    pause = CollectorPause()
    pause.release()
    assert gc.isenabled() and pause.running == 0
    pause.hold()
    pause.hold()
    pause.release_all()
    assert gc.isenabled() and pause.running == 0


def test_a_collector_turned_off_by_someone_else_stays_off(collector_on):
    gc.disable()
    pause = CollectorPause()
    pause.hold()
    pause.release()
    assert not gc.isenabled()


def test_the_window_computes_its_snapshot_with_the_collector_off(make_window, monkeypatch):
    import desktop.ui.performance as performance

    seen = []
    real = performance.load_performance

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(performance, "load_performance", watched)
    gc.enable()
    window = make_window()
    window.editor.add_trade(buy())
    window.recompute()
    assert seen and not any(seen)  # off in every computation
    assert gc.isenabled()  # and on again once each answered


def test_a_failed_computation_turns_the_collector_back_on(make_window, monkeypatch):
    import desktop.ui.performance as performance

    def broken(*args, **kwargs):
        raise ValueError("broken")

    monkeypatch.setattr(performance, "load_performance", broken)
    gc.enable()
    window = make_window()
    window.recompute()
    assert "broken" in window.statusBar().currentMessage()
    assert gc.isenabled()
