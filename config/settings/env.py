"""Reading configuration from the environment, with typed helpers."""

import os


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def site_url_for_bind(address: str) -> str:
    """The URL a development server bound to `address` (runserver's "[host:]port") answers on,
    for links in emails: a wildcard address is reached by the machine's name."""
    import socket

    address = (address or "").strip() or "127.0.0.1:8000"
    host, _, port = address.rpartition(":")
    if not host:  # only a port
        host = "127.0.0.1"
    if host in ("0.0.0.0", "::", "[::]"):
        host = socket.gethostname()
    elif ":" in host and not host.startswith("["):  # a bare IPv6 address
        host = f"[{host}]"
    return f"http://{host}:{port}"
