"""The ledger: decisions, badges and the status list, committed to a branch reserved for them."""
