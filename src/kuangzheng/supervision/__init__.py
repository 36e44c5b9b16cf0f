"""Supervision and enforcement: random inspections by verifiable draw, findings, orders and cases to closure, zombie rights, and the daily watch of every deadline."""
