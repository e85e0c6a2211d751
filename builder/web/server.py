"""Start the workbench: uvicorn on 127.0.0.1 (another host only when asked, with a warning), a fresh
access token each time, and the browser opened at the address that carries it."""

from __future__ import annotations

import secrets
import socket
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path

from builder.core.errors import TeachpackError

LOCAL = "127.0.0.1"


def default_workspace() -> Path:
    """`packs/` when the current folder has one (a clone of teachpack, a district's repository), else here."""
    return Path("packs") if Path("packs").is_dir() else Path(".")


def serve(workspace: Path, host: str = LOCAL, port: int = 8765, open_browser: bool = True,
          say: Callable[[str], None] = print) -> None:
    """Run the workbench until Ctrl+C."""
    import uvicorn

    from builder.web.app import create_app

    workspace = Path(workspace)
    if not workspace.is_dir():
        raise TeachpackError(f"{workspace}: not a folder; give the folder that holds your pack folders "
                             "(it may be empty)")
    if host != LOCAL:
        say(f"warning: --host {host}: the workbench is reachable from other computers on the network; anyone "
            "with the address (and its token) can edit these packs")
    try:
        with socket.create_server((host, port)):
            pass
    except OSError:
        raise TeachpackError(f"port {port} on {host} is in use (another teachpack serve?); give another with "
                             "--port, e.g. --port 8800") from None
    token = secrets.token_urlsafe(18)
    shown = "localhost" if host == LOCAL else host
    address = f"http://{shown}:{port}/?token={token}"
    say(f"teachpack workbench for {workspace.resolve()}")
    app = create_app(workspace, token)
    app.state.bench.renderer.warm()  # the first preview after a save is as quick as the rest
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))

    def announce() -> None:  # once it listens: the address printed (and opened) always answers
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            say(f"open {address}  (Ctrl+C stops it)")
            if open_browser:
                webbrowser.open(address)

    threading.Thread(target=announce, daemon=True).start()
    server.run()
