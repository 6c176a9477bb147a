"""A minimal DevTools-protocol client for headless Chromium, over `--remote-debugging-pipe`.

The pipe transport (JSON messages ended by NUL, commands on fd 3, replies
on fd 4) is the one Puppeteer and Playwright use; it needs no port and no
websocket library. We open one page, record every console message,
uncaught exception, log entry and network request while it loads, and can
read values back or take a full-page screenshot.
"""
from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
         "--disable-default-apps", "--mute-audio", "--hide-scrollbars", "--remote-debugging-pipe",
         "--font-render-hinting=none", "--force-device-scale-factor=1",
         "--disable-dev-shm-usage"]   # containers often have a tiny /dev/shm


def find_chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Chromium:
    def __init__(self, binary: str, timeout: float = 60.0):
        self.timeout = timeout
        self._profile = tempfile.TemporaryDirectory(prefix="pdsweep-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire_fds():   # runs in the child: Chromium reads commands on fd 3 and writes replies on fd 4
            # Move both ends above 4 first, so neither is overwritten while the other is put in place.
            high_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.proc = subprocess.Popen([binary, *FLAGS, f"--user-data-dir={self._profile.name}", "about:blank"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, pass_fds=(3, 4), preexec_fn=wire_fds)
        os.close(to_child_r)
        os.close(from_child_w)
        self._next_id = 0
        self._replies: dict[int, queue.Queue] = {}
        self.events: list[dict] = []
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._read_loop, daemon=True).start()

    # -- transport -------------------------------------------------------------------------
    def _read_loop(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._from_child, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    with self._lock:
                        box = self._replies.get(message["id"])
                    if box:
                        box.put(message)
                else:
                    with self._lock:
                        self.events.append(message)
        # The browser went away: fail every command still waiting instead of letting it time out.
        with self._lock:
            self._closed = True
            for box in self._replies.values():
                box.put({"error": "the browser closed the pipe"})

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        with self._lock:
            if self._closed:
                raise RuntimeError(f"{method}: the browser closed the pipe")
            self._next_id += 1
            msg_id = self._next_id
            box = self._replies[msg_id] = queue.Queue()
        message = {"id": msg_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        try:
            reply = box.get(timeout=self.timeout)
        except queue.Empty:
            raise TimeoutError(f"no reply to {method} within {self.timeout} s") from None
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def wait_for(self, method: str, session: str | None = None, timeout: float | None = None) -> dict:
        deadline = time.monotonic() + (timeout or self.timeout)
        while time.monotonic() < deadline:
            with self._lock:
                for event in self.events:
                    if event.get("method") == method and session in (None, event.get("sessionId")):
                        return event
            time.sleep(0.05)
        raise TimeoutError(f"no {method} within {timeout or self.timeout} s")

    # -- a page ----------------------------------------------------------------------------
    def open_page(self, url: str, width: int = 1200, height: int = 900) -> "Page":
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Network", "Page"):
            self.send(f"{domain}.enable", session=session)
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session)
        with self._lock:
            self.events.clear()
        self.send("Page.navigate", {"url": url}, session)
        self.wait_for("Page.loadEventFired", session)
        time.sleep(0.5)   # let anything the load triggers (a late fetch, a timer) show up in the events
        return Page(self, session)

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._to_child, self._from_child):
            try:
                os.close(fd)
            except OSError:
                pass
        self._profile.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Page:
    def __init__(self, browser: Chromium, session: str):
        self.browser, self.session = browser, session

    def _events(self, method: str) -> list[dict]:
        with self.browser._lock:
            return [e["params"] for e in self.browser.events
                    if e.get("method") == method and e.get("sessionId") == self.session]

    def console_errors(self) -> list[str]:
        """Console errors and warnings, uncaught exceptions, error log entries (CSP violations land there)."""
        out = [f"console.{p['type']}: " + " ".join(str(a.get("value", a.get("description")))
                                                   for a in p["args"])
               for p in self._events("Runtime.consoleAPICalled")
               if p["type"] in ("error", "warning", "assert")]
        out += ["exception: " + _exception_text(p["exceptionDetails"])
                for p in self._events("Runtime.exceptionThrown")]
        out += [f"log.{p['entry']['level']}: {p['entry']['text']}" for p in self._events("Log.entryAdded")
                if p["entry"]["level"] in ("error", "warning")]
        return out

    def requests(self) -> list[str]:
        return [p["request"]["url"] for p in self._events("Network.requestWillBeSent")]

    def evaluate(self, expression: str):
        result = self.browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                                   self.session)
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluate failed: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def screenshot(self, path: str) -> None:
        """The whole page, not just the viewport."""
        size = self.browser.send("Page.getLayoutMetrics", session=self.session)["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        data = self.browser.send("Page.captureScreenshot",
                                 {"format": "png", "clip": clip, "captureBeyondViewport": True}, self.session)
        with open(path, "wb") as f:
            f.write(base64.b64decode(data["data"]))


def _exception_text(details: dict) -> str:
    # `text` is only "Uncaught"; the message ("ReferenceError: x is not defined") is in the exception object.
    exception = details.get("exception") or {}
    return " ".join(filter(None, [details.get("text"), exception.get("description")]))
