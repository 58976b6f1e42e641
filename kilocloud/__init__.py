"""kilocloud: OpenStack Identity, Image and Messaging APIs in one lightweight control plane."""

__version__ = "0.1.0"
