"""Tests against real infrastructure (broker, worker); skipped when it is not configured."""
