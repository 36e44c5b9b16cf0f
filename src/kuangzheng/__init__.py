"""Kuangzheng (矿政): mining-rights administration and non-ferrous industry governance."""

__version__ = "0.1.0"
