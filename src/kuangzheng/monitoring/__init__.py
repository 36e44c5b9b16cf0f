"""Industry monitoring and early warning, the Django side.

The computations live in the pure core ``kuangzheng.monitoring.core``; this app stores enterprise
reports and their workflow, warnings and releases, and the capacity-replacement ledger, and
serves them through services (the one way in), the API, the portal and the CLI.
See docs/monitoring-app.md.
"""
