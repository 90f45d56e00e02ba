"""Japanese conventions: fiscal years, 和暦, yen formatting and holidays."""
