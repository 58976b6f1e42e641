"""The network agent: makes this host's bridges, namespaces, DHCP, routers and filters real."""
