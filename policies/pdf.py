def render_policy_document(document) -> bytes:
    raise RuntimeError("PDF rendering not wired yet")
