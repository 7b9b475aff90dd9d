"""What every local Tesla fake shares: HTTPS on 127.0.0.1 for real host names.

The libraries insist on Tesla's and Teslemetry's real hosts (https), so nothing
is patched: the client session gets a resolver that maps those hosts to the
fake's port (`TeslaHostResolver`) and an SSL context trusting the fake's
throwaway CA. Requests are routed by Host header; each fake answers for its
own hosts, keeps a log of what it was asked and can be told to fail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
import re
import socket
import ssl
from typing import Any

from aiohttp import abc, web
from aiohttp.web_protocol import RequestHandler
import trustme

from .encoder import sample_document

_STRAY_CHUNK = re.compile(rb"(\A|\r\n\r\n)0\r\n\r\n")


class _TolerantHandler(RequestHandler):
    r"""Ignores the empty chunked body aiohttp's client sends after a GET.

    aiohttp 3.13's client writes ``0\r\n\r\n`` after a bodiless GET made with
    ``chunked=True`` (teslemetry-stream does that) without announcing chunked
    encoding; aiohttp's server would read it as a new request and answer 400 into
    the stream. Teslemetry's servers evidently do not mind, so neither may we.
    """

    def data_received(self, data: bytes) -> None:
        """Drop a stray empty chunk after a request's headers, then parse."""
        cleaned = _STRAY_CHUNK.sub(rb"\1", data)
        if cleaned:
            super().data_received(cleaned)


class _TolerantServer(web.Server):
    def __call__(self) -> RequestHandler:
        return _TolerantHandler(self, loop=self._loop, **self._kwargs)


class _TolerantRunner(web.AppRunner):
    async def _make_server(self) -> web.Server:
        server = await super()._make_server()
        server.__class__ = _TolerantServer
        return server


class TeslaHostResolver(abc.AbstractResolver):
    """Resolves the fakes' host names to 127.0.0.1 and their ports; nothing else."""

    def __init__(self, hosts: dict[str, int]) -> None:
        """Map each host name to the local port serving it."""
        self.hosts = hosts

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[abc.ResolveResult]:
        """Return 127.0.0.1 with the fake's port, or fail like DNS would."""
        if host not in self.hosts:
            msg = f"unknown host {host} (only the local Tesla fakes resolve)"
            raise OSError(msg)
        return [
            {
                "hostname": host,
                "host": "127.0.0.1",
                "port": self.hosts[host],
                "family": socket.AF_INET,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST,
            }
        ]

    async def close(self) -> None:
        """Nothing to release."""


@dataclass
class Fault:
    """A canned answer for the next matching request."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: str | None = None
    """A body sent as is (text/html), instead of JSON."""
    path_contains: str = ""


@dataclass
class RequestRecord:
    """One request a fake received."""

    at: datetime
    host: str
    method: str
    path: str
    status: int
    body: bytes = b""
    token: str = ""
    """The bearer token the request carried (to tell which token was used when)."""


def fault_from_sample(name: str, **overrides: Any) -> Fault:
    """Return a fault answering like a shared error sample (status, headers, body)."""
    document = sample_document(name)
    payload = document["payload"]
    headers = dict(document.get("_headers", {}))
    if isinstance(payload, str):
        return Fault(
            document["_http_status"], headers=headers, raw=payload, **overrides
        )
    return Fault(document["_http_status"], payload, headers, **overrides)


def error(status: int, key: str, description: str = "") -> web.Response:
    """Return an error in the Fleet API's envelope."""
    return web.json_response(
        {"response": None, "error": key, "error_description": description},
        status=status,
    )


def sample_error(name: str, **headers: str) -> web.Response:
    """Return a shared error sample's answer."""
    fault = fault_from_sample(name)
    fault.headers.update(headers)
    return fault_response(fault)


def fault_response(fault: Fault) -> web.Response:
    """Return a fault's answer."""
    if fault.raw is not None:
        return web.Response(
            status=fault.status,
            text=fault.raw,
            content_type="text/html" if fault.raw.startswith("<") else "text/plain",
            headers=fault.headers,
        )
    return web.json_response(fault.body, status=fault.status, headers=fault.headers)


class HttpsFake:
    """An aiohttp server on 127.0.0.1 with TLS for a set of real host names."""

    def __init__(self, clock: Any, hosts: Iterable[str]) -> None:
        """Serve hosts on clock (the test's)."""
        self.clock = clock
        self.hosts = tuple(hosts)
        self.requests: list[RequestRecord] = []
        self.faults: list[Fault] = []
        self.ca = trustme.CA()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    async def start(self) -> None:
        """Serve HTTPS on a free port of 127.0.0.1."""
        app = web.Application(middlewares=[self._route])
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        certificate = self.ca.issue_cert(*self.hosts, *self.wildcards())
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        certificate.configure_cert(context)
        self._runner = _TolerantRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=context)
        await site.start()
        self._port = self._runner.addresses[0][1]

    def wildcards(self) -> tuple[str, ...]:
        """Return extra certificate names (wildcards) of the fake."""
        return ()

    async def stop(self) -> None:
        """Stop the server."""
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def port(self) -> int:
        """Return the port the fake listens on."""
        assert self._port is not None
        return self._port

    def resolver(self) -> TeslaHostResolver:
        """Return a resolver sending the fake's hosts here."""
        return TeslaHostResolver(dict.fromkeys(self.hosts, self.port))

    def client_ssl_context(self) -> ssl.SSLContext:
        """Return an SSL context that trusts the fake's CA (and only it)."""
        context = ssl.create_default_context()
        self.ca.configure_trust(context)
        return context

    def fail_next(self, fault: Fault, times: int = 1) -> None:
        """Answer the next matching request(s) with fault."""
        self.faults.extend([fault] * times)

    def take_fault(self, path: str) -> web.Response | None:
        """Return the answer of the first fault matching path (and forget it)."""
        for fault in list(self.faults):
            if fault.path_contains in path:
                self.faults.remove(fault)
                return fault_response(fault)
        return None

    def tick(self) -> None:
        """Bring the fake's world up to the clock's now (before every request)."""

    async def handle(self, request: web.Request, host: str) -> web.StreamResponse:
        """Answer a request to one of the fake's hosts."""
        raise NotImplementedError

    @web.middleware
    async def _route(
        self, request: web.Request, handler: Callable[[web.Request], Any]
    ) -> web.StreamResponse:
        host = request.host.split(":")[0]
        self.tick()
        body = await request.read() if request.body_exists else b""
        if host not in self.hosts:
            response: web.StreamResponse = web.json_response(
                {"error": "unknown host"}, status=421
            )
        else:
            response = await self.handle(request, host)
        self.requests.append(
            RequestRecord(
                self.clock.now(),
                host,
                request.method,
                request.path,
                response.status,
                body,
                request.headers.get("Authorization", "").removeprefix("Bearer "),
            )
        )
        return response

    async def _not_found(self, request: web.Request) -> web.Response:
        return error(404, "not_found")
