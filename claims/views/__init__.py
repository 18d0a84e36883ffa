"""The claims pages: each part in its own module."""
