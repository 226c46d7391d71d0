"""Operations: backup, restore, health, status, the schedule and Chromium."""
