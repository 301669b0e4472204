"""What the outbox sends: the texts of deadline, reporting, overdue and score reminders,
digests, and a leader's nudge (/nhac and the «Nhắc lại» button)."""
