"""The `mieruka` command line."""
