"""Python's cyclic garbage collector paused while a big job runs (import, merge, score).

Such a job makes no reference cycles (its rows, states and items are freed by reference counting
as each batch ends) but holds millions of objects at once, which every full collection walked
again: 21 collections cost 1.4 s of a 100k-row import, about 1 s of a city's 8 s score.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The collector off within the block; on again afterwards (if it was), whatever happened."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
