"""The collector's pace while tasks are analysed (scanner/collector.py): set for the task, put back after."""
import gc
import threading

from scanner.collector import YOUNG_THRESHOLD, analysis_pace


def test_pace_is_set_while_analysing_and_put_back_after():
    before = gc.get_threshold()
    with analysis_pace():
        assert gc.get_threshold() == (max(YOUNG_THRESHOLD, before[0]), *before[1:])
        with analysis_pace():      # nested (a task inside an in-process run): still set
            assert gc.get_threshold()[0] == max(YOUNG_THRESHOLD, before[0])
        assert gc.get_threshold()[0] == max(YOUNG_THRESHOLD, before[0])
    assert gc.get_threshold() == before


def test_put_back_after_a_failure_and_when_threads_overlap():
    before = gc.get_threshold()
    try:
        with analysis_pace():
            raise ValueError("a task that fails")
    except ValueError:
        pass
    assert gc.get_threshold() == before
    inside, release = threading.Event(), threading.Event()

    def other_task():
        with analysis_pace():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other_task)
    thread.start()
    inside.wait(5)
    with analysis_pace():
        pass
    assert gc.get_threshold()[0] == max(YOUNG_THRESHOLD, before[0])   # the other task still runs
    release.set()
    thread.join(5)
    assert gc.get_threshold() == before
