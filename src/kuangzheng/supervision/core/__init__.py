"""Supervision's pure logic: the verifiable draw, the case state machine, deadline arithmetic and
zombie-right detection. No Django: the CLI's `--verify` runs on this alone."""
