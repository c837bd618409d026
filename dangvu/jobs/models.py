"""A background job as the people who started it see it: what, whose, state, progress, result. The queue itself
is django-tasks' database backend (DBTaskResult); a Job row is what the pages poll, from any process."""

from __future__ import annotations

import uuid

from django.db import models


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang chạy"
        DONE = "done", "Đã xong"
        FAILED = "failed", "Lỗi"
        # Finished long ago: its own files removed and its result cleared by `dangvu prune` (dangvu.jobs.prune); the
        # row is kept a while longer so that its page says so rather than "not found".
        EXPIRED = "expired", "Đã hết hạn"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    handler = models.CharField("loại việc", max_length=40)  # a name registered with dangvu.jobs.registry.handler
    owner_id = models.IntegerField(null=True, blank=True)  # the user who started it: only they poll it
    actor_label = models.CharField(max_length=150)
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField("tình trạng", max_length=8, choices=State.choices, default=State.QUEUED)
    percent = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=255, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)  # the Vietnamese message shown; a traceback goes to the log only
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=1)
    task_id = models.CharField(max_length=64, blank=True)  # the django-tasks result of the current attempt
    worker = models.CharField(max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # written by the worker while it holds the job
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # recover_stale(): running jobs whose worker stopped writing its heartbeat
            models.Index(fields=["state", "heartbeat_at"], name="job_state_heartbeat_idx"),
            # the reports page: a person's latest jobs of one kind
            models.Index(fields=["owner_id", "handler", "-created_at"], name="job_owner_handler_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.handler} {self.state} {self.percent}%"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED, self.State.EXPIRED)
