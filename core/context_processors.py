def insurer(request):
    """The insurer's identity (name, address, registration, contact, logo) for every page."""
    from core.insurer import insurer as current_insurer

    return {"insurer": current_insurer()}
