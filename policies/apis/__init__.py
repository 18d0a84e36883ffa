"""The policies API: one module per resource."""

from .declarations import DeclarationViewSet
from .documents import DocumentViewSet
from .policies import PolicyViewSet

__all__ = ["DeclarationViewSet", "DocumentViewSet", "PolicyViewSet"]
