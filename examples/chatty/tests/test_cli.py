import json
from importlib import resources

import pytest

from chatty_commander import __version__
from chatty_commander.cli.cli import cli_main


def _expected_commands():
    ref = resources.files("chatty_commander") / "data" / "commands.json"
    return json.loads(ref.read_text(encoding="utf-8"))["commands"]


def test_list_prints_every_command(capsys):
    assert cli_main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    expected = _expected_commands()
    assert len(lines) == len(expected) >= 4
    for name, command in expected.items():
        assert f"{name}\t{command['action']}" in lines


def test_exec_dry_run(capsys):
    assert cli_main(["exec", "hello", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("[dry-run] hello:")
    assert "Hello there" in out


def test_exec_unknown_command(capsys):
    assert cli_main(["exec", "nope"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "unknown command 'nope'" in captured.err


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        cli_main(["--version"])
    assert exc.value.code == 0
    assert __version__ in capsys.readouterr().out


@pytest.mark.parametrize("sub", ["gui", "web"])
def test_subcommand_help(sub, capsys):
    with pytest.raises(SystemExit) as exc:
        cli_main([sub, "--help"])
    assert exc.value.code == 0
    assert f"chatty {sub}" in capsys.readouterr().out
