"""Tests of the BMW CarData vehicle layer (no Home Assistant)."""
