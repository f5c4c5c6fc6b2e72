"""How far a long job has come, told by the core to whoever shows it (`cli/render.progress`).

The core says `meter.total(n)` once it knows how much there is and `meter.step(n)` as it goes,
a batch at a time (never per row: a bar's update costs microseconds). `QUIET`, the default,
does nothing, so a core function called from a test or a script pays nothing and shows nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


def _nothing(n: int) -> None:
    return None


@dataclass(frozen=True)
class Meter:
    """`total(n)`: how much there is (when it is known); `step(n)`: n more done."""

    total: Callable[[int], None] = _nothing
    step: Callable[[int], None] = _nothing

    def __call__(self, n: int = 1) -> None:
        """`meter(n)` is `meter.step(n)`."""
        self.step(n)


QUIET = Meter()


def counted(items: Iterable[T], meter: Meter, every: int = 1000) -> Iterator[T]:
    """`items` as they were, telling `meter` every `every` of them and the rest at the end."""
    done = 0
    for item in items:
        yield item
        done += 1
        if done == every:
            meter.step(done)
            done = 0
    if done:
        meter.step(done)
