"""A local, protocol-faithful Teslemetry (and the base for a local Fleet API)."""
