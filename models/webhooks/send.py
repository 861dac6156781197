"""One POST of one delivery: the Standard Webhooks signature, the SSRF guard, no redirects and
a deadline for the whole attempt. Standard library only.

Signature (https://www.standardwebhooks.com): headers `webhook-id` (the delivery's message id,
the same on every attempt), `webhook-timestamp` (unix seconds of this attempt) and
`webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, keyed with the
base64-decoded part of the secret after "whsec_".

Only http and https URLs without a user name or password. The host is resolved once and the
address checked: loopback, private networks, link-local (cloud metadata at 169.254.169.254),
CGNAT, multicast and reserved addresses are refused unless `allow_private` (the setting
CADANS_WEBHOOKS_ALLOW_PRIVATE, for a receiver on the company network or in tests); then the
connection goes to exactly that checked address (HTTPS still checks the certificate against the
host name), so a DNS answer that changes in between cannot send it elsewhere. Checked again at
every attempt, not only when the beheerder saved the URL.
"""

import base64
import hashlib
import hmac
import http.client
import ipaddress
import secrets
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_RESPONSE = 64 * 1024  # read at most this much of an answer
KEPT_RESPONSE = 500  # characters of it kept in the log
USER_AGENT = "Cadans-Webhooks/1"


class Refused(Exception):
    """This URL may not be called; the message says why, in Dutch."""


@dataclass(frozen=True)
class Result:
    status: int | None
    error: str
    seconds: float
    response: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def private_allowed(setting: str | None) -> bool:
    """CADANS_WEBHOOKS_ALLOW_PRIVATE: "1", "true", "ja", "yes" or "on" allows them."""
    return (setting or "").strip().lower() in ("1", "true", "ja", "yes", "on")


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    mac = hmac.new(key, f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def parse_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of an acceptable URL, else Refused."""
    if any(c in url for c in "\x00\r\n\t ") or len(url) > 2000:
        raise Refused("Dit is geen geldig adres (spaties of stuurtekens, of langer dan 2000 "
                      "tekens).")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise Refused("Dit is geen geldig adres.") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused("Geef een http- of https-adres, bijvoorbeeld https://voorbeeld.nl/cadans.")
    if parts.username is not None or parts.password is not None:
        raise Refused("Zet geen gebruikersnaam of wachtwoord in het adres.")
    port = port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port, path


def resolve(host: str, port: int, allow_private: bool) -> str:
    """The address to connect to: the first one of `host` that may be called."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused(f"De host {host} is niet te vinden.") from exc
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if allow_private or address.is_global:
            return str(address)
    raise Refused(f"{host} wijst naar een intern adres ({infos[0][4][0]}); webhooks gaan alleen "
                  "naar adressen op internet (zie CADANS_WEBHOOKS_ALLOW_PRIVATE).")


def check_url(url: str, allow_private: bool) -> str | None:
    """Why a beheerder's URL cannot be used (Dutch), or None."""
    try:
        _scheme, host, port, _path = parse_url(url)
        resolve(host, port, allow_private)
    except Refused as exc:
        return str(exc)
    return None


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, address, host, port, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to the checked address, with SNI and the certificate checked against the host."""

    def __init__(self, address, host, port, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def deliver(url: str, secret: str, message_id: str, body: bytes, timeout: float,
            allow_private: bool) -> Result:
    """POST `body` once. `timeout` bounds the whole attempt (connect, send, the answer): a
    receiver that sends a byte now and then is cut off too. A redirect is an answer like any
    other that is not 2xx: never followed."""
    started = time.monotonic()

    def left() -> float:
        return timeout - (time.monotonic() - started)

    try:
        scheme, host, port, path = parse_url(url)
        address = resolve(host, port, allow_private)
    except Refused as exc:
        return Result(None, str(exc), time.monotonic() - started)
    stamp = int(time.time())
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT,
               "webhook-id": message_id, "webhook-timestamp": str(stamp),
               "webhook-signature": sign(secret, message_id, stamp, body)}
    kind = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    conn = kind(address, host, port, max(0.05, left()))
    try:
        conn.connect()
        sock = conn.sock  # http.client lets go of it once the answer is read
        sock.settimeout(max(0.05, left()))
        conn.request("POST", path, body=body, headers=headers)
        answer = conn.getresponse()
        chunks, size = [], 0
        while size < MAX_RESPONSE:
            if left() <= 0:
                raise TimeoutError
            sock.settimeout(left())
            chunk = answer.read1(4096)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        text = b"".join(chunks).decode("utf-8", "replace")[:KEPT_RESPONSE]
        error = ""
        if 300 <= answer.status < 400:
            error = (f"Doorverwijzing naar {answer.getheader('Location', '?')[:200]} niet "
                     "gevolgd: geef het eindadres op.")
        elif not 200 <= answer.status < 300:
            error = f"De ontvanger antwoordde {answer.status} {answer.reason}"[:200]
        return Result(answer.status, error, time.monotonic() - started, text)
    except TimeoutError:
        return Result(None, f"Geen (volledig) antwoord binnen {timeout:g} s.",
                      time.monotonic() - started)
    except ssl.SSLError as exc:
        return Result(None, f"TLS-fout: {exc}"[:300], time.monotonic() - started)
    except (OSError, http.client.HTTPException) as exc:
        return Result(None, f"Geen verbinding: {type(exc).__name__}: {exc}"[:300],
                      time.monotonic() - started)
    finally:
        conn.close()
