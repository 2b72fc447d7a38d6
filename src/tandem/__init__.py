"""Tandem: a self-hostable, mindful AI engine for talent marketplaces."""

__version__ = "0.1.0"
__all__ = ["__version__"]
