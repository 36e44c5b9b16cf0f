"""Pure restoration logic (no Django): plan and phase states, the fund ledger's posting rules and
balances, new/old classification of damage, the area balance and the indicators."""
