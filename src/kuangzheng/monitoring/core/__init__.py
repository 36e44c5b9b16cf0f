"""Monitoring core (pure Python: numpy in, dataclasses out; no Django).

- ``indicators``: capacity utilisation, conversion rate, concentration, recycled share, unit
  energy, three-rate compliance, large/medium mine shares, restoration balance, emissions
  against a baseline or path, green mines, unreplaced capacity — grouped over numpy columns.
- ``targets``: plan targets, required growth, projections with intervals, status.
- ``early_warning``: warning rules × indicator values → warnings.
- ``ledger``: the electrolytic-aluminium capacity-replacement ledger rules.
- ``reports``: enterprise report types, Excel templates and validation.
- ``forecast`` / ``backtest``: demand forecasting methods and their backtests
  (``python -m kuangzheng.monitoring.core.backtest``).

See docs/monitoring.md.
"""
