import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_crontab


def test_it_reads_a_crontab_line_and_refuses_a_bad_one(monkeypatch):
    monkeypatch.setenv("PAYOUT_SCHEDULE", "30 4 15 * *")
    schedule = env_crontab("PAYOUT_SCHEDULE", "0 6 1 * *")
    assert (schedule.minute, schedule.hour, schedule.day_of_month) == ({30}, {4}, {15})
    monkeypatch.setenv("PAYOUT_SCHEDULE", "0 6 1 *")
    with pytest.raises(ImproperlyConfigured, match="five crontab fields"):
        env_crontab("PAYOUT_SCHEDULE", "0 6 1 * *")
    monkeypatch.setenv("PAYOUT_SCHEDULE", "0 25 1 * *")
    with pytest.raises(ImproperlyConfigured, match="PAYOUT_SCHEDULE is not a valid crontab"):
        env_crontab("PAYOUT_SCHEDULE", "0 6 1 * *")
