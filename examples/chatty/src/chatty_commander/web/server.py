"""FastAPI app served by uvicorn: ``chatty-web`` / ``chatty web``."""

from __future__ import annotations

import argparse
from typing import List, Optional

from fastapi import FastAPI, WebSocket, WebSocketDisconnect

from chatty_commander import __version__
from chatty_commander.config import load_commands

app = FastAPI(title="ChattyCommander", version=__version__)


@app.get("/health")
def health() -> dict:
    return {"status": "ok", "commands": len(load_commands())}


@app.websocket("/ws")
async def ws_echo(websocket: WebSocket) -> None:
    await websocket.accept()
    try:
        while True:
            message = await websocket.receive_json()
            await websocket.send_json({"echo": message})
    except WebSocketDisconnect:
        pass


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="chatty-web", description="Serve the web API.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    args = parser.parse_args(argv)

    import uvicorn

    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
