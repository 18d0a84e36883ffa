"""Who a request comes from, for rate limits and lockouts.

The client's address is REMOTE_ADDR unless the deployment says how many proxies it trusts in
front of the app (`NUM_PROXIES`, from the environment). Only then is `X-Forwarded-For` read,
and only the address the nearest trusted proxy appended: anything further left was written by
the client and could be anything. DRF's throttles (its own `NUM_PROXIES` setting) and
django-axes (`AXES_CLIENT_IP_CALLABLE`) both ask here, so they agree on who is who.
"""

from rest_framework.throttling import BaseThrottle, SimpleRateThrottle


def client_ip(request) -> str:
    """The client's address as the trusted proxies saw it (DRF's rule, with `NUM_PROXIES`)."""
    return BaseThrottle().get_ident(request)


class AddressRateThrottle(SimpleRateThrottle):
    """A rate per client address, whether or not the request carries credentials: a valid
    token of one account must not lift the limit on guessing another's password."""

    def get_ident(self, request) -> str:
        return client_ip(request)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
