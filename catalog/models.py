"""Tracks, their files and provenance, and the collections buyers keep them in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from catalog.storage import private_storage
from common.vocabulary import ENERGIES, GENRES, MODES, PITCH_CLASSES


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v.replace("_", " ").capitalize()) for v in values]


class Track(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"
        TAKEN_DOWN = "taken_down", "Taken down"
        SOLD_EXCLUSIVE = "sold_exclusive", "Sold exclusively"

    class Disclosure(models.TextChoices):
        AI_GENERATED = "ai_generated", "AI-generated"
        AI_ASSISTED = "ai_assisted", "AI-assisted"
        HUMAN_MADE = "human_made", "Human-made"

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=120)
    creator = models.ForeignKey("accounts.CreatorProfile", on_delete=models.PROTECT, related_name="tracks")
    description = models.TextField(max_length=4000, blank=True)

    genre = models.CharField(max_length=20, choices=_choices(GENRES))
    moods = models.JSONField(default=list, blank=True)
    instruments = models.JSONField(default=list, blank=True)
    # Bit sets of `moods` and `instruments` over the vocabulary's order, so a facet filter is one
    # integer test on every database (JSON containment is not portable to SQLite).
    mood_bits = models.BigIntegerField(default=0)
    instrument_bits = models.BigIntegerField(default=0)
    bpm = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=2, choices=[(p, p) for p in PITCH_CLASSES])
    mode = models.CharField(max_length=5, choices=_choices(MODES))
    duration = models.FloatField(help_text="seconds")
    energy = models.CharField(max_length=6, choices=_choices(ENERGIES))

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    disclosure_label = models.CharField(max_length=16, choices=Disclosure.choices)

    # Public files: the watermarked preview, waveform peaks and cover art (default storage).
    preview = models.FileField(upload_to="previews/", blank=True)
    peaks = models.FileField(upload_to="peaks/", blank=True)
    cover = models.ImageField(upload_to="covers/", blank=True)
    cover_uploaded = models.BooleanField(default=False)

    # Whatever made the track names it once (a generation job's variation), so a retried or twice-delivered
    # job finds the track it already made instead of making another.
    source_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)

    # all-MiniLM-L6-v2 of the track's words: 384 float32 values, L2-normalised.
    embedding = models.BinaryField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # When the creator last put the track forward: the review queue serves the longest waiting first.
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-published_at", "-id")
        permissions = [("review_track", "Can review tracks and their disclosure labels")]
        indexes = [
            # Newest first, then every facet column: counts, and the ids that semantic search ranks,
            # come from this index alone (index-only scans on PostgreSQL) instead of from the table,
            # whose rows are wide because the embedding is stored inline.
            models.Index(
                fields=[
                    "status",
                    "-published_at",
                    "-id",
                    "genre",
                    "energy",
                    "key",
                    "mode",
                    "mood_bits",
                    "instrument_bits",
                    "bpm",
                    "duration",
                    "creator",
                ],
                name="track_status_published_facets",
            ),
            models.Index(fields=["status", "bpm"], name="track_status_bpm"),
            models.Index(fields=["status", "duration"], name="track_status_duration"),
            models.Index(fields=["status", "genre"], name="track_status_genre"),
            models.Index(fields=["creator", "status"], name="track_creator_status"),
            models.Index(fields=["status", "submitted_at"], name="track_status_submitted"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(bpm__gte=20, bpm__lte=300), name="track_bpm_range"),
            models.CheckConstraint(condition=Q(duration__gt=0), name="track_duration_positive"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="track_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def key_name(self) -> str:
        return f"{self.key} {self.mode}"


class Provenance(models.Model):
    """How a track's audio was made. Written once when the audio is made; never edited afterwards."""

    track = models.OneToOneField(Track, on_delete=models.CASCADE, related_name="provenance")
    engine = models.CharField(max_length=40)
    engine_version = models.CharField(max_length=40)
    prompt = models.TextField(blank=True)
    seed = models.BigIntegerField(null=True, blank=True)
    parameters = models.JSONField(default=dict)
    file_hashes = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.engine} {self.engine_version} for {self.track_id}"

    def save(self, *args, **kwargs) -> None:
        # The record is evidence for reviewers and licensees: an update would bend it.
        if not self._state.adding:
            raise ValueError("a track's provenance is written once and never edited")
        super().save(*args, **kwargs)


class ReviewDecision(models.Model):
    """One decision about a track: a reviewer's verdict, a takedown or the creator's withdrawal.

    Appended, never edited or deleted: the track's review history is the list of these rows.
    """

    class Decision(models.TextChoices):
        APPROVE = "approve", "Approved"
        REQUEST_CHANGES = "request_changes", "Changes requested"
        REJECT = "reject", "Rejected"
        TAKE_DOWN = "take_down", "Taken down"
        WITHDRAW = "withdraw", "Withdrawn by the creator"

    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="review_decisions")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=16, choices=Decision.choices)
    reason = models.TextField(max_length=2000, blank=True)
    status_before = models.CharField(max_length=16, choices=Track.Status.choices)
    status_after = models.CharField(max_length=16, choices=Track.Status.choices)
    label_before = models.CharField(max_length=16, choices=Track.Disclosure.choices)
    label_after = models.CharField(max_length=16, choices=Track.Disclosure.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["track", "-created_at"], name="review_track_recent")]

    def __str__(self) -> str:
        return f"{self.decision} of {self.track_id} by {self.by_id}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("a review decision is appended once and never edited")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("a review decision is never deleted")


class AudioFingerprint(models.Model):
    """The landmark fingerprint of a track's audio (catalog/fingerprint.py), made when the audio is made.

    `hashes` holds every (hash, frame) pair as little-endian uint32; a sample of the hashes is indexed
    in FingerprintHash so a lookup finds candidate tracks without reading every fingerprint.
    """

    track = models.OneToOneField(Track, on_delete=models.CASCADE, related_name="fingerprint")
    hashes = models.BinaryField()
    count = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"fingerprint of {self.track_id} ({self.count} hashes)"


class FingerprintHash(models.Model):
    fingerprint = models.ForeignKey(AudioFingerprint, on_delete=models.CASCADE, related_name="index")
    hash = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["hash"], name="fingerprint_hash")]

    def __str__(self) -> str:
        return f"{self.hash} in {self.fingerprint_id}"


class DuplicateFinding(models.Model):
    """`track` sounds like `match`, another track of the catalog: the same audio or a re-encode, another
    bitrate or a trimmed copy of it. Shown to the reviewer; the exclusive buyout is refused meanwhile."""

    class Kind(models.TextChoices):
        EXACT = "exact", "Exact duplicate"
        NEAR = "near", "Near duplicate"

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="duplicate_findings")
    match = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    score = models.FloatField(help_text="share of the track's landmarks found in the match, 0..1")
    offset_s = models.FloatField(help_text="where the track starts inside the match, in seconds")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-score", "id")
        constraints = [
            models.UniqueConstraint(fields=["track", "match"], name="duplicate_finding_unique"),
            models.CheckConstraint(condition=~Q(track=models.F("match")), name="duplicate_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.track_id} ~ {self.match_id} ({self.kind})"


class TrackAsset(models.Model):
    """A full-quality file a license delivers. Kept in private storage: it has no public URL."""

    class Kind(models.TextChoices):
        MASTER = "master", "Master WAV"
        MP3 = "mp3", "MP3"
        STEM = "stem", "Stem"
        CUT = "cut", "Cut"
        LOOP = "loop", "Loop"
        MIDI = "midi", "MIDI"
        MANIFEST = "manifest", "Manifest"

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="assets")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=40, help_text="stem part or cut length; empty for single files")
    file = models.FileField(upload_to="tracks/", storage=private_storage, max_length=255)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.PositiveBigIntegerField()
    duration = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ("kind", "name")
        constraints = [
            models.UniqueConstraint(fields=["track", "kind", "name"], name="asset_unique_per_track"),
        ]

    def __str__(self) -> str:
        return f"{self.track_id} {self.kind} {self.name}".strip()


class TrackEdit(models.Model):
    """A published track re-rendered for one buyer at another length, with hit points where they asked.

    The buyer auditions its watermarked preview; the full-quality files (private) are delivered with any
    license of the parent track that the same buyer holds.
    """

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="edits")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="track_edits"
    )
    source_key = models.CharField(max_length=80, unique=True, editable=False)
    duration = models.FloatField(help_text="seconds")
    hits = models.JSONField(default=list, blank=True, help_text="seconds from the start")
    seed = models.BigIntegerField()
    preview = models.FileField(upload_to="edits/", blank=True)
    peaks = models.FileField(upload_to="edits/", blank=True)
    master = models.FileField(upload_to="edits/", storage=private_storage, max_length=255)
    master_sha256 = models.CharField(max_length=64)
    mp3 = models.FileField(upload_to="edits/", storage=private_storage, max_length=255)
    mp3_sha256 = models.CharField(max_length=64)
    manifest = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [models.CheckConstraint(condition=Q(duration__gt=0), name="edit_duration_positive")]

    def __str__(self) -> str:
        return f"{self.track_id} at {self.duration:g} s"


class Collection(models.Model):
    """A named list of tracks a user keeps, private unless they make it public."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collections")
    name = models.CharField(max_length=80)
    description = models.TextField(max_length=1000, blank=True)
    is_public = models.BooleanField(default=False)
    tracks = models.ManyToManyField(Track, through="CollectionItem", related_name="collections")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-updated_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="collection_name_unique_per_owner"),
        ]

    def __str__(self) -> str:
        return self.name


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-added_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=["collection", "track"], name="collection_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.track_id} in {self.collection_id}"


class Favorite(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favorites")
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="favorited_by")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [models.UniqueConstraint(fields=["user", "track"], name="favorite_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} likes {self.track_id}"


class SearchIndexState(models.Model):
    """One row whose counter moves whenever searchable track data changes, so each process knows when
    its in-memory vector index is stale without scanning the table."""

    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"search index v{self.version}"
