"""What every command shares: typed errors become one clear message and an exit code; options."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from adwatch.errors import AdwatchError


def reports_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn adwatch's typed errors into one message on stderr and the error's exit code."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except AdwatchError as exc:
            click.echo(f"adwatch: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


def output_option(help_text: str, dest: str = "out_path") -> Callable[[Any], Any]:
    """The required `-o/--output PATH` option of a command that writes a file or folder."""
    return click.option(
        "-o", "--output", dest, required=True, type=click.Path(path_type=Path), help=help_text
    )
