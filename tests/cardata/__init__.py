"""A local, protocol-faithful BMW CarData for the tests."""
