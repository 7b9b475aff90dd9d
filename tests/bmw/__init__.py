"""End-to-end tests of the BMW CarData backend through Home Assistant."""
