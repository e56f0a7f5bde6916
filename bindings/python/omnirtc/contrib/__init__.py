"""Helpers beyond the W3C API, as in aiortc's ``aiortc.contrib``."""
