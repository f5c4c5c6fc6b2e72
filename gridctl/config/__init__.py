"""YAML definitions → plain records + problems. `load_config` is the whole stage."""

from gridctl.config.model import Config
from gridctl.config.validate import load_config

__all__ = ["Config", "load_config"]
