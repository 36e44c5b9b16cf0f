"""Mine geo-environment restoration: plans and phases, the fund ledger, the responsibility ledger, the area balance, reclamation acceptance and green mines."""
