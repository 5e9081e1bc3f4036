"""sourcecheck: check writing against its sources, claim by claim."""

__version__ = "0.1.0"
