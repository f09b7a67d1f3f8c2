"""The background jobs, one module each, each declared once with ``@job`` beside its body.

See :mod:`docflow.registry` for what a declaration gives a job, and the README's
"Adding a job" for how to write one. The registry imports every module of this package.
"""
