"""Reminders: next_fire_at(), the sweep that sends what is due, the push and e-mail senders."""
