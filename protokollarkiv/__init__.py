"""Protokollarkiv: a static site generator for public meeting archives."""

__version__ = "0.1.0"
