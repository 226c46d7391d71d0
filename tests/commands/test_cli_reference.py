"""docs/cli.md is what the click commands say now, and every command and option explains itself."""

from pathlib import Path

import click

from application.cli import main
from application.commands.reference import REGENERATE, cli_reference, walk

ROOT = Path(__file__).resolve().parents[2]


def test_docs_cli_md_is_current():
    written = (ROOT / "docs" / "cli.md").read_text()
    assert written == cli_reference(main), (
        f"docs/cli.md differs from the click commands: run `{REGENERATE}` and commit docs/cli.md"
    )


def _commands():
    return list(walk(main, click.Context(main, info_name="adwatch")))


def test_every_command_and_option_has_help():
    missing = []
    for command, ctx in _commands():
        if not (command.help or "").strip():
            missing.append(ctx.command_path)
        for param in command.get_params(ctx):
            if isinstance(param, click.Option) and not (param.help or "").strip():
                missing.append(f"{ctx.command_path} {param.opts[-1]}")
    assert not missing, f"add a help text to: {', '.join(missing)}"


def test_the_page_has_a_section_with_usage_for_every_command():
    page = cli_reference(main)
    for _command, ctx in _commands():
        assert f"\n## {ctx.command_path}\n\n```\n{ctx.command_path} [OPTIONS]" in page
    assert "## adwatch user add\n\n```\nadwatch user add [OPTIONS] NAME\n```" in page
    assert "- `--role [officer|viewer|admin]`:" in page


def test_a_changed_help_text_makes_the_page_stale():
    @click.group()
    def tool():
        """A tool."""

    @tool.command()
    @click.option("--fast", is_flag=True, help="Go fast.")
    def run(fast):
        """Run it."""

    before = cli_reference(tool, "tool")
    assert "## tool run" in before and "- `--fast`: Go fast." in before
    run.params[0].help = "Go faster."
    assert cli_reference(tool, "tool") != before
