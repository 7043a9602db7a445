"""Telegram channel: python-telegram-bot v22 over the assistant core (polling or webhook)."""
