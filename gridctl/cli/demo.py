"""`demo`: write a synthetic city for trying gridctl and for the benchmarks."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from gridctl.cli.common import JsonOption, emit_json, guarded
from gridctl.messages import t


class Scale(str, Enum):
    township = "township"
    district = "district"
    city = "city"


@guarded()
def demo(
    output: Annotated[Path, typer.Option("--output", "-o", help="写入的文件夹 / folder to write")],
    scale: Annotated[Scale, typer.Option("--scale", help="规模 / size")] = Scale.township,
    seed: Annotated[int, typer.Option("--seed", help="随机种子 / seed (same seed, same city)")] = 1,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """生成模拟城市的 YAML 定义 / Write a synthetic city in the YAML input format.

    Example: gridctl demo --scale city --seed 7 -o /tmp/city && gridctl load /tmp/city
    """
    from gridctl.demo import write_demo

    counts = write_demo(output, scale.value, seed)
    if as_json:
        emit_json({"folder": str(output), "scale": scale.value, "seed": seed, "counts": counts})
    else:
        summary = ", ".join(f"{k} {v}" for k, v in counts.items())
        typer.echo(t("demo.written", folder=output, summary=summary))


def register(app: typer.Typer) -> None:
    app.command()(demo)
