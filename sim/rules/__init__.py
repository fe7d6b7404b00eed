"""Model rules: small functions of arrays that decide a change; the model applies it.

Each module holds one process of the weekly schedule (see docs/ODD.md, "Process overview").
"""
