"""mieruka (見える化): governance figures from an organisation's own data, with evidence."""

__version__ = "0.1.0"
