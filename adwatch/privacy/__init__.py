"""Privacy: retention, purge, data-subject rights, legal holds and accountability."""
