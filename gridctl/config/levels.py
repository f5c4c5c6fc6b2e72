"""The grid's levels and the duty matrix's deadline words: constants a clerk's every command reads
(routing an issue), kept apart from the records of `model` so that reading them builds no class."""

from __future__ import annotations

LEVELS = ("city", "district", "township", "community", "block")
"""Grid levels, root first. 市 > 县(市)区 > 乡(镇)办 (一级网格) > 村/社区 (二级) > 村组/楼院 (三级)."""

CODE_LENGTH = {"city": 4, "district": 6, "township": 9, "community": 12, "block": 15}
PLATFORM_LEVELS = ("city", "district", "township", "community")
"""四级平台: a block uses its community's platform."""

KINDS = {
    "district": ("区", "县", "县级市"),
    "township": ("乡", "镇", "街道"),
    "community": ("村", "社区"),
    "block": ("村组", "楼院", "街区", "单位"),
}

DEADLINE_UNITS = {"": "working_days", "wd": "working_days", "h": "working_hours",
                  "d": "natural_days", "ch": "clock_hours"}
"""办结时限: `5` = 5 working days, `4h` = 4 working hours, `3d` = 3 natural days,
`24ch` = 24 hours around the clock."""


def deadline_parts(text: str) -> tuple[int, str]:
    """`"5"` → (5, "working_days"); `"4h"` → (4, "working_hours"). Assumes a valid value."""
    digits = text.rstrip("abcdefghijklmnopqrstuvwxyz")
    return int(digits), DEADLINE_UNITS[text[len(digits):]]
