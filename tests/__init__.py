"""Tests for the Connected Car integration."""
