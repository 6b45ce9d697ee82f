"""Wiltshire Criminal Justice Board data warehouse."""
