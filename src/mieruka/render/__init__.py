"""Presentation helpers shared by packs and interfaces: inline SVG charts and PDF printing.

This layer sits beside `mieruka.core`: it imports only `core` and `japan`, so a pack can
draw a chart or print a PDF without importing an interface (`report`, `web`, `cli`).
"""
