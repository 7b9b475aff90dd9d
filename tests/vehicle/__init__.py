"""Tests of the Home Assistant-free vehicle layer."""
