"""A facility's project type when it is not recorded: one rule for the registry and the what-if check."""

# A facility is a new project while it is planned or being built (seed 003: 新建矿山…), an existing one once
# it operates, stands or is closed.
NEW_PROJECT_STATES = ("planned", "under_construction")


def project_type_of(project_type: str, status: str) -> str:
    """The project type a rule reads: the recorded one, else derived from the status (docs/compliance.md)."""
    if project_type:
        return project_type
    return "new" if status in NEW_PROJECT_STATES else "existing"
