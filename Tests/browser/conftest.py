"""Harness for Minqing's browser tests.

It builds nothing. It finds the `minqing` binary (MINQING_BIN, else
`swift build --show-bin-path` + /minqing), starts the real server on a free
loopback port with demo data in a temporary SQLite folder, waits for
GET /healthz, and drives Debian's Chromium through Playwright's sync API.

Artifacts (git-ignored) go under <repo>/artifacts/ (or MINQING_ARTIFACTS_DIR):
  screenshots/<test>__<nn>_<step>.png   one per step, and FAILED_* on a failure
  logs/server-<name>.log                the server's stdout and stderr

Environment knobs: MINQING_BIN, MINQING_CHROMIUM (default /usr/bin/chromium),
MINQING_STARTUP_TIMEOUT (seconds, default 120), MINQING_ARTIFACTS_DIR,
MINQING_KEEP_DATA=1 (keep the temporary data folders).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from minqing_web import DEMO_PASSWORD

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("MINQING_ARTIFACTS_DIR") or REPO_ROOT / "artifacts")
SCREENSHOTS = ARTIFACTS / "screenshots"
LOGS = ARTIFACTS / "logs"
CHROMIUM = os.environ.get("MINQING_CHROMIUM", "/usr/bin/chromium")
STARTUP_TIMEOUT = float(os.environ.get("MINQING_STARTUP_TIMEOUT", "120"))

# Locator assertions retry for this long; navigations have their own timeout below.
expect.set_options(timeout=10_000)


# --------------------------------------------------------------------------- server


def find_binary() -> Path:
    explicit = os.environ.get("MINQING_BIN")
    if explicit:
        path = Path(explicit)
    else:
        try:
            out = subprocess.run(
                ["swift", "build", "--show-bin-path"],
                cwd=REPO_ROOT,
                check=True,
                capture_output=True,
                text=True,
                timeout=600,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError) as error:
            raise RuntimeError(
                f"cannot ask SwiftPM for the bin path ({error}); set MINQING_BIN"
            ) from error
        path = Path(out.splitlines()[-1]) / "minqing"
    if not (path.is_file() and os.access(path, os.X_OK)):
        raise RuntimeError(
            f"no minqing binary at {path}: run `swift build --product minqing` first "
            "or point MINQING_BIN at it"
        )
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class MinqingServer:
    """One real `minqing serve --demo` process on its own port and SQLite folder."""

    def __init__(self, binary: Path, name: str, env: dict | None = None):
        self.binary = binary
        self.name = name
        self.extra_env = env or {}
        self.port = 0
        self.base_url = ""
        self.data_dir: Path | None = None
        self.log_path = LOGS / f"server-{name}.log"
        self.proc: subprocess.Popen | None = None
        self._log = None

    def start(self) -> "MinqingServer":
        LOGS.mkdir(parents=True, exist_ok=True)
        self.data_dir = Path(tempfile.mkdtemp(prefix=f"minqing-browser-{self.name}-"))
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        # The browser tests always run on SQLite, whatever the caller's environment says.
        for key in ("MINQING_DATABASE_URL", "MINQING_TEST_POSTGRES_URL"):
            env.pop(key, None)
        env["MINQING_DATA_DIR"] = str(self.data_dir)
        env["MINQING_DEMO_PASSWORD"] = DEMO_PASSWORD
        # The vault's key outside the data folder, as in production (its own per server).
        env["MINQING_KEY_FILE"] = str(self.data_dir) + "-key/secret.key"
        # Most tests sign in with a password only; test_second_factor.py runs a server where
        # administrators and subdistrict staff must enrol a second factor, as by default.
        env["MINQING_REQUIRE_2FA"] = "none"
        env.update(self.extra_env)
        cmd = [
            str(self.binary), "serve",
            "--hostname", "127.0.0.1",
            "--port", str(self.port),
            "--demo",
            # A small register keeps start-up quick in a debug build; the shape is the same.
            "--scale", os.environ.get("MINQING_BROWSER_DEMO_SCALE", "0.02"),
        ]
        self._log = open(self.log_path, "wb")
        self._log.write(f"$ MINQING_DATA_DIR={self.data_dir} {' '.join(cmd)}\n".encode())
        self._log.flush()
        self.proc = subprocess.Popen(
            cmd,
            cwd=REPO_ROOT,  # as a person runs it from a clone (Public/, Resources/)
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            self._wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_healthy(self) -> None:
        url = f"{self.base_url}/healthz"
        deadline = time.monotonic() + STARTUP_TIMEOUT
        last = "no answer yet"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"minqing exited with code {self.proc.returncode} before /healthz "
                    f"answered; log {self.log_path}:\n{tail(self.log_path)}"
                )
            try:
                with urllib.request.urlopen(url, timeout=5) as resp:
                    body = resp.read().decode("utf-8", "replace")
                    if resp.status == 200:
                        health = json.loads(body)
                        if health.get("status") == "ok" and health.get("database") == "sqlite":
                            return
                        raise RuntimeError(
                            f"/healthz answered {body!r}; expected "
                            '{"status":"ok","database":"sqlite"}'
                        )
                    last = f"HTTP {resp.status}: {body[:200]}"
            except urllib.error.HTTPError as error:
                last = f"HTTP {error.code}"
            except (urllib.error.URLError, ConnectionError, socket.timeout, ValueError) as error:
                last = str(error)
            time.sleep(0.25)
        raise RuntimeError(
            f"minqing did not answer {url} within {STARTUP_TIMEOUT:.0f}s (last: {last}); "
            f"log {self.log_path}:\n{tail(self.log_path)}"
        )

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=15)
            except ProcessLookupError:
                pass
        if self._log is not None:
            self._log.close()
            self._log = None
        if self.data_dir is not None and os.environ.get("MINQING_KEEP_DATA") != "1":
            shutil.rmtree(self.data_dir, ignore_errors=True)
            shutil.rmtree(str(self.data_dir) + "-key", ignore_errors=True)


# --------------------------------------------------------------------------- hooks


def pytest_sessionstart(session):
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    LOGS.mkdir(parents=True, exist_ok=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")


def _test_slug(request) -> str:
    name = request.node.name
    return _slug(name[5:] if name.startswith("test_") else name)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def minqing_binary() -> Path:
    try:
        return find_binary()
    except RuntimeError as error:
        message = str(error)
    pytest.fail(message, pytrace=False)


def _start_or_fail(srv: MinqingServer) -> None:
    try:
        srv.start()
        return
    except RuntimeError as error:
        message = str(error)
    pytest.fail(message, pytrace=False)


@pytest.fixture(scope="session")
def server(minqing_binary):
    """The shared server: demo data, logged in and out of by most tests."""
    srv = MinqingServer(minqing_binary, "main")
    _start_or_fail(srv)
    yield srv
    srv.stop()


@pytest.fixture
def fresh_server(minqing_binary, request):
    """A server of the test's own, for tests that change state (lockout, passwords)."""
    srv = MinqingServer(minqing_binary, _test_slug(request))
    _start_or_fail(srv)
    yield srv
    srv.stop()


@pytest.fixture
def server_with(minqing_binary, request):
    """server_with(**env): a server of the test's own with these environment settings."""
    started = []

    def make(**env):
        srv = MinqingServer(minqing_binary, f"{_test_slug(request)}-{len(started)}", env={k: str(v) for k, v in env.items()})
        _start_or_fail(srv)
        started.append(srv)
        return srv

    yield make
    for srv in started:
        srv.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)", pytrace=False)
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser, request):
    """Factory: new_context(**playwright_context_options) -> BrowserContext.

    Each context is a separate cookie jar (a separate person). On a failed test,
    every open page is screenshotted as FAILED_<test>_<n>.png before closing.
    """
    contexts = []

    def make(**options):
        options.setdefault("viewport", {"width": 1280, "height": 800})
        # A browser set to Chinese (Accept-Language: zh-CN), as the product's users have; the
        # server may also honour Accept-Language, so an en-US default would start in English.
        options.setdefault("locale", "zh-CN")
        options.setdefault("timezone_id", "Asia/Shanghai")
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        context.set_default_navigation_timeout(60_000)
        contexts.append(context)
        return context

    yield make

    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    n = 0
    for context in contexts:
        if failed:
            for pg in context.pages:
                n += 1
                try:
                    pg.screenshot(
                        path=str(SCREENSHOTS / f"FAILED_{_test_slug(request)}_{n}.png"),
                        full_page=True,
                    )
                except Exception:  # a crashed page must not hide the real failure
                    pass
        context.close()


@pytest.fixture
def page(new_context):
    """A desktop-sized page in a fresh context."""
    return new_context().new_page()


@pytest.fixture
def shot(request):
    """shot(page, "step_name"): a full-page screenshot named after the test and step."""
    counter = {"n": 0}

    def take(pg, step: str) -> Path:
        counter["n"] += 1
        path = SCREENSHOTS / f"{_test_slug(request)}__{counter['n']:02d}_{_slug(step)}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path

    return take
