"""Open a page in headless Chromium over the DevTools protocol and report what happened.

One browser run: every request the page makes, console errors, uncaught exceptions, browser
log errors and failed loads are recorded; then a script reads facts from the DOM and two
screenshots are taken (the first screen and the whole page).
"""

from __future__ import annotations

import base64
import contextlib
import json
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.sync.client import connect

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class PageRun:
    requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    facts: Any = None
    screenshot: Path | None = None
    full_screenshot: Path | None = None


class _Cdp:
    def __init__(self, ws_url: str):
        self.ws = connect(ws_url, proxy=None, max_size=None, open_timeout=30)
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, params: dict | None = None, session: str | None = None, timeout=60):
        self.next_id += 1
        msg: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.ws.send(json.dumps(msg))
        deadline = time.monotonic() + timeout
        while True:
            reply = json.loads(self.ws.recv(timeout=max(deadline - time.monotonic(), 0.01)))
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float) -> None:
        if any(e.get("method") == method for e in self.events):
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            event = json.loads(self.ws.recv(timeout=max(deadline - time.monotonic(), 0.01)))
            self.events.append(event)
            if event.get("method") == method:
                return
        raise TimeoutError(f"no {method} within {timeout} s")

    def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                self.events.append(json.loads(self.ws.recv(timeout=left)))
            except TimeoutError:
                return

    def close(self) -> None:
        self.ws.close()


def _devtools_url(profile: Path, proc: subprocess.Popen, timeout: float = 30) -> str:
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"chromium exited with {proc.returncode} before DevTools started")
        if port_file.exists():
            lines = port_file.read_text().split()
            if len(lines) >= 2:
                return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
        time.sleep(0.05)
    raise TimeoutError("chromium did not start its DevTools endpoint")


def open_page(
    chromium: str,
    page: Path,
    workdir: Path,
    script: str,
    width: int = 1400,
    height: int = 2200,
) -> PageRun:
    """Load ``page`` (a file) in headless Chromium; ``script`` is evaluated once it has loaded."""
    profile = workdir / "chromium-profile"
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "DevToolsActivePort").unlink(missing_ok=True)  # a previous run's port
    log = (workdir / "chromium.log").open("w")
    proc = subprocess.Popen(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-default-apps",
            "--disable-extensions",
            "--disable-sync",
            "--no-first-run",
            "--no-default-browser-check",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    run = PageRun()
    try:
        cdp = _Cdp(_devtools_url(profile, proc))
        try:
            target = cdp.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = cdp.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
                "sessionId"
            ]
            for domain in ("Page", "Runtime", "Log", "Network"):
                cdp.call(f"{domain}.enable", session=session)
            cdp.call(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
                session=session,
            )
            cdp.events.clear()
            cdp.call("Page.navigate", {"url": page.resolve().as_uri()}, session=session)
            cdp.wait_for("Page.loadEventFired", timeout=60)
            cdp.drain(1.0)  # late requests or errors
            result = cdp.call(
                "Runtime.evaluate", {"expression": script, "returnByValue": True}, session=session
            )
            run.facts = result.get("result", {}).get("value")
            shot = cdp.call("Page.captureScreenshot", {"format": "png"}, session=session)
            run.screenshot = workdir / "report-first-screen.png"
            run.screenshot.write_bytes(base64.b64decode(shot["data"]))
            metrics = cdp.call("Page.getLayoutMetrics", session=session)
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            full = cdp.call(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "captureBeyondViewport": True,
                    "clip": {
                        "x": 0,
                        "y": 0,
                        "width": size["width"],
                        "height": min(size["height"], 16000),
                        "scale": 0.5,
                    },
                },
                session=session,
            )
            run.full_screenshot = workdir / "report-full-page.png"
            run.full_screenshot.write_bytes(base64.b64decode(full["data"]))
            cdp.drain(0.2)
            _collect(cdp.events, run)
            # The browser may close the socket before it answers.
            with contextlib.suppress(Exception):
                cdp.call("Browser.close", timeout=10)
        finally:
            cdp.close()
    finally:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
        log.close()
    return run


def _collect(events: list[dict], run: PageRun) -> None:
    for e in events:
        method, p = e.get("method"), e.get("params", {})
        if method == "Network.requestWillBeSent":
            run.requests.append(p["request"]["url"])
        elif method == "Network.loadingFailed":
            run.failed_requests.append(f"{p.get('requestId')}: {p.get('errorText')}")
        elif method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            args = " ".join(str(a.get("value", a.get("description", ""))) for a in p["args"])
            run.console_errors.append(f"console.{p['type']}: {args}")
        elif method == "Runtime.exceptionThrown":
            run.console_errors.append(f"exception: {p['exceptionDetails'].get('text')}")
        elif method == "Log.entryAdded" and p["entry"].get("level") == "error":
            run.console_errors.append(f"log: {p['entry'].get('text')} {p['entry'].get('url', '')}")
