"""Entry script analysed by PyInstaller (see chatty_cli.spec)."""

from chatty_commander.cli.cli import cli_main

raise SystemExit(cli_main())
