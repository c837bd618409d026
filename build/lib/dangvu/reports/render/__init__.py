"""Renderers: lay a built Report out as DOCX (HD 36-HD/VPTW), XLSX, charts (PNG) and PDF. No figure is computed
here."""
