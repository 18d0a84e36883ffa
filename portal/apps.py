from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Pages that span apps; it has no models, so no admin section names it."""

    name = "portal"
