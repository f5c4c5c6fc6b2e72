"""Small text helpers shared by every output: phone masking (for anything posted)."""

from __future__ import annotations


def mask_phone(phone: str | None) -> str | None:
    """`13800001234` → `138****1234`: keep the first 3 and last 4 digits of a personal number."""
    if not phone:
        return phone
    if len(phone) <= 7:
        return "*" * (len(phone) - 2) + phone[-2:]
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
