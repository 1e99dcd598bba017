"""Conversations between organisations on the platform (PRO-6): primes, sub-contractors and
consortium members find each other through expressions of interest
(:class:`commissioning.procurement.models.Interest`) and the directory, then open a dialogue here.

A conversation is between exactly two organisations, optionally about a lot. Approved members of
either organisation read and reply; nobody else does (not even the commissioners of the lot: this
is the bidders' own dialogue). Each person's :class:`ReadMarker` says how far they have read, which
gives the unread counts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from commissioning import idempotency
from commissioning.partnering.rules import MAX_MESSAGE_LENGTH, MAX_SUBJECT_LENGTH


class Conversation(models.Model):
    lot = models.ForeignKey(
        "procurement.Lot",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
    )
    started_by_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="conversations_started"
    )
    with_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="conversations_received"
    )
    subject = models.CharField(max_length=MAX_SUBJECT_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(started_by_organisation=models.F("with_organisation")),
                name="conversation_between_two_organisations",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("partnering:conversation", args=[self.pk])

    @property
    def organisation_ids(self) -> tuple[int, int]:
        return (self.started_by_organisation_id, self.with_organisation_id)


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=MAX_MESSAGE_LENGTH)
    created_at = models.DateTimeField()
    submission_key = idempotency.key_field()

    class Meta:
        ordering = ["conversation", "created_at", "pk"]
        indexes = [models.Index(fields=["conversation", "created_at"], name="message_thread_order")]
        constraints = [
            # A message (or a new conversation's first one) sent twice is sent once (issue 11
            # item 25).
            idempotency.key_constraint("author", "message_sent_once_per_submission_key"),
        ]

    def __str__(self) -> str:
        return f"Message from {self.sender_organisation} in {self.conversation}"


class ReadMarker(models.Model):
    """How far one person has read one conversation."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="read_markers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_reads"
    )
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="one_read_marker_each")
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.conversation} at {self.read_at:%Y-%m-%d %H:%M}"
