"""Compliance and eligibility: sweeps of the registry against the rules, what-if checks, results."""
