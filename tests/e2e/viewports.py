"""The two screen sizes the browser tests use (no imports: the e2e conftest reads it too)."""

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
