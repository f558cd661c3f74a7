"""Command line interface: ``chatty``."""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional

from chatty_commander import __version__
from chatty_commander.config import describe, load_commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chatty", description="Run ChattyCommander voice commands."
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("list", help="list the configured commands")

    p_exec = sub.add_parser("exec", help="execute a configured command")
    p_exec.add_argument("name", help="command name (see 'chatty list')")
    p_exec.add_argument(
        "--dry-run", action="store_true", help="only print what would be done"
    )

    sub.add_parser("gui", help="open the desktop window (needs tkinter)")

    p_web = sub.add_parser("web", help="serve the web API with uvicorn")
    p_web.add_argument("--host", default="127.0.0.1")
    p_web.add_argument("--port", type=int, default=8100)
    return parser


def _cmd_list() -> int:
    for name, command in load_commands().items():
        print(f"{name}\t{command.get('action', '?')}")
    return 0


def _cmd_exec(name: str, dry_run: bool) -> int:
    commands = load_commands()
    if name not in commands:
        print(
            f"chatty: unknown command {name!r} (known: {', '.join(commands)})",
            file=sys.stderr,
        )
        return 2
    what = describe(name, commands[name])
    if dry_run:
        print(f"[dry-run] {name}: would {what}")
    else:
        # The sample does not touch the outside world; it only reports.
        print(f"{name}: {what}")
    return 0


def _cmd_gui() -> int:
    from chatty_commander import gui

    return gui.main([]) or 0


def _cmd_web(host: str, port: int) -> int:
    # A plain import so PyInstaller's static analysis follows it.
    from chatty_commander.web import server

    return server.main(["--host", host, "--port", str(port)]) or 0


def cli_main(argv: Optional[List[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "list":
        return _cmd_list()
    if args.command == "exec":
        return _cmd_exec(args.name, args.dry_run)
    if args.command == "gui":
        return _cmd_gui()
    if args.command == "web":
        return _cmd_web(args.host, args.port)
    parser.print_help()
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(cli_main())
