"""A real MQTT broker for the tests: Debian's mosquitto, over TLS, with passwords.

The CA and server certificate are made at start with trustme; clients verify
them (never ``tls_insecure``). Passwords are written hashed (PBKDF2-SHA512, the
format of ``mosquitto_passwd``) and reloaded with SIGHUP, after which the broker
accepts only the new ones, and even drops connected clients whose password
changed, exactly what a token refresh must survive.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import getpass
import hashlib
import itertools
import os
from pathlib import Path
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import time

import aiomqtt
import trustme

MOSQUITTO_CANDIDATES = ("/usr/sbin/mosquitto", "/usr/bin/mosquitto")
PUBLISHER = "fake-cardata"
PROBE = "fake-cardata-probe"
START_TIMEOUT = 10.0
RELOAD_TIMEOUT = 10.0


def find_mosquitto() -> str | None:
    """Return the mosquitto binary, if installed."""
    for candidate in MOSQUITTO_CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("mosquitto")


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def password_line(user: str, password: str) -> str:
    """Return a mosquitto password file line ($7$: PBKDF2-SHA512, 101 rounds)."""
    salt = os.urandom(12)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, 101, 64)
    return (
        f"{user}:$7$101${base64.b64encode(salt).decode()}"
        f"${base64.b64encode(digest).decode()}\n"
    )


class MosquittoBroker:
    """One mosquitto process on 127.0.0.1 with TLS, users and an ACL."""

    def __init__(self, workdir: Path) -> None:
        """Prepare files in workdir; `start` launches the process."""
        self.workdir = workdir
        self.port = free_port()
        self.ca = trustme.CA()
        self.publisher_password = secrets.token_urlsafe(24)
        self._probe_password = secrets.token_urlsafe(24)
        self.users: dict[str, str] = {}
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = workdir / "mosquitto.log"
        self._probe_ids = itertools.count()
        self._tls_context: ssl.SSLContext | None = None

    def client_tls_context(self) -> ssl.SSLContext:
        """Return a verifying client context that trusts the test CA only."""
        if self._tls_context is None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies by default
            context.load_verify_locations(cadata=self.ca.cert_pem.bytes().decode())
            self._tls_context = context
        return self._tls_context

    def start(self) -> None:
        """Write certificates and configuration, start mosquitto, wait for it."""
        binary = find_mosquitto()
        if binary is None:
            msg = "mosquitto is not installed (scripts/setup installs it)"
            raise RuntimeError(msg)
        cert = self.ca.issue_cert("127.0.0.1", "localhost")
        cert.private_key_pem.write_to_path(self.workdir / "server.key")
        cert.cert_chain_pems[0].write_to_path(self.workdir / "server.crt")
        (self.workdir / "acl").write_text(
            f"user {PUBLISHER}\ntopic write #\n\npattern read %u/#\n"
        )
        self._write_passwords()
        (self.workdir / "mosquitto.conf").write_text(
            f"user {getpass.getuser()}\n"
            "per_listener_settings false\n"
            "allow_anonymous false\n"
            f"password_file {self.workdir / 'passwd'}\n"
            f"acl_file {self.workdir / 'acl'}\n"
            "persistence false\n"
            f"log_dest file {self.log_path}\n"
            "log_type error\nlog_type warning\nlog_type notice\n"
            "log_type information\n"
            "connection_messages true\n"
            "log_timestamp false\n"
            f"listener {self.port} 127.0.0.1\n"
            f"certfile {self.workdir / 'server.crt'}\n"
            f"keyfile {self.workdir / 'server.key'}\n"
        )
        self.process = subprocess.Popen(  # noqa: S603 - our own binary and config
            [binary, "-c", str(self.workdir / "mosquitto.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                error = self.process.stderr.read() if self.process.stderr else b""
                msg = f"mosquitto exited: {error.decode(errors='replace')}"
                raise RuntimeError(msg)
            if "running" in self.log():
                return
            time.sleep(0.02)
        msg = "mosquitto did not start"
        raise RuntimeError(msg)

    def stop(self) -> None:
        """Stop the broker process."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stderr is not None:
            self.process.stderr.close()
        self.process = None

    def log(self) -> str:
        """Return the broker's log so far."""
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def connections_of(self, client_id: str, after: int = 0) -> int:
        """Count accepted connections by client_id logged after log offset `after`."""
        pattern = re.compile(
            rf"New client connected from \S+ as {re.escape(client_id)} \("
        )
        return len(pattern.findall(self.log()[after:]))

    def _write_passwords(self) -> None:
        lines = [
            password_line(PUBLISHER, self.publisher_password),
            password_line(PROBE, self._probe_password),
        ]
        lines += [password_line(user, pw) for user, pw in self.users.items()]
        path = self.workdir / "passwd"
        temporary = path.with_suffix(".new")
        temporary.write_text("".join(lines))
        temporary.replace(path)

    async def set_password(self, user: str, password: str | None) -> None:
        """Accept only `password` for user from now on (None: nothing at all).

        Returns once the broker has reloaded (proved by a probe login with a
        password that exists only in the new file).
        """
        if password is None:
            self.users.pop(user, None)
        else:
            self.users[user] = password
        self._probe_password = secrets.token_urlsafe(24)
        self._write_passwords()
        assert self.process is not None
        self.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + RELOAD_TIMEOUT
        while not await self.accepts(PROBE, self._probe_password):
            if time.monotonic() > deadline:
                msg = "mosquitto did not reload its passwords"
                raise RuntimeError(msg)
            await asyncio.sleep(0.01)

    async def accepts(
        self, user: str, password: str, identifier: str | None = None
    ) -> bool:
        """Return whether the broker accepts this login right now."""
        client = aiomqtt.Client(
            "127.0.0.1",
            self.port,
            username=user,
            password=password,
            identifier=identifier or f"probe-{next(self._probe_ids)}",
            tls_context=self.client_tls_context(),
            timeout=5,
        )
        try:
            await client.__aenter__()
        except aiomqtt.MqttError:
            return False
        else:
            return True
        finally:
            await hard_close(client)


class Publisher:
    """The fake CarData's own MQTT connection, publishing car data."""

    def __init__(self, broker: MosquittoBroker) -> None:
        """Publish through broker (connects lazily)."""
        self._broker = broker
        self._client: aiomqtt.Client | None = None

    async def publish(self, topic: str, payload: bytes) -> None:
        """Publish one QoS 0 message (reconnecting if the broker dropped us)."""
        for attempt in range(2):
            if self._client is None:
                client = aiomqtt.Client(
                    "127.0.0.1",
                    self._broker.port,
                    username=PUBLISHER,
                    password=self._broker.publisher_password,
                    identifier=f"{PUBLISHER}-{secrets.token_hex(4)}",
                    tls_context=self._broker.client_tls_context(),
                )
                await client.__aenter__()
                client._disconnected.add_done_callback(
                    lambda f: f.cancelled() or f.exception()
                )
                self._client = client
            try:
                await self._client.publish(topic, payload, qos=0)
            except aiomqtt.MqttError:  # dropped by the broker meanwhile
                await self.close()
                if attempt:
                    raise
            else:
                return

    async def close(self) -> None:
        """Disconnect."""
        if self._client is not None:
            client, self._client = self._client, None
            await hard_close(client)


async def hard_close(client: aiomqtt.Client) -> None:
    """Close a client's socket without aiomqtt's racy graceful exit.

    (The integration does the same; see its stream module.)
    """
    for _ in range(3):
        await asyncio.sleep(0)
    with contextlib.suppress(Exception):
        client._client._reset_sockets()
