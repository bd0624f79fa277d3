"""Static-site generator for the Home GPU Leaderboard."""

__version__ = "0.1.0"
