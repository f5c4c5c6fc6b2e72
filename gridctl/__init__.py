"""gridctl: 网格化管理 — grids, duties and ledgers for grid-based community governance."""

__version__ = "0.1.0"
