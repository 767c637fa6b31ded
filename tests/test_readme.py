"""The README documents every command and every setting (as sqlite-utils checks its docs)."""

from pathlib import Path

import typer.main

from core.settings import settings_table
from pantau.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def command_paths(group, prefix: str = "pantau") -> list[str]:
    paths = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if hasattr(command, "commands"):
            paths += command_paths(command, path)
        else:
            paths.append(path)
    return paths


def test_every_cli_command_is_documented_in_the_readme():
    commands = command_paths(typer.main.get_command(app))
    assert len(commands) >= 8
    undocumented = [c for c in commands if f"`{c}" not in README]
    assert undocumented == []


def test_every_option_of_every_command_is_documented():
    group = typer.main.get_command(app)
    missing = []
    for name, command in group.commands.items():
        subcommands = command.commands.values() if hasattr(command, "commands") else [command]
        for sub in subcommands:
            for param in sub.params:
                for opt in param.opts:
                    if opt.startswith("--") and opt not in README:
                        missing.append(f"{name} {sub.name} {opt}")
    assert missing == []


def test_the_settings_table_is_current():
    assert settings_table() in README, "run: python -m core.settings README.md"


def test_readme_shows_the_two_commands():
    assert "make demo" in README and "make test" in README
