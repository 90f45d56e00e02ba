"""The core every pack stands on: workspace, datasets and snapshots, specs, runs, store."""
