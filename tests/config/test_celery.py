import uuid

from config.celery import app


def test_a_message_goes_through_the_configured_broker():
    """The file-based default and Redis in CI alike: a message put on a queue comes back out."""
    with app.connection_for_write() as connection:
        queue = connection.SimpleQueue(f"test-{uuid.uuid4().hex}")
        try:
            queue.put({"track": 7})
            message = queue.get(timeout=10)
            assert message.payload == {"track": 7}
            message.ack()
        finally:
            queue.clear()
            queue.close()
