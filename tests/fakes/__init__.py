"""Local stand-ins for remote services, so tests drive the real client libraries without the network.

Test modules load a stand-in's fixtures with `pytest_plugins = ["tests.fakes.<module>"]`; registering
the modules here lets pytest rewrite their asserts although the tests import them first.
"""

import pytest

pytest.register_assert_rewrite("tests.fakes.stripe_server")
