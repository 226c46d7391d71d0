"""Operations: backup, restore, health, status and the nightly schedule."""
