"""Thin views (STYLE §5): scoped getter → form → service → redirect or render. Split by area."""
