"""The helpers of bulk writes: values memoised only when every encoder writes them alike, and the
garbage collector paused for a bulk operation and restored after it."""

import gc
import json
import threading

from kuangzheng import bulkinsert


def test_exact_key_tells_apart_values_python_finds_equal():
    for a, b in [
        (1, 1.0),
        (1, True),
        (0.0, -0.0),
        ([1], [1.0]),
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}),
        ({1: 0}, {True: 0}),
    ]:
        assert a == b and bulkinsert.exact_key(a) != bulkinsert.exact_key(b)
    assert bulkinsert.exact_key(["铜", 2]) == bulkinsert.exact_key(["铜", 2])


def test_memoised_conversion_gives_what_the_conversion_gives():
    values = [[1], [1.0], [True], 0.0, -0.0, {"a": 1, "b": 2}, {"b": 2, "a": 1}, ["铜"], ["铜"], {1: 0}, {True: 0}]
    once = bulkinsert.memoised(json.dumps)
    assert [once(v) for v in values] == [json.dumps(v) for v in values]


def test_gc_is_paused_inside_nested_and_concurrent_blocks_and_restored_after():
    assert gc.isenabled()
    inside, release = threading.Event(), threading.Event()

    def other():
        with bulkinsert.gc_paused():
            inside.set()
            release.wait(5)

    t = threading.Thread(target=other)
    with bulkinsert.gc_paused():
        assert not gc.isenabled()
        t.start()
        inside.wait(5)
        with bulkinsert.gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread's block is still open
    release.set()
    t.join()
    assert gc.isenabled()


def test_gc_left_off_by_the_caller_stays_off():
    gc.disable()
    try:
        with bulkinsert.gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
