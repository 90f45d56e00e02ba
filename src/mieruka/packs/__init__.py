"""Domain packs. Each registers through `mieruka.core.registry`, exactly as a third-party pack would."""
