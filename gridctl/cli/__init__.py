"""The command line: the only package that imports typer or rich. Each command is thin."""


def main() -> None:
    from gridctl.cli.app import app

    app()
