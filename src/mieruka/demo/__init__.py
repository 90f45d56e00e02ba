"""`mieruka demo`: a synthetic organisation, loaded, evaluated and reported end to end."""
