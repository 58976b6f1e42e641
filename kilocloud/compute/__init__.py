"""The compute service: servers, flavors and the agents that run them."""
