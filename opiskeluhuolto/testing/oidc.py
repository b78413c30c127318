"""A real OpenID Connect provider on loopback for tests and the demo.

`oidc-provider-mock` (a standards-compliant provider built on authlib, made for tests)
runs in a second process; the app signs in through it with allauth's real
authorization-code flow. The provider puts whatever claims a person was given
(`set_person`) into the ID token and userinfo, `acr` included, so tests and the demo
decide the assurance level a sign-in carries.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from urllib.parse import quote

import requests

SUOMIFI_LOA3 = "http://ftn.ficora.fi/2017/loa3"
SUOMIFI_LOA2 = "http://ftn.ficora.fi/2017/loa2"
WEAK_ACR = "http://ftn.ficora.fi/2017/loa1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def provider(port: int | None = None, *, extra_args: tuple[str, ...] = ()):
    """Start the provider on 127.0.0.1 and yield its issuer URL; stop it afterwards."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(  # noqa: S603  (our own interpreter, fixed arguments)
        [
            sys.executable,
            "-m",
            "oidc_provider_mock",
            "-H",
            "127.0.0.1",
            "-p",
            str(port),
            *extra_args,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if requests.get(f"{url}/.well-known/openid-configuration", timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the OpenID Connect provider did not start")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def set_person(url: str, sub: str, claims: dict) -> None:
    """What the provider says about `sub` at its next sign-in."""
    r = requests.put(f"{url}/users/{quote(sub, safe='')}", json=claims, timeout=5)
    r.raise_for_status()


def app_config(provider_id: str, name: str, url: str, **settings) -> dict:
    """One allauth openid_connect app pointing at the provider (any client id works)."""
    return {
        "provider_id": provider_id,
        "name": name,
        "client_id": f"oh-{provider_id}",
        "secret": "test-secret",
        "settings": {"server_url": url, **settings},
    }
