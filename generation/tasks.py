"""Celery tasks of the generation room: load by id, call the service, decide whether to retry."""

from __future__ import annotations

from celery import shared_task

from generation import services


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None, ignore_result=True)
def run_job(self, job_id: str) -> str:
    """Render a generation job. A second delivery while another worker holds the job waits and looks
    again; by then the job is finished (nothing to do) or its worker has died (this one takes over)."""
    outcome = services.job_run(job_id=job_id)
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status
