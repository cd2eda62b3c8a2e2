"""A small driver for headless Chromium over the DevTools protocol, using aiohttp's WebSocket client.

`--dump-dom` cannot be used for the phone page: it dumps before the script has fetched anything, and
`--virtual-time-budget` never ends while the page holds its event stream open. Driving the page over the
DevTools protocol lets a test wait for what a person would wait for, click, type and take screenshots.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import shutil
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


class Page:
    """One browser tab at phone size (360×740 unless told, touch, 2× pixels off: screenshots stay small)."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse, browser: Browser | None = None) -> None:
        self._socket = socket
        self._next_id = 0
        self.browser = browser  # to open another tab of the same browser

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        message_id = self._next_id
        await self._socket.send_str(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            reply = json.loads(await asyncio.wait_for(self._socket.receive_str(), timeout=30))
            if reply.get("id") == message_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    async def evaluate(self, expression: str, *, await_promise: bool = False) -> Any:
        result = await self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=await_promise
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def wait_for(self, expression: str, timeout: float = 15.0) -> Any:
        """Poll a JavaScript expression until it is truthy (the page's own script runs meanwhile)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            value = await self.evaluate(expression)
            if value:
                return value
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"waited {timeout}s for: {expression}")
            await asyncio.sleep(0.1)

    async def goto(self, url: str) -> None:
        await self.send("Page.navigate", url=url)
        await self.wait_for("document.readyState === 'complete'")

    async def screenshot(self, path: Path) -> Path:
        result = await self.send("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(result["data"]))
        return path


class Browser:
    """`async with Browser(profile) as page:` starts Chromium, yields one page, and always stops it."""

    def __init__(
        self,
        profile: Path,
        *,
        dark: bool = False,
        width: int = 360,
        height: int = 740,
        devtools_port: int = 0,
        javascript: bool = True,
    ) -> None:
        self.profile = profile
        self.javascript = javascript
        self.dark = dark
        self.width, self.height = width, height
        self.devtools_port = devtools_port  # 0: any free port

    async def __aenter__(self) -> Page:
        assert CHROMIUM is not None
        self._process = await asyncio.create_subprocess_exec(
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--remote-debugging-port={self.devtools_port}",
            f"--user-data-dir={self.profile}",
            "about:blank",
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        port = await asyncio.wait_for(self._devtools_port(), timeout=60)
        self._client = aiohttp.ClientSession()
        async with self._client.get(f"http://127.0.0.1:{port}/json/list") as response:
            targets = await response.json(content_type=None)
        target = next(t for t in targets if t["type"] == "page")
        self._port = port
        return await self._page(target["webSocketDebuggerUrl"])

    async def open_tab(self) -> Page:
        """A second tab of the same browser (same cookies and storage), at the same phone size."""
        async with self._client.put(f"http://127.0.0.1:{self._port}/json/new?about:blank") as response:
            target = await response.json(content_type=None)
        return await self._page(target["webSocketDebuggerUrl"])

    async def _page(self, url: str) -> Page:
        socket = await self._client.ws_connect(url, max_msg_size=0)
        page = Page(socket, self)
        if not self.javascript:
            await page.send("Emulation.setScriptExecutionDisabled", value=True)
        await page.send(
            "Emulation.setDeviceMetricsOverride",
            width=self.width,
            height=self.height,
            deviceScaleFactor=1,
            mobile=True,
        )
        scheme = "dark" if self.dark else "light"
        await page.send(
            "Emulation.setEmulatedMedia", features=[{"name": "prefers-color-scheme", "value": scheme}]
        )
        return page

    async def _devtools_port(self) -> int:
        assert self._process.stderr is not None
        while True:
            line = (await self._process.stderr.readline()).decode("utf-8", "replace")
            if not line:
                raise RuntimeError("Chromium exited before it opened its DevTools port")
            match = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
            if match:
                # Keep draining stderr so Chromium never blocks on a full pipe.
                self._drain = asyncio.ensure_future(self._process.stderr.read())
                return int(match.group(1))

    async def __aexit__(self, *exc_info: object) -> None:
        await self._client.close()
        if self._process.returncode is None:
            self._process.kill()
        await self._process.wait()
        self._drain.cancel()
