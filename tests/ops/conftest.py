"""Real parts for the operations tests: free loopback ports, an aiosmtpd server, a closed port."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    """A port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Accept:
    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        return "250 OK"


@pytest.fixture
def smtp_port() -> Iterator[int]:
    """A real SMTP server (aiosmtpd) on a free loopback port, as the mail tests use."""
    port = free_port()
    controller = Controller(_Accept(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port
    controller.stop()
