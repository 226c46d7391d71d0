"""The routes, one small module per page or action."""
