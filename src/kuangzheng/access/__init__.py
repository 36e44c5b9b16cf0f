"""Roles and division scopes: who may see and do what. Enforced by the service layer."""
