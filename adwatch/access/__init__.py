"""Access: personal accounts, passwords, second factor and secrets at rest."""
