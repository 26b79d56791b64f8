"""Forges: where pull requests, reviews and comments live (a local git repository, or GitHub)."""
