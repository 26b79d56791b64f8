"""One repository per peer network: plan from the roster, registry, repositories, issuance."""
