"""YAML definitions → plain records + problems. `load_config` is the whole stage.

The names are looked up on first use (PEP 562), so `gridctl.config.levels` — constants a clerk's
every command needs — does not pull in the validator and its field checks (nor `model`'s records).
"""

from __future__ import annotations

__all__ = ["Config", "load_config"]


def __getattr__(name: str):
    if name == "Config":
        from gridctl.config.model import Config

        return Config
    if name == "load_config":
        from gridctl.config.validate import load_config

        return load_config
    raise AttributeError(name)
