"""Publishing a draft puts it on sale, dates it once, and makes it findable at once."""

from django.contrib.auth.models import AnonymousUser

from catalog import selectors, services
from catalog.models import Track


def test_publishing_a_draft_puts_it_on_sale_and_in_search(make_track):
    draft = make_track("heist", publish=False)
    assert selectors.track_get(slug=draft.slug, user=AnonymousUser()) is None

    track = services.track_publish(track=draft)

    assert track.status == Track.Status.PUBLISHED
    assert track.published_at is not None
    assert selectors.track_get(slug=draft.slug, user=AnonymousUser()) is not None
    found = selectors.track_search(params={"q": "tense heist"}, user=AnonymousUser(), min_score=-1.0)
    assert draft.slug in [t.slug for t in found[0:10]]


def test_publishing_twice_keeps_the_first_publication_date(make_track):
    track = services.track_publish(track=make_track("piano", publish=False))
    first = track.published_at
    again = services.track_publish(track=track)
    assert again.published_at == first
