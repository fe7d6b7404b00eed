"""A student's browser tab reduced to its conversation with the dashboard server.

Why: to measure how many students one server carries, the load must come from the server's
side of the wire only. Thirty-five headless chromium tabs on the same 2 cores spend most of
the CPU drawing charts, which students' own laptops would do, so they measure the browser, not
the server. This client speaks the protocol the page's JavaScript speaks (Jupyter's kernel
messages over solara's websocket, widgets as comms): it opens a session exactly as a tab does
(the page's cookie, a kernel of its own, the ``solara.control`` comm's ``run``), keeps the
widget states the server sends, and presses a button by sending the click event the Vue
button sends. It draws nothing; it sends nothing a tab would not send.

Written for the benchmark (``bench_dashboard_capacity.py``) from the message formats in the
Jupyter messaging and ipywidgets protocol documentation; it is not a general widget client.
"""

from __future__ import annotations

import http.cookiejar
import json
import struct
import time
import urllib.request
import uuid
from typing import Any

from websockets.asyncio.client import ClientConnection, connect


def decode(raw: str | bytes) -> dict[str, Any]:
    """One kernel message from the websocket: JSON text, or Jupyter's binary framing (a count
    of buffers, their offsets, the JSON message in the first buffer)."""
    if isinstance(raw, str):
        return json.loads(raw)
    count = struct.unpack("!I", raw[:4])[0]
    offsets = struct.unpack(f"!{count}I", raw[4:4 + 4 * count])
    end = offsets[1] if count > 1 else len(raw)
    return json.loads(raw[offsets[0]:end])


class Tab:
    """One student's session: the widget states it has seen, and a Step button to press."""

    def __init__(self, base: str, query: str = "") -> None:
        self.base = base.rstrip("/")
        self.path = "/" + (f"?{query}" if query else "")
        self.page_id = str(uuid.uuid4())
        self.widgets: dict[str, dict[str, Any]] = {}
        self.ws: ClientConnection | None = None
        self.control = str(uuid.uuid4())

    def _message(self, msg_type: str, content: dict[str, Any]) -> tuple[str, str]:
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "msg_type": msg_type, "session": self.page_id,
                  "username": "", "date": "", "version": "5.3"}
        return msg_id, json.dumps({"header": header, "parent_header": {}, "metadata": {},
                                   "content": content, "channel": "shell", "buffers": []})

    def _take(self, msg: dict[str, Any]) -> None:
        """Keep the widget states up to date with one message from the server."""
        kind = msg["header"]["msg_type"]
        content = msg["content"]
        if kind == "comm_open":
            self.widgets[content["comm_id"]] = dict(content["data"].get("state", {}))
        elif kind == "comm_msg" and content["data"].get("method") == "update":
            self.widgets.setdefault(content["comm_id"], {}).update(content["data"]["state"])
        elif kind == "comm_close":
            self.widgets.pop(content["comm_id"], None)

    async def open(self, timeout: float = 300.0) -> float:
        """Load the page and start the app, as a new tab does; seconds until it is shown."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        start = time.monotonic()
        with opener.open(f"{self.base}{self.path}", timeout=timeout) as page:
            page.read()
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        kernel = str(uuid.uuid4())
        url = (self.base.replace("http://", "ws://", 1)
               + f"/jupyter/api/kernels/{kernel}/channels?session_id={self.page_id}")
        self.ws = await connect(url, additional_headers={"Cookie": cookie}, max_size=None,
                                open_timeout=timeout, ping_interval=None)
        await self.ws.send(self._message("comm_open", {
            "comm_id": self.control, "target_name": "solara.control", "data": {}})[1])
        await self.ws.send(self._message("comm_msg", {
            "comm_id": self.control, "data": {"method": "run", "args": {"path": self.path}}})[1])
        while True:
            msg = decode(await self.ws.recv())
            self._take(msg)
            content = msg["content"]
            if (msg["header"]["msg_type"] == "comm_msg"
                    and content.get("comm_id") == self.control
                    and content["data"].get("method") == "finished"):
                return time.monotonic() - start

    def button(self, label: str) -> str:
        """The comm id of the button showing ``label``."""
        for comm_id, state in self.widgets.items():
            if state.get("_model_name") == "BtnModel" and state.get("children") == [label]:
                return comm_id
        raise LookupError(f"no button {label!r} on the page")

    def monitor(self, key: str) -> str | None:
        """The text of the monitor cell ``key`` (e.g. ``week``), None when not shown."""
        for state in self.widgets.values():
            if f"monitor-value-{key}" in str(state.get("class_", "")).split():
                children = state.get("children") or []
                return "".join(c for c in children if isinstance(c, str))
        return None

    async def click(self, label: str) -> None:
        """Press a button and wait until the server has handled the click (its "idle" status
        for the click), taking every widget update it sent meanwhile."""
        assert self.ws is not None
        msg_id, text = self._message("comm_msg", {
            "comm_id": self.button(label),
            "data": {"method": "custom", "content": {"event": "click", "data": {}}}})
        await self.ws.send(text)
        while True:
            msg = decode(await self.ws.recv())
            self._take(msg)
            if (msg["header"]["msg_type"] == "status"
                    and msg["parent_header"].get("msg_id") == msg_id
                    and msg["content"].get("execution_state") == "idle"):
                return

    async def wait_for_monitor(self, key: str, text: str) -> None:
        """Take the server's messages until the monitor ``key`` reads ``text`` (a step the
        server finishes after the click's "idle", e.g. in a thread, still counts)."""
        assert self.ws is not None
        while self.monitor(key) != text:
            self._take(decode(await self.ws.recv()))

    async def close(self) -> None:
        """Close the tab (the server keeps its session until the cull timeout)."""
        if self.ws is not None:
            await self.ws.close()
            self.ws = None
