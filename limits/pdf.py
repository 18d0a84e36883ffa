def letter_render(*, letter_id: int) -> None:
    """Rendered by the letters module (in progress)."""
