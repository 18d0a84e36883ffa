"""The claims API: claims (file with Idempotency-Key, preview, read with the calculation line
by line, the insured's and the claims handler's actions, statements, recoveries) and
collections cases."""

from .claims import ClaimViewSet
from .collections import CollectionViewSet

__all__ = ["ClaimViewSet", "CollectionViewSet"]
