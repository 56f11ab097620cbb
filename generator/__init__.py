"""Turns plain-text news articles into a static briefing site (see README.md)."""
